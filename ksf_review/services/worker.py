"""One background worker per process runs transcription jobs, one at a time.

One job at a time keeps the two cores of an ordinary laptop for one model run instead of
oversubscribing them. The worker polls the job table, so jobs queued by any page (or left
over from a restart) are picked up without the page waiting. When idle it also asks, at
most once an hour, whether the daily retention run is due (`retention.run_scheduled_retention`
decides across all processes, so several workers still run it once a day).
"""

from __future__ import annotations

import logging
import threading
import time

from .context import AppContext
from .retention import run_scheduled_retention
from .transcription_jobs import claim_next, resume_interrupted, run_job

log = logging.getLogger(__name__)
_lock = threading.Lock()
_workers: dict[str, "TranscriptionWorker"] = {}


class TranscriptionWorker(threading.Thread):
    def __init__(self, ctx: AppContext, poll_seconds: float = 1.0, retention_check_seconds: float = 3600.0):
        super().__init__(name="ksf-transcription-worker", daemon=True)
        self.ctx = ctx
        self.poll_seconds = poll_seconds
        self.retention_check_seconds = retention_check_seconds
        self._next_retention_check = 0.0  # monotonic time; 0 = check on the first idle moment
        self._stopping = threading.Event()
        self.wake = threading.Event()

    def stop(self) -> None:
        self._stopping.set()
        self.wake.set()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                job_id = claim_next(self.ctx)
                if job_id is not None:
                    run_job(self.ctx, job_id)
                    continue
                self.maybe_run_retention()
            except Exception:  # noqa: BLE001 - the worker must outlive any single failure
                log.exception("transcription worker error")
            self.wake.wait(self.poll_seconds)
            self.wake.clear()

    def maybe_run_retention(self) -> None:
        """The daily retention run, checked at most every `retention_check_seconds`."""
        now = time.monotonic()
        if now < self._next_retention_check:
            return
        self._next_retention_check = now + self.retention_check_seconds
        run = run_scheduled_retention(self.ctx)
        if run is not None:
            log.info("bewaartermijn: %s gesprek(ken), %s opname(s) verwijderd", run.conversations, run.recordings)


def ensure_worker(ctx: AppContext) -> TranscriptionWorker:
    """Start (once per database) the worker, after re-queuing interrupted jobs."""
    key = ctx.settings.database_url
    with _lock:
        w = _workers.get(key)
        if w is None or not w.is_alive():
            resume_interrupted(ctx)
            w = TranscriptionWorker(ctx)
            w.start()
            _workers[key] = w
        return w
