from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.domain.checklist_warnings import finalise_warnings

R = default_rubric()
ALL = [i.code for i in R.items]


def full(status="behaald"):
    return {c: (status, "") for c in ALL}


def test_clean_exam_has_no_warnings():
    assert finalise_warnings(R, full(), {c: 1 for c in ALL}, 3) == []


def test_each_warning_kind():
    statuses = full()
    statuses["1.1a"] = (None, "")
    statuses["3.2"] = ("nvt", "")
    evidence = {c: 1 for c in ALL}
    evidence["1.2b"] = 0
    for c in ("3.2",):
        evidence[c] = 0
    w = finalise_warnings(R, statuses, evidence, 2)
    assert any("minimaal 3" in x for x in w)
    assert any("Nog niet gescoord: 1.1a" in x for x in w)
    assert any("Toetsterm 3.2 staat op n.v.t. zonder reden" in x for x in w)
    assert any("1.2b is gescoord (behaald) zonder bewijs" in x for x in w)
    assert any("Bel-Me-Niet" in x and "extra gesprek" in x for x in w)
    assert not any("emotie" in x for x in w)


def test_unobserved_situations_mention_policy():
    evidence = {c: 1 for c in ALL if not c.startswith("1.3")}
    statuses = {c: (("nvt", "geen emotie") if c.startswith("1.3") else ("behaald", "")) for c in ALL}
    w = finalise_warnings(R, statuses, evidence, 3, "nvt-niet-behaald")
    assert len(w) == 1 and "emotie" in w[0] and "niet behaald" in w[0]


def test_missing_situation_warnings_are_grammatical_dutch():
    """'Er is geen verzoek om informatie …', never 'Er is geen een verzoek …'."""
    evidence = {c: 0 for c in ALL}
    w = finalise_warnings(R, full(), evidence, 3)
    situations = [x for x in w if x.startswith("Er is geen")]
    assert len(situations) == 3, w
    assert any(x.startswith("Er is geen verzoek om informatie onder het AVG-protocol") for x in situations)
    assert not any("geen een" in x for x in w)
