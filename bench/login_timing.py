"""Benchmark: does the login's answer time tell whether a username exists?

On a fresh SQLite database: a wrong password for an existing account, an unknown username,
a disabled account with a wrong password, and the correct password, each tried N times
(under different usernames, so the back-off never starts; the back-off is the same for
known and unknown names anyway). Prints median and spread in milliseconds; nothing is asserted.

    .venv/bin/python bench/login_timing.py [N]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.config import load_settings  # noqa: E402
from ksf_review.services import accounts  # noqa: E402
from ksf_review.services.context import build_context  # noqa: E402


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(KSF_DATA_DIR=tmp, KSF_DEMO="0", KSF_WORKER="0", KSF_ADMIN_PASSWORD="beheer-wachtwoord-123")
        ctx = build_context(load_settings())
        accounts.ensure_admin(ctx)
        admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
        for i in range(n):
            accounts.create_user(ctx, admin, f"actief{i}", "examinator", "juist-wachtwoord-1")
            u = accounts.create_user(ctx, admin, f"uit{i}", "examinator", "juist-wachtwoord-1")
            accounts.set_active(ctx, admin, u.id, False)
        cases = {
            "bestaand, fout wachtwoord": lambda i: (f"actief{i}", "fout-wachtwoord"),
            "onbekende naam": lambda i: (f"niemand{i}", "fout-wachtwoord"),
            "uitgeschakeld, fout wachtwoord": lambda i: (f"uit{i}", "fout-wachtwoord"),
            "bestaand, juist wachtwoord": lambda i: (f"actief{i}", "juist-wachtwoord-1"),
        }
        times: dict[str, list[float]] = {k: [] for k in cases}
        for i in range(n):
            for label, case in cases.items():  # interleaved, so load changes hit every case alike
                name, pw = case(i)
                t = time.perf_counter()
                try:
                    accounts.authenticate(ctx, name, pw)
                except accounts.LoginError:
                    pass
                times[label].append((time.perf_counter() - t) * 1000)
        ctx.db.dispose()
    for label, ts in times.items():
        q = statistics.quantiles(ts, n=4)
        print(f"{label:32s} median {statistics.median(ts):7.1f} ms   IQR {q[0]:7.1f}–{q[2]:7.1f} ms   (n={n})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
