"""#14.9: when a transcription finishes, the worker computes what the first opening of Beoordelen needs."""

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
    monkeypatch.setattr(sugg, "suggest", lambda *a: runs.append(1) or ())
    sugg.proposals(ctx, user, c.id)
    assert runs == []  # already computed by the worker
