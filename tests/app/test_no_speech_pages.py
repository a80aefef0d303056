"""A recording without speech is flagged in Examens and Beoordelen, and counts once confirmed there."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcription_jobs as jobs
from tests.integration.test_no_speech import beep

ROOT = Path(__file__).resolve().parents[2]


def page(path, user, **state):
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.session_state["user"] = user
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def _exam_with_beep(ctx, user, engine, tmp_path):
    exam = exams.create_exam(ctx, user, "Piep Kandidaat")
    convs.add_text_conversation(ctx, user, exam.id, "K: a\nM: b", channel="chat")
    convs.add_text_conversation(ctx, user, exam.id, "K: c\nM: d", channel="e-mail")
    engine.segments = []
    silent = convs.add_audio_conversation(ctx, user, exam.id, "piep.wav", beep(tmp_path), title="Piep")
    jobs.run_pending(ctx)
    return exam, silent


def test_examens_lists_the_silent_recording_as_not_counted(ctx, user, engine, tmp_path):
    exam, silent = _exam_with_beep(ctx, user, engine, tmp_path)
    at = page("pages/examens.py", user, exam_id=exam.id)
    assert not at.exception
    assert any("geen spraak gevonden · telt nog niet mee" in c.value for c in at.caption)
    assert any("heeft er 2 (1 zonder gevonden spraak telt nog niet mee)" in w.value for w in at.warning)
    at.button(key=f"speech{silent.id}").click().run()
    assert not at.exception
    assert convs.get_conversation(ctx, user, silent.id).counts
    assert any("geen spraak gevonden · telt mee (bevestigd)" in c.value for c in at.caption)
    assert not any("minimaal 3 gesprekken" in w.value for w in at.warning)


def test_beoordelen_flags_the_silent_recording_and_confirms_it(ctx, user, engine, tmp_path):
    exam, silent = _exam_with_beep(ctx, user, engine, tmp_path)
    at = page("pages/beoordelen.py", user, exam_id=exam.id, conversation_id=silent.id)
    assert not at.exception
    assert any("Geen spraak gevonden" in w.value and "telt" in w.value for w in at.warning)
    at.button(key=f"speech{silent.id}").click().run()
    assert not at.exception
    assert convs.get_conversation(ctx, user, silent.id).no_speech_confirmed
    assert not any("Geen spraak gevonden" in w.value for w in at.warning)
