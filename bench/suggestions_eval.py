"""Precision and recall of the tag suggestions on the sample conversations' ground truth.

Runs ``suggest`` on the ground-truth turns of every ``sample_audio/*.json`` and prints a
table per item plus the overall figures. ``--verbose`` lists false positives and misses,
which is what you look at when tuning the rule file.

    .venv/bin/python bench/suggestions_eval.py [--samples sample_audio] [--rules FILE] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.domain.rubric import default_rubric  # noqa: E402
from ksf_review.domain.suggestion_eval import (  # noqa: E402
    EvalResult,
    evaluate,
    expected_from_ground_truth,
    format_table,
    segments_from_ground_truth,
)
from ksf_review.domain.suggestions import load_rules, suggest  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=ROOT / "sample_audio")
    ap.add_argument("--rules", type=Path, default=None, help="rule file (default: the bundled one)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list false positives and misses")
    args = ap.parse_args(argv)

    rules = load_rules(args.rules, rubric=default_rubric())
    files = sorted(p for p in args.samples.glob("*.json") if p.is_file())
    total = EvalResult()
    used = 0
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        if "turns" not in data or "expected_tags" not in data:
            continue
        used += 1
        segments = segments_from_ground_truth(data)
        result = evaluate(suggest(segments, rules), expected_from_ground_truth(data))
        o = result.overall
        print(f"{path.stem:40s} {data.get('channel', '?'):9s} turns={len(segments):3d} "
              f"suggested={o.suggested:3d} correct={o.correct:3d} expected={o.expected:3d} found={o.found:3d}")
        if args.verbose:
            for s in result.false_positives:
                print(f"    FP  {s.item:5s}{s.polarity} turn {s.segment_index:3d} [{s.rule_id}] {s.reason}")
            for e in result.missed:
                turn = data["turns"][e.turn]
                print(f"    MISS {e.item:5s}{e.polarity} turn {e.turn:3d} {turn['speaker'][:1].upper()}: "
                      f"{turn['text'][:90]!r}  ({e.note})")
        total.merge(result)
    if not used:
        print(f"geen ground-truth bestanden gevonden in {args.samples}")
        return 1
    print()
    print(f"{used} gesprekken, regels versie {rules.version} ({len(rules.rules)} regels)")
    print(format_table(total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
