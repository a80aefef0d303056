"""One background worker per process runs transcription jobs, one at a time.

One job at a time keeps the two cores of an ordinary laptop for one model run instead of
oversubscribing them. The worker polls the job table, so jobs queued by any page (or left
over from a restart) are picked up without the page waiting.
"""

from __future__ import annotations

import logging
import threading

from .context import AppContext
from .transcription_jobs import claim_next, resume_interrupted, run_job

log = logging.getLogger(__name__)
_lock = threading.Lock()
_workers: dict[str, "TranscriptionWorker"] = {}


class TranscriptionWorker(threading.Thread):
    def __init__(self, ctx: AppContext, poll_seconds: float = 1.0):
        super().__init__(name="ksf-transcription-worker", daemon=True)
        self.ctx = ctx
        self.poll_seconds = poll_seconds
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
            except Exception:  # noqa: BLE001 - the worker must outlive any single failure
                log.exception("transcription worker error")
            self.wake.wait(self.poll_seconds)
            self.wake.clear()


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
