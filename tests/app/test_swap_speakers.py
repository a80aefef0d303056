"""Beoordelen: a mono call's speakers are a guess, and Sprekers omwisselen swaps them; stereo has no button."""

from ksf_review.services import conversations as convs
from ksf_review.services import exams, tagging
from ksf_review.services import transcription_jobs as jobs
from tests.app.conftest import open_review
from tests.conftest import make_wav


def _page(user, exam_id, conv_id):
    return open_review(user, exam_id, conv_id)


def test_mono_call_shows_the_guess_and_swaps_speakers_keeping_tags(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "Sanne Test")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "mono.wav", make_wav(tmp_path / "m.wav", seconds=9, channels=1).read_bytes())
    jobs.run_pending(ctx)
    tagging.add_tag(ctx, user, conv.id, 0.5, 2.0, "1.1a", "+", "begroeting")
    at = _page(user, exam.id, conv.id)
    assert any("een gok" in c.value for c in at.caption)
    before = [s.speaker for s in convs.conversation_segments(ctx, user, conv.id)]
    at.button(key=f"swap{conv.id}").click().run()
    assert not at.exception
    after = [s.speaker for s in convs.conversation_segments(ctx, user, conv.id)]
    assert after == [{"medewerker": "klant", "klant": "medewerker"}[s] for s in before]
    assert [(t.start, t.end, t.item) for t in tagging.list_tags(ctx, user, conv.id)] == [(0.5, 2.0, "1.1a")]


def test_stereo_call_has_no_swap_button(seeded, user):
    at = _page(user, seeded["exam"].id, seeded["audio"].id)
    assert not [b for b in at.button if b.label == "Sprekers omwisselen"]
