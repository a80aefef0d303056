"""PostgreSQL queue: procrastinate runs the transcription jobs of all workers of a site.

procrastinate gives what a home-made claim/resume loop got wrong: a job is fetched by one
worker only (row locks), each worker writes a heartbeat, and only the jobs of a worker whose
heartbeat stopped are run again — a starting worker never takes a live worker's job.
Periodic work (retention, the stalled-job check) is deferred once per slot for all workers.

Each worker process runs two procrastinate workers: one for transcriptions, one job at a
time, and one for the short periodic tasks, so a two-hour transcription never delays the
check that restarts a dead worker's job. A job of a worker silent for
`worker_stalled_seconds` (KSF_WORKER_STALLED_SECONDS) runs again within that time plus one
check interval (a third of it, at most 20 s). SIGTERM / Ctrl+C hands the running job back to
the queue at its next progress report (the attempt does not count) and then stops.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import threading

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.worker import Worker

from ..domain.states import ACTIVE_JOBS, JobState
from . import scheduled
from . import transcription_jobs as jobs
from .context import AppContext

log = logging.getLogger(__name__)

TRANSCRIBE = "ksf.transcribe"
RETRY_STALLED = "ksf.retry_stalled"
QUEUE = "transcription"
PERIODIC_QUEUE = "periodic"
_lock = threading.Lock()
_defer_apps: dict[str, procrastinate.App] = {}
_stopping = threading.Event()  # SIGTERM / Ctrl+C: hand the running job back instead of finishing it


class TryAgain(Exception):
    """An attempt failed and the job row is queued again: procrastinate retries it."""


def conninfo(ctx: AppContext) -> str:
    return ctx.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _job_lock(job_id: int) -> str:
    return f"ksf-transcription-{job_id}"


def _defer_app(ctx: AppContext) -> procrastinate.App:
    """A small synchronous app per process for deferring (web processes, the worker's start)."""
    url = conninfo(ctx)
    with _lock:
        app = _defer_apps.get(url)
        if app is None:
            app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=url, min_size=0, max_size=2))
            app.open()
            _defer_apps[url] = app
        return app


def defer(ctx: AppContext, job_id: int) -> None:
    """Queue a committed job row; a job already waiting in the queue is not queued twice."""
    task = _defer_app(ctx).configure_task(TRANSCRIBE, queue=QUEUE, lock=_job_lock(job_id), queueing_lock=_job_lock(job_id))
    try:
        task.defer(job_id=job_id)
    except AlreadyEnqueued:
        pass


def defer_queued_rows(ctx: AppContext) -> int:
    """Hand job rows left 'queued' (their defer failed, e.g. the database was briefly away) to the queue."""
    from sqlalchemy import select

    from ..adapters.storage.models import TranscriptionJob

    with ctx.db.unit_of_work() as s:
        ids = s.scalars(select(TranscriptionJob.id).where(TranscriptionJob.status == JobState.QUEUED)).all()
    for job_id in ids:
        defer(ctx, job_id)
    return len(ids)


def timings(ctx: AppContext) -> tuple[float, float, int]:
    """(stalled after, heartbeat every, check every) in seconds."""
    stalled = ctx.settings.worker_stalled_seconds
    return stalled, max(0.5, stalled / 6), max(1, min(20, int(stalled / 3)))


def make_worker_app(ctx: AppContext) -> procrastinate.App:
    """The worker's app with its tasks; they run the one transcription code path of the app."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(ctx), min_size=1, max_size=4))
    stalled, _, check = timings(ctx)

    # procrastinate's own cap is generous: jobs.claim() counts the attempts and fails the job
    @app.task(
        name=TRANSCRIBE,
        queue=QUEUE,
        retry=procrastinate.RetryStrategy(max_attempts=jobs.MAX_ATTEMPTS + 2, wait=5, retry_exceptions={TryAgain}),
    )
    def transcribe(job_id: int) -> None:
        # 'running' too: a dead worker's job comes back still marked running
        if jobs.claim(ctx, job_id, ACTIVE_JOBS) and jobs.run_job(ctx, job_id, stopping=_stopping.is_set) == jobs.RETRY:
            raise TryAgain(f"transcriptietaak {job_id}: nieuwe poging")

    @app.periodic(cron=f"* * * * * */{check}", periodic_id="stalled")
    @app.task(name=RETRY_STALLED, queue=PERIODIC_QUEUE, queueing_lock=RETRY_STALLED)
    async def retry_stalled(timestamp: int) -> None:
        for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled):
            log.warning("taak %s van een gestopte werker wordt opnieuw gestart", job.id)
            await app.job_manager.retry_job(job)

    for p in scheduled.PERIODIC:
        _register_periodic(app, ctx, p)
    return app


def _register_periodic(app: procrastinate.App, ctx: AppContext, p: scheduled.Periodic) -> None:
    @app.periodic(cron=p.cron, periodic_id=p.name)
    @app.task(name=f"ksf.{p.name}", queue=PERIODIC_QUEUE, queueing_lock=f"ksf.{p.name}")
    def periodic(timestamp: int) -> None:
        p.run(ctx)


def run_worker(ctx: AppContext, forever: bool = True, install_signal_handlers: bool = True) -> None:
    """Run this process's workers: until stopped (SIGTERM / Ctrl+C), or until the queue is empty."""
    app = make_worker_app(ctx)
    stalled, heartbeat, _ = timings(ctx)
    defer_queued_rows(ctx)
    name = f"{socket.gethostname()}-{os.getpid()}"
    options = dict(
        wait=forever,
        concurrency=1,
        install_signal_handlers=False,
        stalled_worker_timeout=stalled,
        update_heartbeat_interval=heartbeat,
        delete_jobs="successful",
    )

    async def main() -> None:
        async with app.open_async():
            workers = [
                Worker(app=app, queues=[QUEUE], name=f"{name}-transcriptie", **options),
                Worker(app=app, queues=[PERIODIC_QUEUE], name=f"{name}-periodiek", **options),
            ]
            if install_signal_handlers:

                def stop() -> None:
                    _stopping.set()  # the running transcription goes back to the queue at its next report
                    for w in workers:  # procrastinate's graceful stop: no new job, the running one ends
                        w.stop()

                loop = asyncio.get_running_loop()
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(sig, stop)
            await asyncio.gather(*(w.run() for w in workers))

    asyncio.run(main())
