"""A change the player sends while the gesprek is read-only is refused at once, with the reason,
and never saved later (it was kept in the session and stored as soon as the exam was reopened)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import scoring, tagging
from ksf_review.services import transcript_edits as edits
from ksf_review.services.users import get_or_create_user
from ksf_review.ui.review import KEY_CORRECT, KEY_TAG

ROOT = Path(__file__).resolve().parents[2]


def _finalise(ctx, user, exam_id: int) -> None:
    for item in scoring.exam_rubric(ctx, exam_id).items:
        scoring.set_item_score(ctx, user, exam_id, item.code, "behaald")
    scoring.finalise_exam(ctx, user, exam_id)


def test_player_changes_to_a_finalised_exam_are_refused_and_forgotten(seeded, ctx, user):
    exam_id, conv = seeded["exam"].id, seeded["audio"]
    _finalise(ctx, user, exam_id)
    line = edits.segment_details(ctx, user, conv.id)[0]
    tags_before = len(tagging.list_tags(ctx, user, conv.id))
    key = f"player-{conv.id}-0"
    at = AppTest.from_file(str(ROOT / "pages/beoordelen.py"), default_timeout=60)
    at.session_state["user"] = user
    at.session_state["exam_id"] = exam_id
    at.session_state["conversation_id"] = conv.id
    at.session_state[KEY_CORRECT] = {"type": "correct", "index": line.index, "version": line.version, "text": "NIEUWE TEKST", "key": key}
    at.session_state[KEY_TAG] = {"type": "tag", "start": line.start, "end": line.end, "item": "1.2a", "polarity": "+", "key": key}
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Correctie niet opgeslagen" in errors and "Markering niet opgeslagen" in errors and "afgerond" in errors

    scoring.reopen_exam(ctx, get_or_create_user(ctx, "coby", "coordinator"), exam_id, "nog een gesprek")
    at.run()
    assert not at.exception
    assert edits.segment_details(ctx, user, conv.id)[0].text == line.text
    assert len(tagging.list_tags(ctx, user, conv.id)) == tags_before
