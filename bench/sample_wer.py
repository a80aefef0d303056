"""Word error rate of the bundled Whisper model on the rendered sample calls.

Each channel of a stereo call is transcribed on its own (left = medewerker, right = klant),
exactly as the app does, and compared with the script text of that speaker's turns.
Text is lower-cased and punctuation removed before jiwer computes the WER; numbers are
left as they are, so "420" vs "vierhonderdtwintig" counts as an error (honest, if harsh).

    .venv/bin/python bench/sample_wer.py                 # all calls in sample_audio/
    .venv/bin/python bench/sample_wer.py --only jaarafrekening-goed --audio-dir /tmp/try

Loads one model with 2 CPU threads; run one at a time (the machine has 2 cores).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import jiwer

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_audio"
sys.path.insert(0, str(ROOT))


def normalise(text: str) -> str:
    """Lower case, punctuation (but not digits or letters with accents) removed, single spaces."""
    text = text.lower().replace("'", "")
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def reference(doc: dict, speaker: str) -> str:
    return normalise(" ".join(t["text"] for t in doc["turns"] if t["speaker"] == speaker))


def transcribe_channels(model, path: Path) -> tuple[str, str]:
    from faster_whisper import decode_audio

    left, right = decode_audio(str(path), split_stereo=True)
    out = []
    for audio in (left, right):
        segs, _info = model.transcribe(audio, language="nl", vad_filter=True, condition_on_previous_text=False, word_timestamps=True)
        out.append(normalise(" ".join(s.text for s in segs)))
    return out[0], out[1]


def _duration(path: Path) -> float:
    from faster_whisper import decode_audio

    return len(decode_audio(str(path))) / 16000


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="WER of the bundled model on the sample calls")
    p.add_argument("--only", nargs="*", help="conversation ids (default: all phone calls)")
    p.add_argument("--audio-dir", type=Path, default=SAMPLE_DIR, help="where the .ogg files are")
    p.add_argument("--cache", type=Path, default=Path("/tmp/ksfcache"), help="model cache directory")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    p.add_argument("--show", action="store_true", help="print reference and hypothesis per channel")
    args = p.parse_args(argv)

    from ksf_review.adapters.speech_model import load_model

    model = load_model("bundled", args.cache, cpu_threads=2)
    refs, hyps, rows = [], [], []
    print(f"{'gesprek':24} {'duur':>6} {'WER mw':>7} {'WER kl':>7} {'WER':>6} {'rtf':>5}")
    for path in sorted(SAMPLE_DIR.glob("*.json")):
        if path.name == "manifest.json":
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("channel") != "telefoon" or (args.only and doc["id"] not in args.only):
            continue
        t0 = time.perf_counter()
        hyp_m, hyp_k = transcribe_channels(model, args.audio_dir / doc["audio"])
        secs = time.perf_counter() - t0
        ref_m, ref_k = reference(doc, "medewerker"), reference(doc, "klant")
        wer_m, wer_k = jiwer.wer(ref_m, hyp_m), jiwer.wer(ref_k, hyp_k)
        wer = jiwer.wer([ref_m, ref_k], [hyp_m, hyp_k])
        dur = doc["turns"][-1]["end"] or _duration(args.audio_dir / doc["audio"])
        rows.append(
            {
                "id": doc["id"],
                "duration": dur,
                "wer_medewerker": round(wer_m, 3),
                "wer_klant": round(wer_k, 3),
                "wer": round(wer, 3),
                "words": len((ref_m + " " + ref_k).split()),
            }
        )
        refs += [ref_m, ref_k]
        hyps += [hyp_m, hyp_k]
        if args.show:
            for label, ref, hyp in (("medewerker", ref_m, hyp_m), ("klant", ref_k, hyp_k)):
                print(f"  [{label}] REF: {ref}\n  [{label}] HYP: {hyp}")
        print(f"{doc['id']:24} {dur:6.1f} {wer_m:7.3f} {wer_k:7.3f} {wer:6.3f} {secs / max(dur, 1e-9):5.2f}")
    if not rows:
        print("geen gesprekken gevonden", file=sys.stderr)
        return 1
    overall = jiwer.wer(refs, hyps)
    print(f"{'totaal':24} {sum(r['duration'] for r in rows):6.1f} {'':7} {'':7} {overall:6.3f}")
    if args.json:
        args.json.write_text(json.dumps({"calls": rows, "overall": round(overall, 3)}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
