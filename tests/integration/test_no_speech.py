"""A recording without speech (a beep) is flagged and counts toward the three conversations only once confirmed."""

import numpy as np
import pytest

from ksf_review.services import audit_log, exams, scoring
from ksf_review.services import conversations as convs
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import ServiceError
from ksf_review.services.users import ensure_default_user
from tests.conftest import ALL_ITEMS, fake_segments, make_wav, write_wav


def beep(tmp_path):
    t = np.arange(int(0.3 * 16000)) / 16000
    return write_wav(tmp_path / "piep.wav", 0.5 * np.sin(2 * np.pi * 1000 * t)).read_bytes()


def exam_with_a_beep(ctx, user, engine, tmp_path):
    exam = exams.create_exam(ctx, user, "Piep Kandidaat")
    convs.add_text_conversation(ctx, user, exam.id, "K: a\nM: b", channel="chat")
    convs.add_text_conversation(ctx, user, exam.id, "K: c\nM: d", channel="e-mail")
    engine.segments = []  # the recogniser hears nothing in a beep
    silent = convs.add_audio_conversation(ctx, user, exam.id, "piep.wav", beep(tmp_path), title="Piep")
    assert not convs.get_conversation(ctx, user, silent.id).no_speech  # not known before the transcript
    jobs.run_pending(ctx)
    for code in ALL_ITEMS:
        scoring.set_item_score(ctx, user, exam.id, code, "behaald")
    return exam, silent


def test_silent_recording_does_not_count_until_confirmed(any_ctx, engine, tmp_path):
    ctx = any_ctx
    user = ensure_default_user(ctx)
    exam, silent = exam_with_a_beep(ctx, user, engine, tmp_path)
    view = convs.get_conversation(ctx, user, silent.id)
    assert view.job_status == "done" and view.no_speech and not view.no_speech_confirmed and not view.counts
    verdict = scoring.exam_verdict(ctx, user, exam.id)
    assert verdict.status.value == "onvolledig"
    assert any("2 gesprek(ken)" in p for p in verdict.problems)
    warnings = scoring.finalise_warnings(ctx, user, exam.id)
    assert any("2 gesprek(ken)" in w for w in warnings)
    assert warnings[0].startswith("1 opname(s) zonder gevonden spraak tellen niet mee")
    with pytest.raises(ServiceError, match="2 gesprek"):
        scoring.finalise_exam(ctx, user, exam.id)

    confirmed = convs.confirm_no_speech(ctx, user, silent.id)
    assert confirmed.no_speech and confirmed.no_speech_confirmed and confirmed.counts
    assert scoring.exam_verdict(ctx, user, exam.id).status.value == "geslaagd"
    assert not any("spraak" in w or "gesprek(ken)" in w for w in scoring.finalise_warnings(ctx, user, exam.id))
    assert scoring.finalise_exam(ctx, user, exam.id).status.value == "geslaagd"


def test_confirming_is_logged_and_only_for_silent_recordings(ctx, user, engine, tmp_path, monkeypatch):
    from ksf_review.services import accounts

    exam, silent = exam_with_a_beep(ctx, user, engine, tmp_path)
    engine.segments = fake_segments()
    spoken = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav").read_bytes())
    jobs.run_pending(ctx)
    assert not convs.get_conversation(ctx, user, spoken.id).no_speech
    with pytest.raises(ServiceError, match="spraak gevonden"):
        convs.confirm_no_speech(ctx, user, spoken.id)
    convs.confirm_no_speech(ctx, user, silent.id)
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
    rows = [r for r in audit_log.search(ctx, admin, text="") if r.action == "confirm_no_speech"]
    assert len(rows) == 1 and rows[0].object_id == str(silent.id)


@pytest.mark.model
def test_the_real_engine_finds_no_speech_in_a_beep(settings, tmp_path):
    from ksf_review.adapters.transcription import WhisperEngine
    from ksf_review.services.context import build_context

    engine = WhisperEngine(cache_dir=tmp_path / "cache", cpu_threads=2)
    ctx = build_context(settings, engine_factory=lambda: engine)
    try:
        user = ensure_default_user(ctx)
        exam = exams.create_exam(ctx, user, "Piep")
        silent = convs.add_audio_conversation(ctx, user, exam.id, "piep.wav", beep(tmp_path))
        jobs.run_pending(ctx)
        view = convs.get_conversation(ctx, user, silent.id)
        assert view.job_status == "done" and view.no_speech and not view.counts
    finally:
        ctx.db.dispose()
