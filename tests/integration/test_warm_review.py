"""#14.9: when a transcription finishes, the worker computes what the first opening of Beoordelen needs."""

import dataclasses

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import suggestions as sugg
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav


def test_finished_job_warms_peaks_and_suggestions(ctx, user, tmp_path, monkeypatch):
    exam = exams.create_exam(ctx, user, "Warm")
    c = convs.add_audio_conversation(ctx, user, exam.id, "w.wav", make_wav(tmp_path / "w.wav", 9, freq=370).read_bytes())
    jobs.run_pending(ctx)
    view = convs.get_conversation(ctx, user, c.id)
    assert list(ctx.settings.peaks_dir.glob(f"{view.audio_sha256}.peaks-*.json"))
    runs = []
    monkeypatch.setattr(sugg, "suggest", lambda *a, **kw: runs.append(1) or ())
    sugg.proposals(ctx, user, c.id)
    assert runs == []  # already computed by the worker


def test_a_worker_child_warms_the_shared_peaks_and_the_stored_suggestions(settings, engine, tmp_path, monkeypatch):
    """The worker a web process starts (#14.10) has its own memory, so what it computes for the
    pages is stored as files the web process reads: the peaks, and the suggestions (which the
    web process would otherwise compute in a thread beside every examiner's clicks, #14.9)."""
    from ksf_review.services.context import build_context
    from ksf_review.services.users import ensure_default_user

    child = build_context(dataclasses.replace(settings, worker_parent=4242), engine_factory=lambda: engine)
    user = ensure_default_user(child)
    exam = exams.create_exam(child, user, "Kind")
    c = convs.add_audio_conversation(child, user, exam.id, "k.wav", make_wav(tmp_path / "k.wav", 9, freq=390).read_bytes())
    runs = []
    real = sugg.suggest
    monkeypatch.setattr(sugg, "suggest", lambda *a, **kw: runs.append(1) or real(*a, **kw))
    jobs.run_pending(child)
    view = convs.get_conversation(child, user, c.id)
    assert list(child.settings.peaks_dir.glob(f"{view.audio_sha256}.peaks-*.json"))
    assert runs == [1]
    assert list(child.settings.suggestions_dir.glob(f"conv{c.id}-*.json"))
    child.db.dispose()
