"""Blind scoring with evidence: the participant's Checklist tab shows, under each toetsterm, the
markeringen that examiner made in the session (as the exam's checklist does), and never another
participant's (it showed no evidence at all, so scoring meant remembering one's own tags)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import calibration as cal
from ksf_review.services import tagging
from ksf_review.services.users import get_or_create_user

ROOT = Path(__file__).resolve().parents[2]


def test_the_blind_checklist_shows_ones_own_markeringen_only(seeded, ctx):
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    s = cal.create_session(ctx, coord, "Sessie", [anna.id, bert.id], exam_id=seeded["exam"].id)
    chat = seeded["chat"]
    a_aid, b_aid = cal.my_assessment(ctx, anna, s.id), cal.my_assessment(ctx, bert, s.id)
    tagging.add_tag(ctx, anna, chat.id, 0, 2, "1.2a", "+", "ANNA vraagt open", assessment_id=a_aid)
    tagging.add_tag(ctx, bert, chat.id, 1, 2, "1.2a", "-", "BERT vindt het sturend", assessment_id=b_aid)

    at = AppTest.from_file(str(ROOT / "pages/kalibratie.py"), default_timeout=60)
    at.session_state["user"] = anna
    at.run()
    assert not at.exception
    shown = " ".join([c.value for c in at.caption] + [m.value for m in at.markdown])
    assert "ANNA vraagt open" in shown and "Adreswijziging" in shown and "beurt 1–2" in shown
    assert "BERT" not in shown
    assert not any(c.value.startswith(("+ ", "- ", "− ")) for c in at.caption)  # a bare sign is a markdown list
