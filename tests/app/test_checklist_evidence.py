"""The checklist names a tagged chat/e-mail passage by all its turns, as Beoordelen and the report do."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import tagging

ROOT = Path(__file__).resolve().parents[2]


def test_evidence_over_two_turns_says_both(seeded, ctx, user):
    exam_id, mail = seeded["exam"].id, seeded["mail"]
    tagging.add_tag(ctx, user, mail.id, 0, 2, "3.1", "+", "route naar inzage")  # turns 1 and 2
    at = AppTest.from_file(str(ROOT / "pages/checklist.py"), default_timeout=30)
    at.session_state["user"] = user
    at.session_state["exam_id"] = exam_id
    at.run()
    assert not at.exception
    lines = [m.value for m in at.markdown if "Inzageverzoek" in m.value]
    assert len(lines) == 1
    assert "beurt 1–2" in lines[0]
