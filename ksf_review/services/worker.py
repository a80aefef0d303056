"""The transcription worker: a child process of the web process on SQLite, procrastinate on PostgreSQL.

One job at a time per worker keeps the two cores of an ordinary laptop for one model run
instead of oversubscribing them. On SQLite the web process (KSF_WORKER=1) starts
`python -m ksf_review worker --loop` as a child process with a lower priority (`nice`) and
fewer model threads than cores: Whisper in the web process took both cores and the GIL from
every examiner's page while it ran (#14.10). That child polls the job table (woken at once by
`wake`, a signal) and runs the periodic work between jobs; a lock file keeps it the only
worker on that database, and it stops when its web process is gone. On PostgreSQL
`run_worker` is procrastinate's worker, in the web process (KSF_WORKER=1) or in
`python -m ksf_review worker`.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from ..config import child_environment
from . import scheduled
from .context import AppContext
from .job_queue import uses_postgres
from .transcription_jobs import claim_next, resume_interrupted, run_job

log = logging.getLogger(__name__)
_lock = threading.Lock()
_workers: dict[str, object] = {}
#: the worker child's priority: the web process's script runs go first
NICE = 10


class TranscriptionWorker(threading.Thread):
    """In-process queue (SQLite): runs queued jobs and the periodic work, one at a time."""

    def __init__(self, ctx: AppContext, poll_seconds: float = 1.0, gone: Callable[[], bool] | None = None):
        super().__init__(name="ksf-transcription-worker", daemon=True)
        self.ctx = ctx
        self.poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self.wake = threading.Event()
        self._last_run: dict[str, float] = {}
        self._gone = gone or (lambda: False)  # True: the web process this worker belongs to ended

    def stop(self) -> None:
        self._stopping.set()
        self.wake.set()

    def stopping(self) -> bool:
        """Asked between jobs and at every progress report: a job then goes back to the queue."""
        if not self._stopping.is_set() and self._gone():
            log.info("de webserver is gestopt; de transcriptiewerker stopt ook")
            self._stopping.set()
        return self._stopping.is_set()

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
        while not self.stopping():
            try:
                self.run_periodic()
                job_id = claim_next(self.ctx)
                if job_id is not None:
                    run_job(self.ctx, job_id, stopping=self.stopping)
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


def worker_command() -> list[str]:
    return [sys.executable, "-m", "ksf_review", "worker", "--loop", "--nice", str(NICE)]


class WorkerProcess:
    """SQLite: the web process's transcription worker, as a child process (#14.10).

    The child gets this database and data directory, `worker_threads` model threads (one core
    stays free for the pages) and a lower priority; it ends with the web process.
    """

    def __init__(self, ctx: AppContext, command: list[str] | None = None):
        s = ctx.settings
        threads = str(s.worker_threads)
        env = child_environment(
            KSF_DATA_DIR=str(s.data_dir),
            KSF_DATABASE_URL=s.database_url,
            KSF_CPU_THREADS=threads,
            OMP_NUM_THREADS=threads,
            KSF_WORKER_PARENT=str(os.getpid()),
        )
        self.proc = subprocess.Popen(command or worker_command(), env=env, stdin=subprocess.DEVNULL)
        atexit.register(self.stop)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def is_alive(self) -> bool:
        return self.proc.poll() is None

    def wake(self) -> None:
        if self.is_alive():
            try:
                os.kill(self.proc.pid, signal.SIGUSR1)
            except OSError:  # ended meanwhile: the next start picks the job up
                pass

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM: a running job goes back to the queue (not counted as an attempt)."""
        if not self.is_alive():
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def ensure_worker(ctx: AppContext):
    """Start (once per database and process) this process's worker: a thread running
    procrastinate on PostgreSQL, a child process on SQLite."""
    key = ctx.settings.database_url
    with _lock:
        w = _workers.get(key)
        if w is None or not w.is_alive():
            if uses_postgres(ctx):
                w = _QueueWorkerThread(ctx)
                w.start()
            else:
                w = WorkerProcess(ctx)
            _workers[key] = w
        return w


def wake(ctx: AppContext) -> None:
    """A job was queued: let the worker look now, not at its next poll."""
    w = _workers.get(ctx.settings.database_url)
    if isinstance(w, WorkerProcess):
        w.wake()
    elif isinstance(w, TranscriptionWorker):
        w.wake.set()


def _parent_gone(parent: int | None) -> Callable[[], bool]:
    """For a worker started by a web process (`parent`): True once that process has ended."""
    if not parent:
        return lambda: False
    return lambda: os.getppid() != parent


def _only_worker(ctx: AppContext, wait: bool):
    """An exclusive lock on the SQLite database's worker lock file, held for the life of the
    process (None: another worker holds it and `wait` is False). A new worker waits for an
    older one that is still handing its job back."""
    import fcntl

    ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
    f = open(Path(ctx.settings.data_dir) / "transcriptiewerker.lock", "w")  # noqa: SIM115 - held for the process
    try:
        fcntl.flock(f, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        return None
    return f


def run_foreground(ctx: AppContext, loop: bool) -> int | None:
    """`python -m ksf_review worker [--loop]`: run queued jobs until none is left, or forever.

    Returns the number of jobs run on SQLite without --loop, else None.
    """
    if uses_postgres(ctx):
        from .job_queue_pg import run_worker

        if loop:
            print(
                "transcriptiewerker gestart (PostgreSQL-wachtrij; Ctrl+C stopt, een lopende taak gaat terug naar de wachtrij)", flush=True
            )
        run_worker(ctx, forever=loop)
        return None
    from .transcription_jobs import run_pending

    lock = _only_worker(ctx, wait=loop)  # SQLite: one worker at a time works on this database
    if lock is None:
        print("er draait al een transcriptiewerker op deze database (bijv. die van de webserver); die voert de taken uit", flush=True)
        return 0
    resume_interrupted(ctx)  # so 'running' jobs were left by a worker that stopped
    if not loop:
        return run_pending(ctx)
    worker = TranscriptionWorker(ctx, poll_seconds=2.0, gone=_parent_gone(ctx.settings.worker_parent))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGUSR1, lambda *_: worker.wake.set())  # `wake` from the web process
        signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    print("transcriptiewerker gestart (Ctrl+C stopt)", flush=True)
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()
    return None
