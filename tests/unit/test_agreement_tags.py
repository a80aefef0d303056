"""Matching examiners' tags by time overlap, and the passage clusters for a timeline."""

from __future__ import annotations

import pytest

from ksf_review.domain.agreement import match_tags, tag_clusters
from ksf_review.domain.tags import Polarity, TagData

P, M = Polarity.POSITIVE, Polarity.NEGATIVE


def tag(examiner, start, end, item, polarity=P):
    return TagData(start=start, end=end, item=item, polarity=polarity, examiner=examiner)


def test_overlapping_tags_of_two_examiners_are_matched_and_compared():
    a1, a2, a3 = tag("A", 10, 20, "1.1b"), tag("A", 50, 60, "1.3a"), tag("A", 100, 105, "3.1", M)
    b1, b2, b3 = tag("B", 12, 21, "1.1b"), tag("B", 52, 58, "1.3b"), tag("B", 200, 210, "2", M)
    result = match_tags([a1, a2, a3, b1, b2, b3])

    pairs = {(m.a, m.b) for m in result.matches}
    assert pairs == {(a1, b1), (a2, b2)}
    first = result.matches[0]
    assert first.iou == pytest.approx(8 / 11) and first.same_item
    assert result.unmatched == {"A": (a3,), "B": (b3,)}
    assert result.item_agreement.value == pytest.approx(0.5)
    assert result.item_agreement.n == 2
    assert result.polarity_agreement.value == 1.0  # the one same-item pair agrees on '+'


def test_iou_threshold_decides_whether_ranges_match():
    a, b = tag("A", 0, 10, "1.1a"), tag("B", 8, 18, "1.1a")  # IoU = 2 / 18 ≈ 0.11
    assert match_tags([a, b]).n_matched == 0
    assert match_tags([a, b], iou_threshold=0.1).n_matched == 1


def test_assignment_prefers_the_same_item_on_a_passage_with_two_tags():
    a_lsd, a_ctrl = tag("A", 10, 20, "1.1b"), tag("A", 10, 20, "1.2c")
    b = tag("B", 11, 20, "1.2c")
    result = match_tags([a_lsd, a_ctrl, b])
    assert [(m.a, m.b) for m in result.matches] == [(a_ctrl, b)]
    assert result.unmatched["A"] == (a_lsd,)
    assert result.item_agreement.value == 1.0


def test_matching_is_one_to_one_per_examiner_pair_and_covers_all_pairs():
    a = tag("A", 0, 10, "1.1a")
    b1, b2 = tag("B", 0, 9, "1.1a"), tag("B", 1, 10, "1.1a")
    c = tag("C", 0, 10, "1.1a", M)
    result = match_tags([a, b1, b2, c])
    # A–B: one of b1/b2; A–C: c; B–C: one of b1/b2 with c
    assert sum(1 for m in result.matches if {m.a.examiner, m.b.examiner} == {"A", "B"}) == 1
    assert sum(1 for m in result.matches if {m.a.examiner, m.b.examiner} == {"A", "C"}) == 1
    assert sum(1 for m in result.matches if {m.a.examiner, m.b.examiner} == {"B", "C"}) == 1
    assert result.polarity_agreement.value == pytest.approx(1 / 3)  # only the A–B pair agrees on '+'


def test_item_alpha_over_matched_pairs():
    tags = [
        tag("A", 0, 10, "1.1a"),
        tag("B", 0, 10, "1.1a"),
        tag("A", 20, 30, "1.2a"),
        tag("B", 20, 30, "1.2a"),
        tag("A", 40, 50, "1.3a"),
        tag("B", 40, 50, "1.3b"),
    ]
    result = match_tags(tags)
    assert result.item_agreement.value == pytest.approx(2 / 3)
    assert result.item_alpha.defined and result.item_alpha.value < 1


def test_no_overlap_gives_undefined_agreement_with_reason():
    result = match_tags([tag("A", 0, 5, "1.1a"), tag("B", 50, 55, "1.1a")])
    assert result.n_matched == 0
    assert (
        result.item_agreement.value is None and result.item_agreement.reason == "geen overlappende markeringen"
    )  # the UI word, not "tags"
    assert result.item_alpha.value is None
    assert match_tags([]).unmatched == {}


def test_same_item_only_pairs_give_undefined_alpha_but_full_agreement():
    result = match_tags([tag("A", 0, 5, "1.1a"), tag("B", 0, 5, "1.1a"), tag("A", 9, 12, "1.1a"), tag("B", 9, 12, "1.1a")])
    assert result.item_agreement.value == 1.0
    assert result.item_alpha.value is None and result.item_alpha.reason == "onvoldoende variatie"


def test_clusters_show_shared_and_single_examiner_passages():
    tags = [
        tag("A", 10, 20, "1.1b"),
        tag("B", 15, 25, "1.1b"),
        tag("C", 24, 30, "1.1b"),  # chained
        tag("A", 50, 60, "1.3a"),  # only A
        tag("B", 50, 60, "1.3b"),  # same time, other item: its own cluster
        tag("A", 70, 75, "2", M),
        tag("A", 72, 80, "2", M),  # two tags by one examiner
        tag("B", 20, 21, "1.1a"),
        tag("C", 21, 22, "1.1a"),  # touching, not overlapping
    ]
    clusters = tag_clusters(tags)
    summary = [(c.item, c.start, c.end, c.examiners) for c in clusters]
    assert summary == [
        ("1.1b", 10, 30, ("A", "B", "C")),
        ("1.1a", 20, 21, ("B",)),
        ("1.1a", 21, 22, ("C",)),
        ("1.3a", 50, 60, ("A",)),
        ("1.3b", 50, 60, ("B",)),
        ("2", 70, 80, ("A",)),
    ]
    assert [c.shared for c in clusters] == [True, False, False, False, False, False]
    assert clusters[-1].polarities == ("-",)
    assert sum(len(c.tags) for c in clusters) == len(tags)


def test_cluster_threshold_can_require_real_overlap():
    tags = [tag("A", 0, 10, "1.1a"), tag("B", 9, 19, "1.1a")]
    assert len(tag_clusters(tags)) == 1
    assert len(tag_clusters(tags, iou_threshold=0.3)) == 2


def test_opposite_signs_on_the_same_item_disagree_on_the_passage():
    # 3.1+ against 3.1−: same passage, same item, opposite evidence — not agreement (#19.11)
    result = match_tags([tag("A", 0, 10, "3.1", P), tag("B", 0, 10, "3.1", M), tag("A", 20, 30, "1.1a", P), tag("B", 20, 30, "1.1a", P)])
    assert result.n_matched == 2
    assert result.item_agreement.value == pytest.approx(0.5)
    assert result.polarity_agreement.value == pytest.approx(0.5)


def test_cluster_with_plus_and_minus_is_conflicting():
    clusters = tag_clusters([tag("A", 0, 10, "3.1", P), tag("B", 2, 9, "3.1", M), tag("A", 40, 50, "3.1", P), tag("B", 41, 50, "3.1", P)])
    assert [c.conflicting for c in clusters] == [True, False]
    assert all(c.shared for c in clusters)
