"""summarise_session and the heat-map frame on constructed calibration sessions."""

from __future__ import annotations

import pandas as pd
import pytest

from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.domain.agreement import (
    ALIGNED,
    LENIENT,
    NO_VARIATION,
    STRICT,
    TOO_FEW_UNITS,
    heatmap_frame,
    heatmap_matrix,
    points_for,
    summarise_session,
)

RUBRIC = default_rubric()
ITEMS = [it.code for it in RUBRIC.items]
POINTS = {it.code: it.points for it in RUBRIC.items}
FAST = dict(n_boot=50, rubric=RUBRIC)

# Consensus key for one candidate: 1.1b missed (−2), no Bel-Me-Niet situation → 21/23, geslaagd.
CONSENSUS = {**{i: "behaald" for i in ITEMS}, "1.1b": "niet_behaald", "3.2": "nvt"}


def sheet(examiner, changes=None, unit=None, base=CONSENSUS):
    scores = {**base, **(changes or {})}
    rows = []
    for item in ITEMS:
        if item in scores:
            row = {"examiner": examiner, "item": item, "status": scores[item]}
            if unit is not None:
                row["unit"] = unit
            rows.append(row)
    return rows


def one_candidate():
    return pd.DataFrame(
        sheet("An")  # = consensus
        + sheet("Bram", {"1.1f": "niet_behaald"})  # −2 → eindterm 1 = 16 → gezakt
        + sheet("Cor", {"1.1b": "behaald", "3.2": "behaald"})  # +2, and sees a 3.2 situation
    )


def test_single_candidate_session():
    stats = summarise_session(one_candidate(), CONSENSUS, ITEMS, POINTS, **FAST)

    assert stats.verdicts == {("", "An"): "geslaagd", ("", "Bram"): "gezakt", ("", "Cor"): "geslaagd"}
    assert stats.totals == {("", "An"): 21, ("", "Bram"): 19, ("", "Cor"): 23}
    assert stats.consensus_verdicts == {"": "geslaagd"} and stats.consensus_totals == {"": 21}

    # one candidate: per-item α and everything needing ≥ 2 candidates is undefined, with a reason
    assert stats.item("1.1b").alpha.reason == TOO_FEW_UNITS
    assert stats.verdict_ac1.reason == TOO_FEW_UNITS
    assert stats.total_icc.reason == TOO_FEW_UNITS
    # …but percent agreement per item works: 1.1b = (niet, niet, behaald) → 1 of 3 pairs
    assert stats.item("1.1b").agreement.value == pytest.approx(1 / 3)
    assert stats.item("1.1a").agreement.value == 1.0
    assert stats.item("3.2").agreement.value == pytest.approx(1 / 3)  # n.v.t. vs behaald differs
    assert stats.overall_alpha.defined and stats.overall_alpha.n == len(ITEMS)
    assert stats.overall_alpha.ci_low is not None

    assert stats.verdict_agreement.value == pytest.approx(1 / 3)  # only An–Cor agree
    assert stats.critical_agreement.value == pytest.approx((1 + 1 + 1 / 3) / 3)  # items 2, 3.1, 3.2
    assert stats.critical_ac1.defined
    assert "geen gezakte kandidaat" in stats.fail_detection.reason

    by_name = {c.examiner: c for c in stats.examiners}
    assert by_name["An"].label == ALIGNED and by_name["An"].kappa.value == pytest.approx(1.0)
    assert by_name["Bram"].label == STRICT and by_name["Bram"].mean_difference == -2
    assert by_name["Cor"].label == LENIENT and by_name["Cor"].mean_difference == 2


def test_unscored_item_makes_verdict_onvolledig_and_excluded():
    ratings = pd.concat([one_candidate(), pd.DataFrame(sheet("Dee", {"1.2a": None}))], ignore_index=True)
    stats = summarise_session(ratings, CONSENSUS, ITEMS, POINTS, **FAST)
    assert stats.verdicts[("", "Dee")] == "onvolledig"
    assert stats.totals[("", "Dee")] is None
    assert stats.verdict_agreement.value == pytest.approx(1 / 3)  # Dee does not count
    dee = next(c for c in stats.examiners if c.examiner == "Dee")
    assert dee.n_items == len(ITEMS) - 1 and dee.label == ALIGNED


def multi_candidate():
    k1 = CONSENSUS
    k2 = {**CONSENSUS, "3.1": "niet_behaald"}  # AVG fout → gezakt (kritisch)
    k3 = {**CONSENSUS, "1.1f": "niet_behaald", "1.2a": "niet_behaald"}  # 14/20 → gezakt
    consensus = {"K1": k1, "K2": k2, "K3": k3}
    rows = []
    for unit, key in consensus.items():
        rows += sheet("An", unit=unit, base=key)
        rows += sheet("Bram", {"3.1": "behaald"} if unit == "K2" else {}, unit=unit, base=key)
        rows += sheet("Cor", {"1.1c": "niet_behaald"}, unit=unit, base=key)
    return pd.DataFrame(rows), consensus


def test_multi_candidate_session_with_fail_detection_and_icc():
    ratings, consensus = multi_candidate()
    stats = summarise_session(ratings, consensus, ITEMS, POINTS, **FAST)
    assert stats.consensus_verdicts == {"K1": "geslaagd", "K2": "gezakt", "K3": "gezakt"}
    assert stats.verdicts[("K2", "Bram")] == "geslaagd"  # missed the AVG fail
    # consensus failed K2 and K3; 3 examiners each → 6 judgements, Bram missed one
    assert stats.fail_detection.value == pytest.approx(5 / 6)
    assert stats.fail_detection.n == 6
    assert stats.total_icc.defined and stats.total_icc.n == 3
    assert stats.verdict_ac1.defined and stats.verdict_ac1.n == 3
    assert stats.item("3.1").alpha.defined
    assert stats.item("1.1a").alpha.reason == NO_VARIATION  # everyone always behaald
    cor = next(c for c in stats.examiners if c.examiner == "Cor")
    assert cor.mean_difference == -1 and cor.label == STRICT and cor.n_units == 3


def test_no_variation_gives_reasons_not_zeros():
    all_ok = {i: "behaald" for i in ITEMS}
    ratings = pd.DataFrame([r for u in ("K1", "K2") for e in ("An", "Bram") for r in sheet(e, unit=u, base=all_ok)])
    stats = summarise_session(ratings, {"K1": all_ok, "K2": all_ok}, ITEMS, POINTS, **FAST)
    assert stats.overall_alpha.value is None and stats.overall_alpha.reason == NO_VARIATION
    assert stats.total_icc.reason == NO_VARIATION
    assert stats.verdict_agreement.value == 1.0
    assert stats.verdict_ac1.value == pytest.approx(1.0)  # AC1 stays defined with declared categories
    for c in stats.examiners:
        assert c.kappa.value is None and c.kappa.reason == NO_VARIATION and c.label == ALIGNED


def test_without_consensus_there_is_no_examiner_comparison():
    stats = summarise_session(one_candidate(), None, ITEMS, POINTS, **FAST)
    assert stats.examiners == ()
    assert stats.fail_detection.reason == "geen consensus vastgesteld"
    assert stats.consensus_verdicts == {}


def test_nvt_policy_decides_points():
    assert points_for("nvt", 1) == 1
    assert points_for("nvt", 1, "nvt-niet-behaald") == 0
    assert points_for("niet_behaald", 2) == 0 and points_for(None, 2) is None
    stats = summarise_session(one_candidate(), CONSENSUS, ITEMS, POINTS, policy="nvt-niet-behaald", **FAST)
    assert stats.totals[("", "An")] == 20
    assert stats.verdicts[("", "An")] == "gezakt"  # eindterm 3 = 1 of 2


def test_empty_nvt_reason_makes_verdict_onvolledig_when_reasons_are_given():
    ratings = one_candidate()
    ratings["reason"] = ""
    ratings.loc[(ratings["examiner"] == "An") & (ratings["item"] == "3.2"), "reason"] = "geen telemarketing"
    stats = summarise_session(ratings, CONSENSUS, ITEMS, POINTS, **FAST)
    assert stats.verdicts[("", "An")] == "geslaagd"
    assert stats.verdicts[("", "Bram")] == "onvolledig"  # n.v.t. zonder reden


def test_bad_input_is_rejected_in_dutch():
    with pytest.raises(ValueError, match="kolom"):
        summarise_session(pd.DataFrame({"examiner": ["A"], "item": ["1.1a"]}), None, ITEMS, POINTS, rubric=RUBRIC)
    dup = pd.DataFrame(sheet("An") + sheet("An"))
    with pytest.raises(ValueError, match="dubbele score"):
        summarise_session(dup, None, ITEMS, POINTS, rubric=RUBRIC)
    ratings, _ = multi_candidate()
    with pytest.raises(ValueError, match="consensus per kandidaat"):
        summarise_session(ratings, CONSENSUS, ITEMS, POINTS, rubric=RUBRIC)


def test_heatmap_frame_has_a_cell_per_examiner_and_item_with_signed_deviation():
    ratings = pd.concat([one_candidate(), pd.DataFrame(sheet("Dee", {"1.2a": None}))], ignore_index=True)
    frame = heatmap_frame(ratings, CONSENSUS, ITEMS, POINTS)
    assert len(frame) == 4 * len(ITEMS)
    cell = frame.set_index(["examiner", "item"])
    assert cell.loc[("Cor", "1.1b"), "deviation"] == 2  # milder than the consensus
    assert cell.loc[("Bram", "1.1f"), "deviation"] == -2
    assert cell.loc[("Cor", "3.2"), "deviation"] == 0  # behaald vs n.v.t.: same points
    assert pd.isna(cell.loc[("Dee", "1.2a"), "deviation"])
    assert cell.loc[("Dee", "1.2a"), "status"] is None

    grid = heatmap_matrix(frame)
    assert list(grid.index) == ["An", "Bram", "Cor", "Dee"]
    assert [str(c) for c in grid.columns] == ITEMS
    assert grid.loc["Cor", "1.1b"] == 2
    points_grid = heatmap_matrix(frame, value="points")
    assert points_grid.loc["An", "1.1a"] == POINTS["1.1a"]


def test_heatmap_without_consensus_still_shows_points():
    frame = heatmap_frame(one_candidate(), None, ITEMS, POINTS)
    assert frame["consensus_points"].isna().all() and frame["deviation"].isna().all()
    assert frame["points"].notna().all()


def test_critical_statistics_say_kritische_toetstermen_as_the_checklist_does():
    """One word for a critical toetsterm: the explanation next to "Kritische toetstermen (AC1)" said "kritieke"."""
    stats = summarise_session(one_candidate(), CONSENSUS, ITEMS, POINTS, **FAST)
    for stat in (stats.critical_agreement, stats.critical_ac1):
        assert "kritische toetstermen" in stat.display() and "kritieke" not in stat.display()
    few = summarise_session(pd.DataFrame(sheet("An")), CONSENSUS, ITEMS, POINTS, **FAST)  # undefined: its reason
    assert "kritieke" not in few.critical_agreement.display() + few.critical_ac1.display()
