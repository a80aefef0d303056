"""Read access is not write access in the Transcript tab: on a finalised exam the speaker names,
the line text and its speaker are shown in disabled fields (only the save buttons were disabled,
so an examiner could type a correction that no button would ever save)."""

from ksf_review.services import scoring
from tests.app.conftest import open_review


def test_a_finalised_exam_shows_its_transcript_fields_disabled(seeded, ctx, user):
    exam_id, conv = seeded["exam"].id, seeded["audio"]
    for item in scoring.exam_rubric(ctx, exam_id).items:
        scoring.set_item_score(ctx, user, exam_id, item.code, "behaald")
    scoring.finalise_exam(ctx, user, exam_id)
    at = open_review(user, exam_id, conv.id)
    names = [t for t in at.text_input if t.key and t.key.startswith(f"rn{conv.id}")]
    assert names and all(t.disabled for t in names)
    line = [t for t in at.text_area if t.key and t.key.startswith(f"seg{conv.id}_")]
    speaker = [s for s in at.selectbox if s.key and s.key.startswith(f"seg{conv.id}_")]
    assert line and speaker and all(w.disabled for w in line + speaker)
    assert all(b.disabled for b in at.button if b.label in ("Namen opslaan", "Correctie opslaan (tijden blijven gelijk)"))


def test_an_open_exam_keeps_them_editable(seeded, ctx, user):
    conv = seeded["audio"]
    at = open_review(user, seeded["exam"].id, conv.id)
    assert not any(t.disabled for t in at.text_input if t.key and t.key.startswith(f"rn{conv.id}"))
    assert not any(t.disabled for t in at.text_area if t.key and t.key.startswith(f"seg{conv.id}_"))
