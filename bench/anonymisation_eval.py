"""Precision/recall of the PII detector on tests/data/pii_sentences.json.

Usage: .venv/bin/python bench/anonymisation_eval.py [--backend rules|deduce|auto] [--errors]
Prints a Markdown table (copied into docs/anonymisation.md) and the timing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.adapters.anonymisation.evaluation import evaluate, load_gold  # noqa: E402
from ksf_review.adapters.anonymisation.text import detect_pii, warm_up  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--backend", choices=("rules", "deduce", "auto", "both"), default="both")
    ap.add_argument("--errors", action="store_true", help="list missed and spurious spans")
    ap.add_argument(
        "--split",
        choices=("all", "dev", "heldout", "asr-style"),
        default="all",
        help="dev: sentences the rules were tuned on; heldout: written afterwards",
    )
    ap.add_argument("--gold", default=str(ROOT / "tests/data/pii_sentences.json"))
    args = ap.parse_args(argv)
    sentences = load_gold(args.gold)
    if args.split != "all":
        sentences = [s for s in sentences if s.get("split", "dev") == args.split]
    backends = ("rules", "deduce") if args.backend == "both" else (args.backend,)
    for backend in backends:
        if backend != "rules":
            t0 = time.perf_counter()
            if not warm_up():
                print(f"## backend {backend}: deduce not available, skipped\n")
                continue
            print(f"(deduce loaded in {time.perf_counter() - t0:.1f} s)")
        t0 = time.perf_counter()
        report = evaluate(sentences, lambda text, b=backend: detect_pii(text, backend=b))
        dt = time.perf_counter() - t0
        n_pii = sum(1 for s in sentences if s["spans"])
        print(
            f"## backend {backend}, split {args.split}: {len(sentences)} sentences ({n_pii} with personal data), "
            f"{dt * 1000 / len(sentences):.1f} ms per sentence\n"
        )
        print(report.table())
        print()
        if args.errors and report.errors:
            print("errors:")
            print("".join(report.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
