"""The consensus form's starting value: the majority, empty on a tie (#19.11)."""

from ksf_review.domain.agreement import proposed_consensus


def test_majority_is_proposed():
    assert proposed_consensus(["niet_behaald", "behaald", "niet_behaald"]) == "niet_behaald"
    assert proposed_consensus(["nvt", None, ""]) == "nvt"


def test_tie_or_nothing_starts_empty():
    assert proposed_consensus(["behaald", "niet_behaald"]) is None
    assert proposed_consensus(["niet_behaald", "behaald", "nvt", "nvt", "behaald"]) is None
    assert proposed_consensus([]) is None
    assert proposed_consensus([None]) is None
