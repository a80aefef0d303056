"""The background worker picks up queued jobs (also those left running by a crash) by itself."""

import time

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.worker import TranscriptionWorker
from tests.conftest import make_wav


def test_worker_runs_jobs_in_background_and_stops(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    a = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav").read_bytes())
    b = convs.add_audio_conversation(ctx, user, exam.id, "b.wav", make_wav(tmp_path / "b.wav", freq=300).read_bytes())
    jobs.claim_next(ctx)  # a: left 'running' by a crashed process
    jobs.resume_interrupted(ctx)
    w = TranscriptionWorker(ctx, poll_seconds=0.05)
    w.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if all(convs.get_conversation(ctx, user, c.id).job_status == "done" for c in (a, b)):
            break
        time.sleep(0.05)
    w.stop()
    w.join(5)
    assert not w.is_alive()
    assert [convs.get_conversation(ctx, user, c.id).job_status for c in (a, b)] == ["done", "done"]
