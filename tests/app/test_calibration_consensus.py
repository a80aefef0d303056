"""Calibration comparison (#19.11): the consensus form starts empty on a tie, and an item left
empty is not saved; the tag timeline carries the sign of each tag."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.domain.tags import Polarity, TagData
from ksf_review.services import calibration as cal
from ksf_review.services import scoring
from ksf_review.services.users import get_or_create_user

ROOT = Path(__file__).resolve().parents[2]


def test_consensus_starts_empty_on_a_tie_and_empty_items_are_not_saved(seeded, ctx):
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    s = cal.create_session(ctx, coord, "Sessie A", [anna.id, bert.id], exam_id=seeded["exam"].id)
    for who in (anna, bert):
        aid = cal.my_assessment(ctx, who, s.id)
        for code in [i.code for i in scoring.exam_rubric(ctx, seeded["exam"].id).items]:
            cal.set_score(ctx, who, aid, code, "behaald" if who is anna or code != "3.1" else "niet_behaald")
        cal.submit(ctx, who, aid)
    cal.reveal(ctx, coord, s.id)

    at = AppTest.from_file(str(ROOT / "pages/kalibratie.py"), default_timeout=30)
    at.session_state["user"] = coord
    at.run()
    assert not at.exception
    assert at.radio(key=f"cons{s.id}3.1").value is None  # behaald vs niet behaald: a tie
    assert at.radio(key=f"cons{s.id}1.1a").value == "behaald"  # both agree
    at.button(key=f"FormSubmitter:consensus{s.id}-Consensus opslaan").click().run()
    assert not at.exception
    consensus = cal.comparison(ctx, coord, s.id, n_boot=0).consensus
    assert "3.1" not in consensus and consensus["1.1a"] == "behaald"


def test_timeline_rows_carry_the_sign():
    from ksf_review.ui.calibration import timeline_frame

    df = timeline_frame([TagData(0, 5, "3.1", Polarity.POSITIVE, examiner="A"), TagData(1, 4, "3.1", Polarity.NEGATIVE, examiner="B")])
    assert df["teken"].tolist() == ["+", "−"]
    assert df["markering"].tolist() == ["3.1+", "3.1−"]
