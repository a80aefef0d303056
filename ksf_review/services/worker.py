"""The transcription worker: in-process on SQLite, procrastinate on PostgreSQL.

One job at a time per worker keeps the two cores of an ordinary laptop for one model run
instead of oversubscribing them. On SQLite one thread per process polls the job table (woken
at once by `wake`) and runs the periodic work between jobs; on PostgreSQL `run_worker` is
procrastinate's worker, in the web process (KSF_WORKER=1) or in `python -m ksf_review worker`.
"""

from __future__ import annotations

import logging
import threading
import time

from . import scheduled
from .context import AppContext
from .job_queue import uses_postgres
from .transcription_jobs import claim_next, resume_interrupted, run_job

log = logging.getLogger(__name__)
_lock = threading.Lock()
_workers: dict[str, threading.Thread] = {}


class TranscriptionWorker(threading.Thread):
    """In-process queue (SQLite): runs queued jobs and the periodic work, one at a time."""

    def __init__(self, ctx: AppContext, poll_seconds: float = 1.0):
        super().__init__(name="ksf-transcription-worker", daemon=True)
        self.ctx = ctx
        self.poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self.wake = threading.Event()
        self._last_run: dict[str, float] = {}

    def stop(self) -> None:
        self._stopping.set()
        self.wake.set()

    def run_periodic(self) -> None:
        now = time.monotonic()
        for p in scheduled.PERIODIC:
            last = self._last_run.get(p.name)
            if last is not None and now - last < p.every_seconds:
                continue
            self._last_run[p.name] = now
            try:
                p.run(self.ctx)
            except Exception:  # noqa: BLE001 - periodic work must not stop transcription
                log.exception("periodic task %s failed", p.name)

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.run_periodic()
                job_id = claim_next(self.ctx)
                if job_id is not None:
                    run_job(self.ctx, job_id)
                    continue
            except Exception:  # noqa: BLE001 - the worker must outlive any single failure
                log.exception("transcription worker error")
            self.wake.wait(self.poll_seconds)
            self.wake.clear()


class _QueueWorkerThread(threading.Thread):
    """PostgreSQL: procrastinate's worker inside a web process (KSF_WORKER=1)."""

    def __init__(self, ctx: AppContext):
        super().__init__(name="ksf-queue-worker", daemon=True)
        self.ctx = ctx

    def run(self) -> None:
        from .job_queue_pg import run_worker

        try:
            run_worker(self.ctx, forever=True, install_signal_handlers=False)
        except Exception:  # noqa: BLE001 - the page keeps working; jobs wait for another worker
            log.exception("queue worker stopped")


def ensure_worker(ctx: AppContext) -> threading.Thread:
    """Start (once per database and process) this process's worker."""
    key = ctx.settings.database_url
    with _lock:
        w = _workers.get(key)
        if w is None or not w.is_alive():
            if uses_postgres(ctx):
                w = _QueueWorkerThread(ctx)
            else:
                resume_interrupted(ctx)  # one process owns a SQLite database: its 'running' jobs died
                w = TranscriptionWorker(ctx)
            w.start()
            _workers[key] = w
        return w


def wake(ctx: AppContext) -> None:
    """A job was queued: let this process's in-process worker look now, not at its next poll."""
    w = _workers.get(ctx.settings.database_url)
    if isinstance(w, TranscriptionWorker):
        w.wake.set()


def run_foreground(ctx: AppContext, loop: bool) -> int | None:
    """`python -m ksf_review worker [--loop]`: run queued jobs until none is left, or forever.

    Returns the number of jobs run on SQLite without --loop, else None.
    """
    if uses_postgres(ctx):
        from .job_queue_pg import run_worker

        if loop:
            print("transcriptiewerker gestart (PostgreSQL-wachtrij; Ctrl+C stopt, een lopende taak gaat terug "
                  "naar de wachtrij)", flush=True)
        run_worker(ctx, forever=loop)
        return None
    from .transcription_jobs import run_pending

    resume_interrupted(ctx)  # SQLite: one process at a time works on this database
    if not loop:
        return run_pending(ctx)
    worker = TranscriptionWorker(ctx, poll_seconds=2.0)
    print("transcriptiewerker gestart (Ctrl+C stopt)", flush=True)
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()
    return None
