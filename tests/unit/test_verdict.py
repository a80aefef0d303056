"""The cesuur at every boundary: ≥17/20, 1/1, 2/2, n.v.t. policies, completeness."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.domain.verdict import (
    ItemScore,
    NvtPolicy,
    ScoreStatus,
    VerdictInputError,
    VerdictStatus,
    compute_verdict,
)

R = default_rubric()
ALL = [i.code for i in R.items]
ET1 = [i.code for i in R.items_of("1")]


def all_achieved():
    return {c: "behaald" for c in ALL}


def fail_items(scores, codes):
    for c in codes:
        scores[c] = "niet_behaald"
    return scores


def test_everything_achieved_passes():
    v = compute_verdict(R, all_achieved(), conversations=3)
    assert v.status is VerdictStatus.GESLAAGD
    assert (v.total, v.max) == (23, 23)
    assert v.problems == ()
    assert all(e.met for e in v.eindtermen)


@pytest.mark.parametrize(
    "lost,expected",
    [
        (0, VerdictStatus.GESLAAGD),
        (1, VerdictStatus.GESLAAGD),
        (2, VerdictStatus.GESLAAGD),
        (3, VerdictStatus.GESLAAGD),
        (4, VerdictStatus.GEZAKT),
        (5, VerdictStatus.GEZAKT),
    ],
)
def test_eindterm1_boundary_17_of_20(lost, expected):
    # 1-point items of eindterm 1, lose `lost` points → 20 - lost
    ones = [c for c in ET1 if R.item(c).points == 1][:lost]
    v = compute_verdict(R, fail_items(all_achieved(), ones), conversations=3)
    assert v.eindtermen[0].points == 20 - lost
    assert v.status is expected
    if expected is VerdictStatus.GEZAKT:
        assert "Eindterm 1 niet behaald" in v.problems[0] and "minimaal 17" in v.problems[0]


def test_two_point_items_count_double():
    v = compute_verdict(R, fail_items(all_achieved(), ["1.1a", "1.1b"]), conversations=3)
    assert v.eindtermen[0].points == 16 and v.status is VerdictStatus.GEZAKT


@pytest.mark.parametrize("code,et", [("2", "2"), ("3.1", "3"), ("3.2", "3")])
def test_critical_items_fail_regardless_of_eindterm1(code, et):
    v = compute_verdict(R, fail_items(all_achieved(), [code]), conversations=3)
    assert v.status is VerdictStatus.GEZAKT
    assert v.total == 22  # 22/23 points and still gezakt
    assert any(f"Eindterm {et} (kritisch) niet behaald" in p for p in v.problems)


def test_unscored_item_is_onvolledig_never_gezakt():
    scores = fail_items(all_achieved(), ["3.1"])
    del scores["1.1a"]
    v = compute_verdict(R, scores, conversations=3)
    assert v.status is VerdictStatus.ONVOLLEDIG
    assert "1.1a" in v.problems[0]


def test_none_values_count_as_unscored():
    scores = all_achieved()
    scores["2"] = None
    assert compute_verdict(R, scores, conversations=3).status is VerdictStatus.ONVOLLEDIG


@pytest.mark.parametrize(
    "n,expected", [(0, VerdictStatus.ONVOLLEDIG), (2, VerdictStatus.ONVOLLEDIG), (3, VerdictStatus.GESLAAGD), (7, VerdictStatus.GESLAAGD)]
)
def test_minimum_three_conversations(n, expected):
    v = compute_verdict(R, all_achieved(), conversations=n)
    assert v.status is expected
    if expected is VerdictStatus.ONVOLLEDIG:
        assert "minimaal 3" in v.problems[0]


def test_nvt_with_reason_counts_as_achieved_by_default():
    scores = all_achieved()
    scores["3.2"] = {"status": "nvt", "reason": "geen telemarketing in de gesprekken"}
    v = compute_verdict(R, scores, conversations=3)
    assert v.status is VerdictStatus.GESLAAGD and v.total == 23
    assert "3.2" in v.notes[0] and "telt als behaald" in v.notes[0]


def test_nvt_policy_not_achieved_fails_critical():
    scores = all_achieved()
    scores["3.2"] = {"status": "nvt", "reason": "niet voorgekomen"}
    v = compute_verdict(R, scores, conversations=3, policy=NvtPolicy.COUNTS_AS_NOT_ACHIEVED)
    assert v.status is VerdictStatus.GEZAKT and v.total == 22


def test_nvt_policy_not_achieved_on_emotion_items_hits_17_boundary():
    scores = all_achieved()
    for c in ("1.3a", "1.3b", "1.3c"):
        scores[c] = {"status": "nvt", "reason": "geen emotie"}
    assert compute_verdict(R, scores, 3, "nvt-niet-behaald").status is VerdictStatus.GESLAAGD  # 17
    scores["1.3d"] = {"status": "nvt", "reason": "geen emotie"}
    assert compute_verdict(R, scores, 3, "nvt-niet-behaald").status is VerdictStatus.GEZAKT  # 16
    assert compute_verdict(R, scores, 3, "nvt-behaald").status is VerdictStatus.GESLAAGD


@pytest.mark.parametrize("value", ["nvt", {"status": "nvt"}, {"status": "nvt", "reason": "   "}])
def test_nvt_without_reason_is_a_problem_not_a_score(value):
    scores = all_achieved()
    scores["3.1"] = value
    v = compute_verdict(R, scores, conversations=3)
    assert v.status is VerdictStatus.ONVOLLEDIG
    assert any("3.1" in p and "zonder reden" in p for p in v.problems)


def test_unknown_item_and_bad_values():
    with pytest.raises(VerdictInputError, match="onbekende itemcode"):
        compute_verdict(R, {"9.9": "behaald"}, 3)
    with pytest.raises(VerdictInputError, match="onbekende score"):
        compute_verdict(R, {"1.1a": "goed"}, 3)
    with pytest.raises(VerdictInputError):
        compute_verdict(R, {"1.1a": 5}, 3)
    with pytest.raises(VerdictInputError):
        compute_verdict(R, {"1.1a": {"reason": "x"}}, 3)


def test_status_aliases():
    assert ItemScore.parse("niet behaald").status is ScoreStatus.NIET_BEHAALD
    assert ItemScore.parse("n.v.t.").status is ScoreStatus.NVT
    assert ItemScore.parse("Behaald").status is ScoreStatus.BEHAALD


def test_to_dict_shape():
    d = compute_verdict(R, all_achieved(), 3).to_dict()
    assert set(d) >= {"status", "total", "max", "eindtermen", "problems"}
    assert d["eindtermen"]["1"] == {"points": 20, "max": 20, "minimum": 17, "met": True}


@given(st.lists(st.sampled_from(["behaald", "niet_behaald"]), min_size=len(ALL), max_size=len(ALL)), st.integers(min_value=3, max_value=6))
def test_property_verdict_equals_cesuur(statuses, n):
    scores = dict(zip(ALL, statuses))
    v = compute_verdict(R, scores, n)
    pts = {e: sum(R.item(c).points for c in ALL if R.item(c).eindterm == e and scores[c] == "behaald") for e in "123"}
    passed = pts["1"] >= 17 and pts["2"] == 1 and pts["3"] == 2
    assert v.status is (VerdictStatus.GESLAAGD if passed else VerdictStatus.GEZAKT)
    assert v.total == sum(pts.values())


def test_every_single_missing_item_makes_it_incomplete():
    for code in ALL:
        scores = all_achieved()
        del scores[code]
        assert compute_verdict(R, scores, 3).status is VerdictStatus.ONVOLLEDIG


def test_every_pair_of_failed_items():
    for a, b in itertools.combinations(ALL, 2):
        v = compute_verdict(R, fail_items(all_achieved(), [a, b]), 3)
        critical = {a, b} & {"2", "3.1", "3.2"}
        lost1 = sum(R.item(c).points for c in (a, b) if c in ET1)
        assert (v.status is VerdictStatus.GESLAAGD) == (not critical and lost1 <= 3)
