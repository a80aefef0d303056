"""A job's attempts, its one transcript and its status: the rules both queue backends share."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ksf_review.adapters.storage.models import Transcript
from ksf_review.adapters.transcription import FakeEngine
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav


def _conversation(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    return convs.add_audio_conversation(ctx, user, exam.id, "x.wav", make_wav(tmp_path / "x.wav").read_bytes())


def _transcripts(ctx, conv_id) -> int:
    with ctx.db.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(Transcript).where(Transcript.conversation_id == conv_id))


def test_a_job_whose_worker_kept_dying_stops_with_a_dutch_error_and_can_be_retried(ctx, user, tmp_path):
    c = _conversation(ctx, user, tmp_path)
    for _ in range(jobs.MAX_ATTEMPTS):
        assert jobs.claim_next(ctx) == c.job_id  # the worker "dies" during each attempt
        jobs.resume_interrupted(ctx)
    assert jobs.run_pending(ctx) == 0
    st = jobs.job_status(ctx, c.id)
    assert st.status == "failed" and st.label == "mislukt"
    assert "3 keer afgebroken" in st.error and "Probeer het opnieuw" in st.error
    assert _transcripts(ctx, c.id) == 0
    jobs.retry_job(ctx, user, st.job_id)
    assert jobs.job_status(ctx, c.id).attempts == 0
    assert jobs.run_pending(ctx) == 1
    assert jobs.job_status(ctx, c.id).status == "done"
    assert _transcripts(ctx, c.id) == 1


def test_an_unexpected_error_is_retried_up_to_three_attempts(ctx, user, tmp_path, engine):
    engine.error = RuntimeError("schijf vol")
    c = _conversation(ctx, user, tmp_path)
    jobs.run_pending(ctx)
    st = jobs.job_status(ctx, c.id)
    assert engine.calls == jobs.MAX_ATTEMPTS
    assert st.status == "failed" and st.attempts == jobs.MAX_ATTEMPTS
    assert st.error.startswith("De transcriptie is 3 keer mislukt. Laatste fout:") and "schijf vol" in st.error


def test_a_passing_error_does_not_fail_the_job(ctx, user, tmp_path, engine):
    real = engine.transcribe
    calls = []

    def flaky(*a, **kw):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("netwerkschijf even weg")
        return real(*a, **kw)

    engine.transcribe = flaky
    c = _conversation(ctx, user, tmp_path)
    jobs.run_pending(ctx)
    st = jobs.job_status(ctx, c.id)
    assert (st.status, st.attempts, len(calls), st.error) == ("done", 2, 2, None)


@dataclass
class _RacingEngine(FakeEngine):
    """While this attempt runs, another worker (thought to have taken over) runs the same job."""

    ctx: object = None
    job_id: int = 0
    raced: list = field(default_factory=list)

    def transcribe(self, path, agent_channel="left", progress=None):
        if not self.raced:
            self.raced.append(1)
            assert jobs.claim(self.ctx, self.job_id, ("queued", "running"))
            assert jobs.run_job(self.ctx, self.job_id) == "done"
        return super().transcribe(path, agent_channel, progress)


def test_a_job_run_twice_stores_one_transcript(ctx, user, tmp_path, engine):
    c = _conversation(ctx, user, tmp_path)
    racing = _RacingEngine(segments=engine.segments, ctx=ctx, job_id=c.job_id)
    ctx.engine_factory = lambda: racing
    assert jobs.claim_next(ctx) == c.job_id
    assert jobs.run_job(ctx, c.job_id) == "done"
    assert racing.calls == 2
    assert _transcripts(ctx, c.id) == 1


def test_job_status_is_the_newest_job_of_the_conversation(ctx, user, tmp_path):
    c = _conversation(ctx, user, tmp_path)
    st = jobs.job_status(ctx, c.id)
    assert (st.job_id, st.status, st.progress, st.label) == (c.job_id, "queued", 0.0, "in de wachtrij")
    jobs.run_pending(ctx)
    assert jobs.job_status(ctx, c.id).status == "done"
    assert jobs.job_status(ctx, 99999) is None
