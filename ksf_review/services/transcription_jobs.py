"""Transcription jobs that survive restarts: queue, claim, run, cancel, retry.

A job row is the single source of truth: queued → running → done / failed / cancelled.
At start-up, jobs left 'running' by a stopped process are queued again. A transcript is
written in one transaction only when complete, so a half-finished run never looks done.
Results are cached by audio hash + model + settings and reused instead of recomputed.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select, update

from ..adapters.audio import AudioError
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
from ..adapters.transcription import Cancelled, cache_key
from . import audit
from .access import ensure_job_write
from .context import AppContext, NotFound, ServiceError

log = logging.getLogger(__name__)

JOB_LABELS = {"queued": "in de wachtrij", "running": "bezig", "done": "klaar", "failed": "mislukt",
              "cancelled": "geannuleerd"}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _key_for(ctx: AppContext, conv: Conversation) -> str:
    engine = ctx.engine()
    return cache_key(conv.audio.sha256, engine.model_name, engine.settings, conv.agent_channel)


def attach_cached_or_queue(ctx: AppContext, s, conv: Conversation) -> None:
    """Reuse a transcript of the same audio+model+settings, else queue a job."""
    key = _key_for(ctx, conv)
    cached = s.scalar(select(TranscriptRow).where(TranscriptRow.cache_key == key)
                      .order_by(TranscriptRow.id).limit(1))
    if cached is not None:
        copy = TranscriptRow(conversation_id=conv.id, audio_sha256=cached.audio_sha256, cache_key=key,
                             engine=cached.engine, model=cached.model, settings=dict(cached.settings),
                             duration=cached.duration)
        copy.segments = [SegmentRow(index=r.index, start=r.start, end=r.end, speaker=r.speaker,
                                    channel=r.channel, text=r.text, words=list(r.words or []))
                         for r in cached.segments]
        s.add(copy)
        s.add(TranscriptionJob(conversation_id=conv.id, status="done", progress=1.0,
                               model=cached.model, finished_at=_now()))
        return
    s.add(TranscriptionJob(conversation_id=conv.id, status="queued", model=ctx.engine().model_name))


def resume_interrupted(ctx: AppContext) -> int:
    """Jobs a stopped process left 'running' go back to the queue."""
    with ctx.db.unit_of_work() as s:
        res = s.execute(update(TranscriptionJob).where(TranscriptionJob.status == "running")
                        .values(status="queued", progress=0.0, eta_seconds=None))
        return res.rowcount or 0


def claim_next(ctx: AppContext) -> int | None:
    """Atomically move the oldest queued job to 'running' and return its id."""
    with ctx.db.unit_of_work() as s:
        job = s.scalar(select(TranscriptionJob).where(TranscriptionJob.status == "queued")
                       .order_by(TranscriptionJob.id).limit(1))
        if job is None:
            return None
        res = s.execute(update(TranscriptionJob)
                        .where(TranscriptionJob.id == job.id, TranscriptionJob.status == "queued")
                        .values(status="running", started_at=_now(), progress=0.0,
                                attempts=TranscriptionJob.attempts + 1, error=None))
        return job.id if res.rowcount == 1 else None


def run_job(ctx: AppContext, job_id: int) -> str:
    """Transcribe one claimed job; returns its final status."""
    with ctx.db.unit_of_work() as s:
        job = s.get(TranscriptionJob, job_id)
        conv = s.get(Conversation, job.conversation_id) if job else None
        if job is None or conv is None or conv.audio is None:
            if job is not None:
                job.status, job.error = "failed", "Het gesprek of de opname bestaat niet meer."
            return "failed"
        path = ctx.audio.path(conv.audio.stored_path)
        agent_channel = conv.agent_channel
        sha = conv.audio.sha256
        key = _key_for(ctx, conv)
        conv_id = conv.id
    engine = ctx.engine()
    started = time.monotonic()
    last_write = [0.0]

    def progress(share: float) -> None:
        now = time.monotonic()
        if now - last_write[0] < 0.5 and share < 1.0:
            return
        last_write[0] = now
        elapsed = now - started
        eta = elapsed * (1 - share) / share if share > 0.01 else None
        with ctx.db.unit_of_work() as s2:
            status = s2.scalar(select(TranscriptionJob.status).where(TranscriptionJob.id == job_id))
            if status == "cancelled":
                raise Cancelled()
            s2.execute(update(TranscriptionJob).where(TranscriptionJob.id == job_id)
                       .values(progress=round(share, 4), eta_seconds=eta))

    try:
        if not Path(path).exists():
            raise AudioError("De opname is niet meer aanwezig in de opslag (verwijderd of verplaatst).")
        _prepare_playback(Path(path))
        transcript = engine.transcribe(Path(path), agent_channel=agent_channel, progress=progress)
    except Cancelled:
        _finish(ctx, job_id, "cancelled", None)
        return "cancelled"
    except (AudioError, SpeechModelError) as exc:
        _finish(ctx, job_id, "failed", str(exc))
        return "failed"
    except Exception as exc:  # noqa: BLE001 - any engine failure must end as a visible failed job
        _finish(ctx, job_id, "failed", f"Transcriptie mislukt door een onverwachte fout: {exc}")
        return "failed"
    with ctx.db.unit_of_work() as s:
        job = s.get(TranscriptionJob, job_id)
        if job.status == "cancelled":
            return "cancelled"
        row = TranscriptRow(conversation_id=conv_id, audio_sha256=sha, cache_key=key,
                            model=transcript.model, settings=transcript.settings,
                            duration=transcript.duration)
        row.segments = [SegmentRow(index=i, start=sg.start, end=sg.end, speaker=sg.speaker,
                                   channel=sg.channel, text=sg.text, words=[w.to_dict() for w in sg.words])
                        for i, sg in enumerate(transcript.segments)]
        s.add(row)
        job.status, job.progress, job.eta_seconds, job.finished_at = "done", 1.0, 0.0, _now()
        job.model = transcript.model
        audit.record(s, None, "transcribe", "conversation", conv_id,
                     f"{len(transcript.segments)} segmenten, model {transcript.model}")
    return "done"


def _prepare_playback(path: Path) -> None:
    """The player's compressed copy, before the long transcription; the original still plays without it."""
    try:
        make_copy(path)
    except PlaybackCopyError as exc:
        log.warning("%s: %s", path.name, exc)


def _finish(ctx: AppContext, job_id: int, status: str, error: str | None) -> None:
    with ctx.db.unit_of_work() as s:
        s.execute(update(TranscriptionJob).where(TranscriptionJob.id == job_id)
                  .values(status=status, error=error, finished_at=_now(), eta_seconds=None))


def run_pending(ctx: AppContext, limit: int | None = None) -> int:
    """Run queued jobs one after another in this thread (CLI, tests, the worker)."""
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
        if job.status not in ("queued", "running"):
            raise ServiceError(f"Deze taak is al {JOB_LABELS.get(job.status, job.status)}.")
        job.status = "cancelled"
        job.finished_at = _now()
        audit.record(s, actor, "cancel", "transcription_job", job_id)


def retry_job(ctx: AppContext, actor: User, job_id: int) -> None:
    ensure_job_write(ctx, actor, job_id)  # only who may change the conversation
    with ctx.db.unit_of_work() as s:
        job = s.get(TranscriptionJob, job_id)
        if job is None:
            raise NotFound("Deze transcriptietaak bestaat niet.")
        if job.status not in ("failed", "cancelled"):
            raise ServiceError("Alleen een mislukte of geannuleerde taak kan opnieuw gestart worden.")
        job.status, job.progress, job.error, job.eta_seconds = "queued", 0.0, None, None
        audit.record(s, actor, "retry", "transcription_job", job_id)


def job_counts(ctx: AppContext) -> dict[str, int]:
    with ctx.db.unit_of_work() as s:
        rows = s.execute(select(TranscriptionJob.status)).scalars().all()
    out: dict[str, int] = {}
    for r in rows:
        out[r] = out.get(r, 0) + 1
    return out


ACTIVE = ("queued", "running")


def job_progress(ctx: AppContext, job_id: int) -> tuple[str, float, float | None] | None:
    """(status, progress, eta seconds) of one job: the one cheap query a progress poll makes.

    No access check: it is only called for a job the page already showed (after its check);
    it returns nothing but the job's state.
    """
    with ctx.db.unit_of_work() as s:
        row = s.execute(select(TranscriptionJob.status, TranscriptionJob.progress, TranscriptionJob.eta_seconds)
                        .where(TranscriptionJob.id == job_id)).one_or_none()
    return (row[0], float(row[1] or 0.0), row[2]) if row is not None else None
