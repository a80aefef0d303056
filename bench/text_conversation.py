"""Server time to import a long chat and to open it in Beoordelen (AppTest, no browser).

Usage: .venv/bin/python bench/text_conversation.py [--turns 10000 3000 300]
Prints, per size: the text's size, the import time, the first opening (caches of that
conversation empty; Streamlit's one-off component discovery is paid before by a short chat)
and the median of three openings after it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--turns", type=int, nargs="+", default=[10_000, 3_000, 300])
    args = ap.parse_args(argv)
    os.environ.update(
        KSF_DATA_DIR=tempfile.mkdtemp(prefix="ksf-bench-text-") + "/data",
        KSF_DEMO="0",
        KSF_WORKER="0",
        KSF_ADMIN_PASSWORD="bench-wachtwoord-123",
    )
    from streamlit.testing.v1 import AppTest

    from ksf_review.adapters.transcription import FakeEngine
    from ksf_review.config import load_settings
    from ksf_review.services import conversations as convs
    from ksf_review.services import exams
    from ksf_review.services.context import build_context
    from ksf_review.services.users import ensure_default_user

    ctx = build_context(load_settings(), engine_factory=lambda: FakeEngine(segments=[]))
    user = ensure_default_user(ctx)
    print("| turns | text | import (s) | first opening (s) | opening again (s, median of 3) |")
    print("|---:|---:|---:|---:|---:|")
    for n in [2, *args.turns]:
        exam = exams.create_exam(ctx, user, f"Lang {n}")
        text = "\n".join(
            f"{'K' if i % 2 else 'M'}: Dit is beurt {i} van een lange chat, met wat woorden erbij om het realistisch te maken."
            for i in range(n)
        )
        t0 = time.perf_counter()
        c = convs.add_text_conversation(ctx, user, exam.id, text, channel="chat", title="lang")
        imported = time.perf_counter() - t0
        runs = []
        for _ in range(4):
            at = AppTest.from_file(str(ROOT / "pages" / "beoordelen.py"), default_timeout=600)
            at.session_state["user"] = user
            at.session_state["exam_id"] = exam.id
            at.session_state["conversation_id"] = c.id
            t0 = time.perf_counter()
            at.run()
            if at.exception:
                raise SystemExit(at.exception[0].value)
            runs.append(time.perf_counter() - t0)
        if n == 2:
            continue  # the warm-up
        print(f"| {n} | {len(text.encode()) / 1024:.0f} kB | {imported:.2f} | {runs[0]:.2f} | {statistics.median(runs[1:]):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
