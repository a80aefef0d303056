"""Precision and recall of the tag suggestions on the sample conversations.

Runs ``suggest`` on the reference text (the ground-truth turns of every
``sample_audio/*.json``) and, given ``--transcripts DIR``, on the app's own transcripts of
the sample calls: ``DIR/<call>.stereo.json`` and ``DIR/<call>.mono.json`` (Transcript JSON
as the engine writes it; ``--transcribe`` makes the missing ones with the bundled model, a
few minutes per call). A suggestion on a transcript is right when it overlaps the expected
reference turn in time with the right item and sign. Prints a table per item plus the
overall figures per source. ``--verbose`` lists false positives and misses.

The sample calls are the measuring set: the rules are not tuned on them. ``--tuning`` scores the
tuning set instead (``bench/suggestion_tuning``: calls written and rendered for tuning, with the
app's transcripts committed, see ``make_calls.py``); look at its misses, not the samples'.

    .venv/bin/python bench/suggestions_eval.py [--samples sample_audio] [--rules FILE] [--verbose]
    .venv/bin/python bench/suggestions_eval.py --transcripts /tmp/sample-transcripts [--transcribe]
    .venv/bin/python bench/suggestions_eval.py --tuning --verbose
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.adapters.rubric_files import default_rubric  # noqa: E402
from ksf_review.domain.suggestion_eval import (  # noqa: E402
    EvalResult,
    evaluate,
    expected_from_ground_truth,
    format_table,
    segments_as_recognised,
    segments_from_ground_truth,
)
from ksf_review.domain.suggestions import load_rules, suggest  # noqa: E402
from ksf_review.domain.transcript import Transcript  # noqa: E402

MODES = ("stereo", "mono")
TUNING = ROOT / "bench" / "suggestion_tuning"


def transcribe_missing(calls: list[Path], out: Path) -> None:
    """The app's own transcripts of the calls (.ogg), stereo and mixed down to mono (cached)."""
    import tempfile
    import wave

    import numpy as np

    from ksf_review.adapters.audio import SAMPLE_RATE, decode_pcm16
    from ksf_review.adapters.transcription import WhisperEngine

    out.mkdir(parents=True, exist_ok=True)
    engine = WhisperEngine()
    for mode in MODES:
        for ogg in calls:
            dst = out / f"{ogg.stem}.{mode}.json"
            if dst.exists():
                continue
            with tempfile.TemporaryDirectory() as tmp:
                src = ogg
                if mode == "mono":  # both channels mixed: the engine tells the speakers apart by voice
                    pcm = decode_pcm16(ogg).astype(np.int32)
                    src = Path(tmp) / f"{ogg.stem}.wav"
                    with wave.open(str(src), "wb") as w:
                        w.setnchannels(1)
                        w.setsampwidth(2)
                        w.setframerate(SAMPLE_RATE)
                        w.writeframes(np.clip(pcm.sum(axis=0), -32768, 32767).astype(np.int16).tobytes())
                dst.write_text(json.dumps(engine.transcribe(src).to_dict(), ensure_ascii=False), encoding="utf-8")
            print(f"getranscribeerd: {dst}", flush=True)


def score(label: str, files: list[Path], rules, segments_of, verbose: bool) -> EvalResult | None:
    total = EvalResult()
    used = 0
    print(f"## {label}")
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        if "turns" not in data or "expected_tags" not in data:
            continue
        segments = segments_of(path, data)
        if segments is None:
            continue
        until = None
        if isinstance(segments, tuple):  # an own transcript: its segments and the recording's length
            segments, until = segments
        used += 1
        result = evaluate(suggest(segments, rules, until), expected_from_ground_truth(data))
        o = result.overall
        print(
            f"{path.stem:40s} {data.get('channel', '?'):9s} turns={len(segments):3d} "
            f"suggested={o.suggested:3d} correct={o.correct:3d} expected={o.expected:3d} found={o.found:3d}"
        )
        if verbose:
            for s in result.false_positives:
                print(f"    FP  {s.item:5s}{s.polarity} {s.start:6.1f}s [{s.rule_id}] {s.confidence:.2f} {s.reason} <{s.cue}>")
            for e in result.missed:
                turn = data["turns"][e.turn]
                print(f"    MISS {e.item:5s}{e.polarity} turn {e.turn:3d} {turn['speaker'][:1].upper()}: {turn['text'][:90]!r}  ({e.note})")
        total.merge(result)
    if not used:
        print("geen gesprekken gevonden")
        return None
    print()
    print(f"{label}: {used} gesprekken, regels versie {rules.version} ({len(rules.rules)} regels)")
    print(format_table(total))
    print()
    return total


def score_set(label: str, calls: list[Path], transcripts: Path | None, rules, verbose: bool) -> EvalResult | None:
    """Reference text, hand-written recognised texts and the app's own transcripts of one set of calls."""
    ok = score(
        f"{label}: referentietekst", calls, rules, lambda p, d: None if d.get("recognised") else segments_from_ground_truth(d), verbose
    )
    if any(json.loads(p.read_text(encoding="utf-8")).get("recognised") for p in calls):
        score(
            f"{label}: herkenningstekst (met de hand)",
            calls,
            rules,
            lambda p, d: segments_as_recognised(d) if d.get("recognised") else None,
            verbose,
        )
    if transcripts is None:
        return ok
    for mode in MODES:

        def own(path: Path, data: dict, mode=mode):
            t = transcripts / f"{path.stem}.{mode}.json"
            if not data.get("audio") or not t.exists():
                return None
            tr = Transcript.from_dict(json.loads(t.read_text(encoding="utf-8")))
            return list(tr.segments), tr.duration or None

        score(f"{label}: eigen transcript ({mode})", calls, rules, own, verbose)
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=ROOT / "sample_audio")
    ap.add_argument("--rules", type=Path, default=None, help="rule file (default: the bundled one)")
    ap.add_argument(
        "--transcripts", type=Path, default=None, help="directory with <call>.stereo.json / <call>.mono.json transcripts by the app"
    )
    ap.add_argument("--transcribe", action="store_true", help="make missing transcripts with the bundled model")
    ap.add_argument("--tuning", action="store_true", help="score the tuning calls (bench/suggestion_tuning) instead of the sample calls")
    ap.add_argument("--verbose", "-v", action="store_true", help="list false positives and misses")
    args = ap.parse_args(argv)

    rules = load_rules(args.rules, rubric=default_rubric())
    if args.tuning:
        calls = sorted(TUNING.glob("calls/*.json")) + sorted(TUNING.glob("*.json"))
        ok = score_set("afstemgesprekken", calls, TUNING / "transcripts", rules, args.verbose)
        return 0 if ok is not None else 1
    files = sorted(p for p in args.samples.glob("*.json") if p.is_file())
    if args.transcripts and args.transcribe:
        transcribe_missing(sorted(args.samples.glob("*.ogg")), args.transcripts)
    ok = score_set("voorbeeldgesprekken", files, args.transcripts, rules, args.verbose)
    return 0 if ok is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
