"""#14.10: on SQLite the web process's transcriptions run in a worker child process, so Whisper
no longer takes the web process's cores and GIL from the examiners' pages."""

import os
import sys
import time
from pathlib import Path

import pytest

from ksf_review.services import conversations as convs
from ksf_review.services import exams, worker
from tests.conftest import make_wav

ROOT = Path(__file__).resolve().parents[2]


def _wait(check, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_the_transcription_runs_in_a_worker_process_not_in_the_web_process(ctx, user, engine, tmp_path, monkeypatch):
    pids = tmp_path / "pids"
    real = engine.transcribe

    def in_this_process(*a, **kw):  # if the web process transcribed itself, it would show here
        with open(pids, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*a, **kw)

    engine.transcribe = in_this_process
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(worker, "worker_command", lambda: [sys.executable, "-m", "tests.integration.pid_worker", str(pids)], raising=False)
    exam = exams.create_exam(ctx, user, "K")
    first = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav").read_bytes())
    w = worker.ensure_worker(ctx)  # what the web process does at start (KSF_WORKER=1)
    try:
        assert _wait(lambda: convs.get_conversation(ctx, user, first.id).job_status == "done")
        # a job queued while the worker runs is woken into it too
        second = convs.add_audio_conversation(ctx, user, exam.id, "b.wav", make_wav(tmp_path / "b.wav", freq=300).read_bytes())
        assert _wait(lambda: convs.get_conversation(ctx, user, second.id).job_status == "done")
        ran_in = [int(p) for p in pids.read_text().split()]
        assert os.getpid() not in ran_in
        assert ran_in == [w.pid, w.pid]
    finally:
        if hasattr(w, "stop"):
            w.stop()
    assert not w.is_alive()
