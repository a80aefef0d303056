"""Transcription jobs: the one code path that transcribes a conversation, and its status.

A job row is the single source of truth for the pages: queued → running → done / failed /
cancelled, with progress, time left and a Dutch error, stored in the database so that every
web process shows it whichever worker transcribes. Which worker runs a job is the queue's
business (services/job_queue.py: an in-process worker on SQLite, procrastinate on
PostgreSQL); this module only starts an attempt (`claim`), runs it (`run_job`) and lets the
page cancel or retry. A job gets MAX_ATTEMPTS attempts (a worker killed mid-job, an
unexpected error); then it stops as failed with a readable error and an *opnieuw* button.
The transcript is written in one transaction under the job's row lock, only when complete and
only once, so a half-finished or repeated run never leaves a second transcript.
Results are cached by audio hash + model + settings and reused instead of recomputed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import select, update

from ..adapters.audio import AudioError
from ..adapters.engine import Cancelled, cache_key
from ..adapters.playback_copy import PlaybackCopyError, make_copy
from ..adapters.speech_model import SpeechModelError
from ..adapters.storage.models import (
    Conversation,
    TranscriptionJob,
    User,
)
from ..adapters.storage.models import (
    Segment as SegmentRow,
)
from ..adapters.storage.models import (
    Transcript as TranscriptRow,
)
from ..domain.states import ACTIVE_JOBS, RETRYABLE_JOBS, JobState, label_of
from . import audit, job_queue
from .access import ensure_job_write
from .context import AppContext, NotFound, ServiceError
from .tagging import requote_tags

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY = "retry"  # run_job's result when an attempt failed and the job is queued again


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _key_for(ctx: AppContext, conv: Conversation) -> str:
    engine = ctx.engine()
    return cache_key(conv.audio.sha256, engine.model_name, engine.settings, conv.agent_channel)


def attach_cached_or_queue(ctx: AppContext, s, conv: Conversation) -> None:
    """Reuse a transcript of the same audio+model+settings, else queue a job."""
    key = _key_for(ctx, conv)
    cached = s.scalar(select(TranscriptRow).where(TranscriptRow.cache_key == key).order_by(TranscriptRow.id).limit(1))
    if cached is not None:
        copy = TranscriptRow(
            conversation_id=conv.id,
            audio_sha256=cached.audio_sha256,
            cache_key=key,
            engine=cached.engine,
            model=cached.model,
            settings=dict(cached.settings),
            duration=cached.duration,
        )
        copy.segments = [_segment_row(r.index, r, list(r.words or [])) for r in cached.segments]
        s.add(copy)
        s.add(TranscriptionJob(conversation_id=conv.id, status=JobState.DONE, progress=1.0, model=cached.model, finished_at=_now()))
        return
    job = TranscriptionJob(conversation_id=conv.id, status=JobState.QUEUED, model=ctx.engine().model_name)
    s.add(job)
    s.flush()
    job_queue.enqueue_after_commit(ctx, s, job.id)


def _segment_row(index: int, segment, words: list[dict]) -> SegmentRow:
    """A stored segment, from the engine's segment or a cached transcript's row (the one place)."""
    return SegmentRow(
        index=index, start=segment.start, end=segment.end, speaker=segment.speaker, channel=segment.channel, text=segment.text, words=words
    )


def resume_interrupted(ctx: AppContext) -> int:
    """In-process queue only (SQLite, one process): jobs a stopped process left 'running' go back.

    Never on PostgreSQL, where another machine's live worker may hold a 'running' job; there
    procrastinate retries the jobs of workers whose heartbeat stopped.
    """
    with ctx.db.unit_of_work() as s:
        res = s.execute(
            update(TranscriptionJob)
            .where(TranscriptionJob.status == JobState.RUNNING)
            .values(status=JobState.QUEUED, progress=0.0, eta_seconds=None, step=None)
        )
        return res.rowcount or 0


def claim(ctx: AppContext, job_id: int, from_statuses: tuple[str, ...] = (JobState.QUEUED,)) -> bool:
    """Start one more attempt of a job (atomically); a job out of attempts fails instead.

    `from_statuses` includes 'running' only for the PostgreSQL queue's retry of a job whose
    worker died: the queue guarantees that nobody else holds it.
    """
    with ctx.db.unit_of_work() as s:
        res = s.execute(
            update(TranscriptionJob)
            .where(TranscriptionJob.id == job_id, TranscriptionJob.status.in_(from_statuses), TranscriptionJob.attempts < MAX_ATTEMPTS)
            .values(
                status=JobState.RUNNING,
                started_at=_now(),
                progress=0.0,
                eta_seconds=None,
                step=None,
                attempts=TranscriptionJob.attempts + 1,
            )
        )
        if res.rowcount == 1:
            return True
        job = s.get(TranscriptionJob, job_id)
        if job is not None and job.status in from_statuses and job.attempts >= MAX_ATTEMPTS:
            job.status, job.error, job.finished_at, job.eta_seconds = JobState.FAILED, _gave_up(job.error), _now(), None
        return False


def _gave_up(last_error: str | None) -> str:
    if last_error:
        return f"De transcriptie is {MAX_ATTEMPTS} keer mislukt. Laatste fout: {last_error}"
    return (
        f"De transcriptie is {MAX_ATTEMPTS} keer afgebroken: de transcriptiewerker stopte tijdens het "
        "werk (bijvoorbeeld door te weinig geheugen of een herstart). Probeer het opnieuw; blijft het "
        "mislukken, neem dan contact op met de beheerder."
    )


def claim_next(ctx: AppContext) -> int | None:
    """In-process queue: start the oldest queued job and return its id."""
    while True:
        with ctx.db.unit_of_work() as s:
            job_id = s.scalar(
                select(TranscriptionJob.id).where(TranscriptionJob.status == JobState.QUEUED).order_by(TranscriptionJob.id).limit(1)
            )
        if job_id is None:
            return None
        if claim(ctx, job_id):
            return job_id


class Interrupted(Exception):
    """The worker is shutting down: the job goes back to the queue, the attempt does not count."""


class _JobProgress:
    """The engine's progress callback for one job: the share done (written at most every 0.5 s)
    and the step that starts (`step`, written at once: the bar may wait there a while), into
    the job's row, where any web process's progress cell reads them."""

    def __init__(self, ctx: AppContext, job_id: int, stopping: Callable[[], bool] | None):
        self.ctx, self.job_id, self.stopping = ctx, job_id, stopping
        self.started, self.last_write = time.monotonic(), float("-inf")
        self.share = 0.0

    def __call__(self, share: float) -> None:
        if self.stopping is not None and self.stopping():
            raise Interrupted()
        self.share = share
        now = time.monotonic()
        if now - self.last_write < 0.5 and share < 1.0:
            return
        self.last_write = now
        self._write()

    def step(self, name: str) -> None:
        self._write(step=name)

    def _write(self, **values) -> None:
        elapsed = time.monotonic() - self.started
        eta = elapsed * (1 - self.share) / self.share if self.share > 0.01 else None
        with self.ctx.db.unit_of_work() as s:
            status = s.scalar(select(TranscriptionJob.status).where(TranscriptionJob.id == self.job_id))
            if status == JobState.CANCELLED:
                raise Cancelled()
            s.execute(
                update(TranscriptionJob)
                .where(TranscriptionJob.id == self.job_id)
                .values(progress=round(self.share, 4), eta_seconds=eta, **values)
            )


def run_job(ctx: AppContext, job_id: int, stopping: Callable[[], bool] | None = None) -> str:
    """Transcribe one claimed job; returns its status afterwards (or RETRY: queued again).

    `stopping` is asked at every progress report: True hands the job back to the queue.
    """
    with ctx.db.unit_of_work() as s:
        job = s.get(TranscriptionJob, job_id)
        if job is not None and job.status != JobState.RUNNING:
            return job.status  # cancelled (or finished elsewhere) since it was claimed
        attempt = job.attempts if job else 0
        conv = s.get(Conversation, job.conversation_id) if job else None
        if job is None or conv is None or conv.audio is None:
            if job is not None:
                job.status, job.error = JobState.FAILED, "Het gesprek of de opname bestaat niet meer."
            return JobState.FAILED
        stored = conv.audio.stored_path
        agent_channel = conv.agent_channel
        sha = conv.audio.sha256
        key = _key_for(ctx, conv)
        conv_id = conv.id
    engine = ctx.engine()
    progress = _JobProgress(ctx, job_id, stopping)

    try:
        if not ctx.audio.exists(stored):
            raise AudioError("De opname is niet meer aanwezig in de opslag (verwijderd of verplaatst).")
        path = ctx.audio.local_path(stored)
        _prepare_playback(path)
        transcript = engine.transcribe(path, agent_channel=agent_channel, progress=progress)
    except Cancelled:
        _finish(ctx, job_id, JobState.CANCELLED, None)
        return JobState.CANCELLED
    except Interrupted:
        with ctx.db.unit_of_work() as s:
            s.execute(
                update(TranscriptionJob)
                .where(TranscriptionJob.id == job_id, TranscriptionJob.status == JobState.RUNNING)
                .values(status=JobState.QUEUED, progress=0.0, eta_seconds=None, step=None, attempts=TranscriptionJob.attempts - 1)
            )
        return RETRY
    except (AudioError, SpeechModelError) as exc:
        _finish(ctx, job_id, JobState.FAILED, str(exc))
        return JobState.FAILED
    except Exception as exc:  # noqa: BLE001 - any engine failure must end as a visible job state
        log.exception("transcription job %s, attempt %s", job_id, attempt)
        error = f"Transcriptie mislukt door een onverwachte fout: {exc}"
        if attempt < MAX_ATTEMPTS:
            _finish(ctx, job_id, JobState.QUEUED, error, finished=False)
            return RETRY
        _finish(ctx, job_id, JobState.FAILED, _gave_up(error))
        return JobState.FAILED
    status = _store_transcript(ctx, job_id, conv_id, sha, key, transcript)
    if status is None:  # stored now
        warm_review(ctx, conv_id, path, sha)
        return JobState.DONE
    return status


def _store_transcript(ctx: AppContext, job_id: int, conv_id: int, sha: str, key: str, transcript) -> str | None:
    """Store a finished run's transcript once, under the job's row lock.

    None when it was stored now; else the job's status (cancelled, or already stored: done).
    """
    with ctx.db.unit_of_work() as s:
        job = s.get(TranscriptionJob, job_id, with_for_update=True)  # one finisher at a time
        if job.status != JobState.RUNNING:
            return job.status  # cancelled, or a worker thought dead finished it first
        if (
            s.scalar(select(TranscriptRow.id).where(TranscriptRow.conversation_id == conv_id, TranscriptRow.cache_key == key).limit(1))
            is not None
        ):
            job.status, job.progress, job.eta_seconds, job.finished_at, job.error = JobState.DONE, 1.0, 0.0, _now(), None
            return JobState.DONE  # already stored by an earlier run of this job: store it only once
        row = TranscriptRow(
            conversation_id=conv_id,
            audio_sha256=sha,
            cache_key=key,
            model=transcript.model,
            settings=transcript.settings,
            duration=transcript.duration,
        )
        row.segments = [_segment_row(i, sg, [w.to_dict() for w in sg.words]) for i, sg in enumerate(transcript.segments)]
        s.add(row)
        s.flush()
        # a tag saved before there was a transcript (the demo's worked example) quotes it now
        requote_tags(s, s.get(Conversation, conv_id), 0.0, 1e9)
        job.status, job.progress, job.eta_seconds, job.finished_at = JobState.DONE, 1.0, 0.0, _now()
        job.error = None  # an earlier attempt's error is history now
        job.model = transcript.model
        audit.record(s, None, "transcribe", "conversation", conv_id, f"{len(transcript.segments)} segmenten, model {transcript.model}")
    return None


def warm_review(ctx: AppContext, conv_id: int, path: Path, sha: str) -> None:
    """Compute now what the first opening of Beoordelen would: waveform peaks and the rules'
    suggestions, both stored as files every process reads (the pages of the web process too,
    when this is the worker child it started on SQLite, #14.10). A failure here only costs
    that time later.
    """
    from ..adapters.waveform import peaks_for
    from .suggestions import warm_suggestions

    try:
        peaks_for(path, sha, ctx.settings.peaks_dir)
    except Exception as exc:  # noqa: BLE001 - the page computes them (or shows no waveform)
        log.warning("golfvorm vooraf berekenen mislukt: %s", exc)
    try:
        warm_suggestions(ctx, conv_id)
    except Exception as exc:  # noqa: BLE001
        log.warning("suggesties vooraf berekenen mislukt: %s", exc)


def _prepare_playback(path: Path) -> None:
    """The player's compressed copy, before the long transcription; the original still plays without it."""
    try:
        make_copy(path)
    except PlaybackCopyError as exc:
        log.warning("%s: %s", path.name, exc)


def _finish(ctx: AppContext, job_id: int, status: str, error: str | None, finished: bool = True) -> None:
    with ctx.db.unit_of_work() as s:
        s.execute(
            update(TranscriptionJob)
            .where(TranscriptionJob.id == job_id, TranscriptionJob.status == JobState.RUNNING)
            .values(status=status, error=error, finished_at=_now() if finished else None, eta_seconds=None)
        )


def run_pending(ctx: AppContext, limit: int | None = None) -> int:
    """In-process queue: run queued jobs one after another in this thread (CLI, tests)."""
    n = 0
    while limit is None or n < limit:
        job_id = claim_next(ctx)
        if job_id is None:
            break
        run_job(ctx, job_id)
        n += 1
    return n


def cancel_job(ctx: AppContext, actor: User, job_id: int) -> None:
    ensure_job_write(ctx, actor, job_id)  # only who may change the conversation
    with ctx.db.unit_of_work() as s:
        job = s.get(TranscriptionJob, job_id)
        if job is None:
            raise NotFound("Deze transcriptietaak bestaat niet.")
        if job.status not in ACTIVE_JOBS:
            raise ServiceError(f"Deze taak is al {label_of(JobState, job.status)}.")
        job.status = JobState.CANCELLED
        job.finished_at = _now()
        audit.record(s, actor, "cancel", "transcription_job", job_id)


def retry_job(ctx: AppContext, actor: User, job_id: int) -> None:
    ensure_job_write(ctx, actor, job_id)  # only who may change the conversation
    with ctx.db.unit_of_work() as s:
        job = s.get(TranscriptionJob, job_id)
        if job is None:
            raise NotFound("Deze transcriptietaak bestaat niet.")
        if job.status not in RETRYABLE_JOBS:
            raise ServiceError("Alleen een mislukte of geannuleerde taak kan opnieuw gestart worden.")
        job.status, job.progress, job.error, job.eta_seconds, job.attempts, job.step = JobState.QUEUED, 0.0, None, None, 0, None
        audit.record(s, actor, "retry", "transcription_job", job_id)
        job_queue.enqueue_after_commit(ctx, s, job_id)


@dataclass(frozen=True)
class JobStatus:
    """What a page shows of a conversation's transcription (read from the database)."""

    job_id: int
    status: str
    progress: float
    eta_seconds: float | None
    error: str | None
    attempts: int

    @property
    def label(self) -> str:
        return label_of(JobState, self.status)


def job_status(ctx: AppContext, conversation_id: int) -> JobStatus | None:
    """The newest job of a conversation, for progress polling in any web process."""
    with ctx.db.unit_of_work() as s:
        job = s.scalar(
            select(TranscriptionJob)
            .where(TranscriptionJob.conversation_id == conversation_id)
            .order_by(TranscriptionJob.id.desc())
            .limit(1)
        )
        if job is None:
            return None
        return JobStatus(job.id, job.status, job.progress, job.eta_seconds, job.error, job.attempts)


def job_progress(ctx: AppContext, job_id: int) -> tuple[str, float, float | None, str | None] | None:
    """(status, progress, eta seconds, step) of one job: the one cheap query a progress poll makes.

    No access check: it is only called for a job the page already showed (after its check);
    it returns nothing but the job's state.
    """
    with ctx.db.unit_of_work() as s:
        row = s.execute(
            select(TranscriptionJob.status, TranscriptionJob.progress, TranscriptionJob.eta_seconds, TranscriptionJob.step).where(
                TranscriptionJob.id == job_id
            )
        ).one_or_none()
    return (row[0], float(row[1] or 0.0), row[2], row[3]) if row is not None else None
