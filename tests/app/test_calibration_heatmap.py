"""The heat map after a partial consensus: it shows the examiners' points (and says the consensus
is not complete yet) instead of going blank. It coloured by the deviation from the consensus as
soon as one item had one, but the deviation exists only for a complete consensus."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ksf_review.services import calibration as cal
from ksf_review.services import scoring
from ksf_review.services.users import get_or_create_user

ROOT = Path(__file__).resolve().parents[2]


def _heatmap_spec(at) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    return next(s for s in specs if "rect" in json.dumps(s.get("mark")))


@pytest.fixture
def revealed(seeded, ctx):
    """A session of Anna and Bert, both submitted (they differ on 3.1) and revealed: (coördinator, session, codes)."""
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    s = cal.create_session(ctx, coord, "Sessie A", [anna.id, bert.id], exam_id=seeded["exam"].id)
    codes = [i.code for i in scoring.exam_rubric(ctx, seeded["exam"].id).items]
    for who in (anna, bert):
        aid = cal.my_assessment(ctx, who, s.id)
        for code in codes:
            cal.set_score(ctx, who, aid, code, "behaald" if who is anna or code != "3.1" else "niet_behaald")
        cal.submit(ctx, who, aid)
    cal.reveal(ctx, coord, s.id)
    return coord, s, codes


def test_a_partial_consensus_keeps_the_heatmap_in_points(revealed, ctx):
    coord, s, codes = revealed
    cal.set_consensus(ctx, coord, s.id, "1.1a", "behaald")  # the rest is still being discussed

    at = AppTest.from_file(str(ROOT / "pages/kalibratie.py"), default_timeout=60)
    at.session_state["user"] = coord
    at.run()
    assert not at.exception
    assert _heatmap_spec(at)["encoding"]["color"]["title"] == "punten"
    assert any(f"1 van {len(codes)}" in c.value for c in at.caption)

    for code in codes:  # complete: now it is the deviation from the consensus
        cal.set_consensus(ctx, coord, s.id, code, "behaald")
    at.run()
    assert not at.exception
    assert _heatmap_spec(at)["encoding"]["color"]["title"] == "t.o.v. consensus"


def test_fail_detection_says_the_consensus_is_not_complete_yet(revealed, ctx):
    """ "Zakken herkend" said "geen consensus vastgesteld" while a partial consensus existed; it says
    what is true, as the heat map does: the consensus is a reference only once it is complete."""
    from ksf_review.adapters.calibration_export import statistics_rows

    coord, s, codes = revealed

    def said():
        rows = statistics_rows(cal.comparison(ctx, coord, s.id, n_boot=10))
        return rows.set_index("statistiek").loc["Zakken herkend (t.o.v. consensus)", "toelichting"]

    assert "geen consensus vastgesteld" in said()
    cal.set_consensus(ctx, coord, s.id, "1.1a", "behaald")
    cal.set_consensus(ctx, coord, s.id, "1.1b", "behaald")
    assert f"consensus nog niet compleet (2 van {len(codes)} toetstermen)" in said()
    for code in codes:
        cal.set_consensus(ctx, coord, s.id, code, "behaald")
    assert "compleet" not in said() and "geen consensus vastgesteld" not in said()
