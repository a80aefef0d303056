"""Several worker processes on one PostgreSQL queue (procrastinate): sharing, a killed worker, a late starter."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
from sqlalchemy import func, select

from ksf_review.adapters.storage.models import Transcript, TranscriptionJob
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services.context import build_context
from ksf_review.services.users import ensure_default_user
from tests.conftest import ROOT, _pg_database, make_wav

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
STALLED_SECONDS = 3


@pytest.fixture
def pg(pg_url, settings, engine):
    url, name = _pg_database(pg_url)
    ctx = build_context(dataclasses.replace(settings, database_url=url), engine_factory=lambda: engine)
    env = dict(
        os.environ, KSF_DATABASE_URL=url, KSF_DATA_DIR=str(settings.data_dir), KSF_DEMO="0", KSF_WORKER_STALLED_SECONDS=str(STALLED_SECONDS)
    )
    procs: list[subprocess.Popen] = []

    def start_worker(seconds: float) -> subprocess.Popen:
        p = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.queue_worker", str(seconds)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(p)
        return p

    yield ctx, url, start_worker
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    ctx.db.dispose()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _conversations(ctx, tmp_path, n):
    user = ensure_default_user(ctx)
    exam = exams.create_exam(ctx, user, "K")
    return [
        convs.add_audio_conversation(ctx, user, exam.id, f"{i}.wav", make_wav(tmp_path / f"{i}.wav", freq=300 + 100 * i).read_bytes())
        for i in range(n)
    ]


def _jobs(ctx):
    with ctx.db.unit_of_work() as s:
        return s.execute(
            select(
                TranscriptionJob.conversation_id, TranscriptionJob.status, TranscriptionJob.progress, TranscriptionJob.attempts
            ).order_by(TranscriptionJob.id)
        ).all()


def _transcripts(ctx, conv_id):
    with ctx.db.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(Transcript).where(Transcript.conversation_id == conv_id))


def _sql(url, query):
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"wachten op {what} duurde langer dan {timeout} s")


def test_two_workers_share_the_queue_and_a_killed_workers_job_runs_again_once(pg, tmp_path):
    ctx, url, start_worker = pg
    cs = _conversations(ctx, tmp_path, 3)
    victim, _other = start_worker(8.0), start_worker(8.0)

    def both_mid_job():
        running = [j for j in _jobs(ctx) if j.status == "running"]
        return len(running) == 2 and all(0.1 <= j.progress <= 0.6 for j in running)

    wait_for(both_mid_job, 120, "twee werkers midden in een taak")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    wait_for(lambda: all(j.status == "done" for j in _jobs(ctx)), 180, "alle drie de transcripties")
    assert [_transcripts(ctx, c.id) for c in cs] == [1, 1, 1]
    assert sorted(j.attempts for j in _jobs(ctx)) == [1, 1, 2]  # the killed worker's job ran once more
    # procrastinate marks its row done just after our job row; the killed worker's own row is
    # recovered by the stalled-job check: soon nothing is left 'doing'
    wait_for(
        lambda: _sql(url, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'") == [(0,)],
        60,
        "geen procrastinate-taak meer bezig",
    )


def test_a_starting_worker_does_not_take_a_running_job(pg, tmp_path):
    ctx, url, start_worker = pg
    (c,) = _conversations(ctx, tmp_path, 1)
    start_worker(15.0)
    wait_for(lambda: _jobs(ctx)[0].status == "running" and _jobs(ctx)[0].progress >= 0.1, 120, "de eerste werker")
    start_worker(15.0)
    seen = set()

    def second_worker_up():
        seen.add(_jobs(ctx)[0].status)
        return _sql(url, "SELECT count(*) FROM procrastinate_workers")[0][0] == 4  # two per process

    wait_for(second_worker_up, 120, "de tweede werker")
    assert _jobs(ctx)[0].status == "running"  # the second worker came up while the first was transcribing
    wait_for(lambda: seen.add(_jobs(ctx)[0].status) or _jobs(ctx)[0].status == "done", 120, "de transcriptie")
    assert "queued" not in seen
    assert _jobs(ctx)[0].attempts == 1
    assert _transcripts(ctx, c.id) == 1


def test_cancel_from_the_page_stops_the_job_on_the_worker_running_it(pg, tmp_path):
    from ksf_review.services import transcription_jobs as jobs

    ctx, url, start_worker = pg
    (c,) = _conversations(ctx, tmp_path, 1)
    start_worker(60.0)
    wait_for(lambda: _jobs(ctx)[0].status == "running" and _jobs(ctx)[0].progress >= 0.1, 120, "de werker")
    jobs.cancel_job(ctx, ensure_default_user(ctx), c.job_id)
    wait_for(lambda: _sql(url, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'") == [(0,)], 15, "het stoppen van de taak")
    assert jobs.job_status(ctx, c.id).status == "cancelled"
    assert _transcripts(ctx, c.id) == 0


def test_processes_starting_at_once_migrate_once(pg_url):
    from concurrent.futures import ThreadPoolExecutor

    from ksf_review.adapters.storage.db import Database

    url, name = _pg_database(pg_url)
    try:
        with ThreadPoolExecutor(4) as pool:  # lock_timeout: without the migration lock they block each other
            dbs = list(pool.map(lambda _: Database(url + "?options=-c%20lock_timeout%3D30000"), range(4)))
        for db in dbs:
            db.dispose()
        assert _sql(url, "SELECT count(*) FROM alembic_version") == [(1,)]
        assert _sql(url, "SELECT to_regclass('procrastinate_jobs') IS NOT NULL") == [(True,)]
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_retention_and_the_stalled_check_are_periodic_tasks_of_the_queue(pg):
    from ksf_review.adapters.storage.models import AuditEvent
    from ksf_review.services.job_queue_pg import make_worker_app

    ctx, _url, _start = pg
    app = make_worker_app(ctx)
    crons = {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert crons == {"ksf.retention": "7 * * * *", "ksf.retry_stalled": "* * * * * */20"}  # every 20 s for 60 s
    app.tasks["ksf.retention"](timestamp=0)  # what the worker runs when the slot comes
    with ctx.db.unit_of_work() as s:
        assert s.scalars(select(AuditEvent.action).where(AuditEvent.action == "retention_run")).all() == ["retention_run"]


def test_a_stopped_worker_hands_its_job_back_and_another_finishes_it(pg, tmp_path):
    ctx, url, start_worker = pg
    (c,) = _conversations(ctx, tmp_path, 1)
    first = start_worker(60.0)
    wait_for(lambda: _jobs(ctx)[0].status == "running" and _jobs(ctx)[0].progress >= 0.1, 120, "de werker")
    first.send_signal(signal.SIGTERM)  # e.g. systemd during an upgrade
    first.wait(60)  # stops at its next progress report, not after the 60-s job
    job = _jobs(ctx)[0]
    assert (job.status, job.attempts) == ("queued", 0)
    start_worker(1.0)
    wait_for(lambda: _jobs(ctx)[0].status == "done", 120, "de tweede werker")
    assert _jobs(ctx)[0].attempts == 1
    assert _transcripts(ctx, c.id) == 1
