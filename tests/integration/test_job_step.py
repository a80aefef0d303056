"""The step a transcription waits in is stored with its job and named by the progress cell.

A mono call's speakers are told apart after every word is heard: the bar then stood at 88 %
for a while without a word. The engine names the step (`announce`), the job's row keeps it,
the progress cell's one query reads it, and the caption says "sprekers herkennen …".
"""

from dataclasses import dataclass, field

from ksf_review.adapters.audio import AudioError
from ksf_review.adapters.engine.contract import announce
from ksf_review.adapters.engine.pipeline import SPEAKER_STEP_SHARE
from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.states import JobStep
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcription_jobs as jobs
from ksf_review.ui.jobs import status_text
from tests.conftest import make_wav


@dataclass
class _MonoEngine(FakeEngine):
    """Hears the words, then tells the voices apart, as the pipeline does for a mono call; notes
    what a page polling the job reads meanwhile."""

    ctx: object = None
    job_id: int = 0
    seen: list = field(default_factory=list)
    fail: bool = False

    def transcribe(self, path, agent_channel="left", progress=None):
        progress(0.5)
        progress(1 - SPEAKER_STEP_SHARE)
        announce(progress, JobStep.SPEAKERS)
        self.seen.append(jobs.job_progress(self.ctx, self.job_id))
        if self.fail:
            raise AudioError("kapot")
        return super().transcribe(path, agent_channel, progress)


def _job(ctx, user, tmp_path, **kw):
    exam = exams.create_exam(ctx, user, "K")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "mono.wav", make_wav(tmp_path / "mono.wav").read_bytes())
    engine = _MonoEngine(ctx=ctx, job_id=conv.job_id, **kw)
    ctx.engine_factory = lambda: engine
    return conv, engine


def test_the_speaker_step_is_stored_and_named_while_it_runs(ctx, user, tmp_path):
    conv, engine = _job(ctx, user, tmp_path)
    jobs.run_pending(ctx)
    [(status, share, _eta, step)] = engine.seen
    assert (status, share, step) == ("running", 0.88, "speakers")
    assert status_text(False, status, share, None, step) == "transcriptie bezig: 88% · sprekers herkennen …"
    assert jobs.job_status(ctx, conv.id).status == "done"


def test_a_job_started_again_starts_without_a_step(ctx, user, tmp_path):
    conv, engine = _job(ctx, user, tmp_path, fail=True)
    jobs.run_pending(ctx)
    assert jobs.job_progress(ctx, conv.job_id)[0] == "failed"
    jobs.retry_job(ctx, user, conv.job_id)
    assert jobs.job_progress(ctx, conv.job_id) == ("queued", 0.0, None, None)
    assert status_text(False, "running", 0.3) == "transcriptie bezig: 30%"  # words: no step named
