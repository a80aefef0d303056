"""Where a queued transcription job goes: one small interface, two backends.

- SQLite (the embedded default: one machine, one web process): the job table is the queue
  and one worker child process of the web process (services/worker.py) runs it, niced and
  with fewer threads than cores, so the pages stay responsive; enqueueing only wakes it.
- PostgreSQL (a site with several web processes and workers): procrastinate
  (services/job_queue_pg.py) holds the queue, with worker heartbeats, retry of a dead
  worker's job and periodic tasks.

Pages and services only call `enqueue_after_commit`; cancel, retry and progress go through the
job row (services/transcription_jobs.py), which every worker and web process reads.
"""

from __future__ import annotations

import logging

from sqlalchemy import event

from .context import AppContext

log = logging.getLogger(__name__)


def uses_postgres(ctx: AppContext) -> bool:
    return ctx.db.engine.dialect.name == "postgresql"


def enqueue_after_commit(ctx: AppContext, session, job_id: int) -> None:
    """Hand the job to the queue once its row is committed: a worker must be able to read it."""
    event.listen(session, "after_commit", lambda _s: enqueue(ctx, job_id), once=True)


def enqueue(ctx: AppContext, job_id: int) -> None:
    """Queue a committed job row. A failure here loses nothing: the row stays 'queued' and
    every worker start hands queued rows to the queue again."""
    try:
        if uses_postgres(ctx):
            from .job_queue_pg import defer

            defer(ctx, job_id)
        else:
            from .worker import wake

            wake(ctx)
    except Exception:  # noqa: BLE001 - the upload is stored; the job is picked up at the next worker start
        log.exception("transcription job %s could not be queued now", job_id)
