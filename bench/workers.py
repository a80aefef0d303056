"""The sample calls through 1 and 2 worker processes on one PostgreSQL queue: wall time and ratio.

    .venv/bin/python bench/workers.py [--workers 1 2] [--threads N]

Each run gets a fresh database and data directory (so no transcript comes from the cache),
queues the seven sample calls as the upload page does, starts N `python -m ksf_review worker
--loop` processes (the bundled model) and measures from their start until every job is done.
The PostgreSQL server is the test one (scripts/start_test_postgres.sh, or KSF_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from ksf_review.adapters.storage.models import TranscriptionJob  # noqa: E402
from ksf_review.config import load_settings  # noqa: E402
from ksf_review.services import conversations as convs  # noqa: E402
from ksf_review.services import exams  # noqa: E402
from ksf_review.services.context import build_context  # noqa: E402
from ksf_review.services.users import ensure_default_user  # noqa: E402


def server_url() -> str:
    url = os.environ.get("KSF_TEST_POSTGRES_URL")
    if url:
        return url
    out = subprocess.run(["bash", str(ROOT / "scripts" / "start_test_postgres.sh")], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def run(n_workers: int, threads: int | None) -> float:
    import psycopg

    server = server_url()
    name = "ksf_bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server.rpartition("/")[0] + "/" + name
    data = Path(tempfile.mkdtemp(prefix="ksf-bench-workers-"))
    env = dict(os.environ, KSF_DATABASE_URL=url, KSF_DATA_DIR=str(data), KSF_DEMO="0", KSF_WORKER="0")
    if threads:
        env["KSF_CPU_THREADS"] = str(threads)
    os.environ.update({k: v for k, v in env.items() if k.startswith("KSF_")})
    ctx = build_context(dataclasses.replace(load_settings(), database_url=url))
    user = ensure_default_user(ctx)
    exam = exams.create_exam(ctx, user, "bench")
    calls = sorted((ROOT / "sample_audio").glob("*.ogg"))
    for p in calls:
        convs.add_audio_conversation(ctx, user, exam.id, p.name, p.read_bytes())
    start = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ksf_review", "worker", "--loop"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(n_workers)
    ]
    try:
        while True:
            with ctx.db.unit_of_work() as s:
                statuses = s.scalars(select(TranscriptionJob.status)).all()
            if all(st in ("done", "failed", "cancelled") for st in statuses):
                break
            time.sleep(0.5)
        wall = time.monotonic() - start
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(60)
        ctx.db.dispose()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"{n_workers} werker(s): {len(calls)} gesprekken, {statuses.count('done')} klaar, wandkloktijd {wall:.1f} s", flush=True)
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--threads", type=int, default=None, help="KSF_CPU_THREADS per worker (standaard: alle kernen)")
    args = ap.parse_args()
    print(f"kernen: {len(os.sched_getaffinity(0))}, belasting vooraf: {os.getloadavg()[0]:.1f}", flush=True)
    walls = {n: run(n, args.threads) for n in args.workers}
    if 1 in walls and 2 in walls:
        print(f"verhouding 1 werker / 2 werkers: {walls[1] / walls[2]:.2f}x (belasting na afloop: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
