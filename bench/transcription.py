"""Benchmark: our transcription pipeline against a plain faster-whisper call, in one process.

For each sample stereo call (sample_audio/*.ogg with ground truth) and each clip of
../shared/data/speech_nl it prints: real-time factor (wall time / audio duration) of ours and
of the plain call, the ratio plain/ours, word error rate of both (lower-case, punctuation
removed), and the peak resident memory during each run (sampled every 20 ms).

plain = WhisperModel.transcribe(channel, language="nl") with the library's defaults (beam 5,
no VAD, conditioning on previous text, whole file), per channel, same model, same threads.
ours  = ksf_review.adapters.engine.WhisperEngine (batched pipeline, beam 2, VAD, no
conditioning, word timings, 5-minute windows, re-listen of skipped sound; a channel of at most
30 s is decoded with timestamp tokens and beam 5).

Besides the synthetic-voice sample calls and the single real clips, the clips of speech_nl are
also put together into two stereo calls of real speech (turns alternate between the channels,
0.8 s apart): that checks the batched path, which a single clip never takes, on real voices.

    .venv/bin/python bench/transcription.py            # sample calls + speech_nl
    .venv/bin/python bench/transcription.py --long 60  # also a 60-minute stereo call (ours only)
    .venv/bin/python bench/transcription.py --only-long --long 60  # just that call
    .venv/bin/python bench/transcription.py --no-plain --set beam_size=3  # ours with one option changed
    .venv/bin/python bench/transcription.py --only samples  # just the sample calls (speed: plain/ours)
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import re
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.adapters.audio import decode_pcm16  # noqa: E402
from ksf_review.adapters.engine import EngineOptions, WhisperEngine  # noqa: E402
from ksf_review.adapters.speech_model import load_model  # noqa: E402

SPEECH_NL = ROOT.parent / "shared" / "data" / "speech_nl"
CACHE = Path(os.environ.get("KSF_MODEL_CACHE_DIR", Path.home() / ".cache" / "ksf-review"))
THREADS = len(os.sched_getaffinity(0))


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def wer(ref: str, hyp: str) -> float:
    import jiwer

    ref, hyp = norm(ref), norm(hyp)
    return jiwer.wer(ref, hyp) if ref else float(bool(hyp))


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakRSS:
    """Samples resident memory in a thread while a block runs."""

    def __enter__(self):
        self.peak = rss_mb()
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, rss_mb())


def run_ours(path: Path, engine: WhisperEngine):
    updates = []
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        tr = engine.transcribe(path, progress=lambda p: updates.append((time.perf_counter(), p)))
        elapsed = time.perf_counter() - t0
    by_channel = {}
    for s in tr.segments:
        by_channel.setdefault(s.channel, []).append(s.text)
    return elapsed, by_channel, mem.peak, tr, updates


def run_plain(path: Path, model):
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        pcm = decode_pcm16(path)
        by_channel = {}
        for ch in range(pcm.shape[0]):
            segs, _ = model.transcribe(pcm[ch].astype(np.float32) / 32768.0, language="nl")
            by_channel[ch] = [s.text for s in segs]
        elapsed = time.perf_counter() - t0
    return elapsed, by_channel, mem.peak


def reference_by_channel(gt: dict) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    for t in gt["turns"]:
        ch = 0 if t["speaker"] == "medewerker" else 1
        out.setdefault(ch, []).append(t["text"])
    return {k: " ".join(v) for k, v in out.items()}


def boundary_share(gt_turns: list[dict], segments) -> tuple[int, int]:
    """How many ground-truth turn edges have a segment edge within 0.5 s (start and end)."""
    ok = total = 0
    for t in gt_turns:
        ch = 0 if t["speaker"] == "medewerker" else 1
        segs = [s for s in segments if s.channel == ch and s.start < t["end"] and s.end > t["start"]]
        total += 2
        if segs:
            ok += abs(min(s.start for s in segs) - t["start"]) <= 0.5
            ok += abs(max(s.end for s in segs) - t["end"]) <= 0.5
    return ok, total


BOUNDARIES: list[tuple[int, int]] = []
GROUND_TRUTH: dict[str, list[dict]] = {}


def samples() -> list[tuple[str, Path, dict[int, str], float]]:
    out = []
    for f in sorted((ROOT / "sample_audio").glob("*.json")):
        gt = json.loads(f.read_text())
        if not isinstance(gt, dict) or not gt.get("audio"):
            continue
        audio = ROOT / "sample_audio" / gt["audio"]
        dur = max(t["end"] or 0 for t in gt["turns"])
        out.append((gt["id"], audio, reference_by_channel(gt), dur))
        GROUND_TRUTH[gt["id"]] = gt["turns"]
    return out


def speech_nl() -> list[tuple[str, Path, dict[int, str], float]]:
    if not (SPEECH_NL / "manifest.csv").exists():
        return []
    rows = list(csv.DictReader(open(SPEECH_NL / "manifest.csv", encoding="utf-8")))
    return [(r["file"], SPEECH_NL / r["file"], {0: r["reference_text"]}, float(r["duration_s"])) for r in rows]


def write_stereo(path: Path, data: np.ndarray) -> Path:
    """A 16-kHz 16-bit stereo WAV from int16 samples of shape (2, n)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(data.T.copy().tobytes())
    return path


def speech_nl_calls() -> list[tuple[str, Path, dict[int, str], float]]:
    """The speech_nl clips as stereo calls: turns alternate over the channels, the other channel
    silent, 0.8 s apart; twice (in order, and reversed starting on the other channel), because
    one call of ≈300 words gives a word error rate that moves by ±0.03 with tiny input changes."""
    clips = speech_nl()
    out = []
    for name, order, first in (("speech_nl-gesprek-a.wav", clips, 0), ("speech_nl-gesprek-b.wav", clips[::-1], 1)):
        pause = np.zeros(int(0.8 * 16000), dtype=np.int16)
        channels: list[list[np.ndarray]] = [[], []]
        refs: dict[int, list[str]] = {0: [], 1: []}
        for i, (_, path, ref, _) in enumerate(order):
            x, ch = decode_pcm16(path)[0], (i + first) % 2
            channels[ch] += [x, pause]
            channels[1 - ch] += [np.zeros_like(x), pause]
            refs[ch].append(ref[0])
        data = np.stack([np.concatenate(c) for c in channels])
        tmp = write_stereo(Path(tempfile.mkdtemp()) / name, data)
        out.append((tmp.name, tmp, {k: " ".join(v) for k, v in refs.items()}, data.shape[1] / 16000))
    return out


def joined(by_channel: dict[int, list[str]], channels) -> str:
    return " ".join(" ".join(by_channel.get(ch, [])) for ch in channels)


def bench_set(name, items, engine, model, plain=True):
    print(f"\n## {name}")
    print(
        f"{'bestand':34} {'duur s':>7} {'RTF ons':>8} {'RTF plain':>9} {'plain/ons':>9} "
        f"{'WER ons':>8} {'WER plain':>9} {'piek MB ons':>11} {'piek MB plain':>13}"
    )
    tot = {"dur": 0.0, "ours": 0.0, "plain": 0.0, "ref": [], "hyp_o": [], "hyp_p": []}
    for ident, path, refs, _ in items:
        dur = decode_pcm16(path).shape[1] / 16000
        t_o, ch_o, peak_o, tr_o, _ = run_ours(path, engine)
        if ident in GROUND_TRUTH:
            BOUNDARIES.append(boundary_share(GROUND_TRUTH[ident], tr_o.segments))
            longest = max((sg.end - sg.start for sg in tr_o.segments), default=0)
            BOUNDARIES[-1] = (*BOUNDARIES[-1], longest)
        ref = joined({k: [v] for k, v in refs.items()}, sorted(refs))
        hyp_o = joined(ch_o, sorted(refs))
        w_o = wer(ref, hyp_o)
        if plain:
            t_p, ch_p, peak_p = run_plain(path, model)
            hyp_p = joined(ch_p, sorted(refs))
            w_p = wer(ref, hyp_p)
            tot["plain"] += t_p
            tot["hyp_p"].append(hyp_p)
        else:
            t_p = w_p = peak_p = float("nan")
        tot["dur"] += dur
        tot["ours"] += t_o
        tot["ref"].append(ref)
        tot["hyp_o"].append(hyp_o)
        print(
            f"{ident[:34]:34} {dur:7.1f} {t_o / dur:8.3f} {t_p / dur:9.3f} {t_p / t_o:9.2f} "
            f"{w_o:8.3f} {w_p:9.3f} {peak_o:11.0f} {peak_p:13.0f}",
            flush=True,
        )
    if tot["dur"]:
        w_o = wer(" ".join(tot["ref"]), " ".join(tot["hyp_o"]))
        w_p = wer(" ".join(tot["ref"]), " ".join(tot["hyp_p"])) if plain else float("nan")
        print(
            f"{'TOTAAL':34} {tot['dur']:7.1f} {tot['ours'] / tot['dur']:8.3f} {tot['plain'] / tot['dur']:9.3f} "
            f"{(tot['plain'] / tot['ours']) if plain else float('nan'):9.2f} {w_o:8.3f} {w_p:9.3f}"
        )


def long_call(minutes: int, engine: WhisperEngine) -> None:
    """Concatenate the sample calls into one stereo call of `minutes` and transcribe it."""
    parts = [decode_pcm16(p) for _, p, _, _ in samples()]
    stereo = [p for p in parts if p.shape[0] == 2]
    target = minutes * 60 * 16000
    chunks, n, i = [], 0, 0
    while n < target:
        c = stereo[i % len(stereo)]
        chunks.append(c[:, : target - n])
        n += chunks[-1].shape[1]
        i += 1
    data = np.concatenate(chunks, axis=1)
    del parts, stereo, chunks
    tmp = write_stereo(Path(tempfile.mkdtemp()) / f"lang-{minutes}min.wav", data)
    del data
    base = rss_mb()
    t, by_channel, peak, tr, updates = run_ours(tmp, engine)
    dur = minutes * 60
    gaps = [b[0] - a[0] for a, b in zip(updates, updates[1:])]
    print(f"\n## {minutes}-minuten stereogesprek (alleen onze pijplijn)")
    print(
        f"duur {dur} s, tijd {t:.1f} s, RTF {t / dur:.3f}, segmenten {len(tr.segments)}, "
        f"piek RSS {peak:.0f} MB (voor de run {base:.0f} MB), voortgangsmeldingen {len(updates)}, "
        f"langste pauze tussen meldingen {max(gaps) if gaps else 0:.1f} s, laatste {updates[-1][1]:.2f}"
    )
    tmp.unlink()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--long", type=int, default=0, help="minuten voor de lange test (0 = overslaan)")
    ap.add_argument("--no-plain", action="store_true")
    ap.add_argument("--only-long", action="store_true", help="alleen de lange test")
    ap.add_argument(
        "--only",
        choices=["samples", "calls", "clips", "all"],
        default="all",
        help="alleen de voorbeeldgesprekken, de speech_nl-gesprekken of de losse speech_nl-fragmenten",
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="OPTIE=WAARDE",
        help="een EngineOptions-waarde anders (JSON-waarde), bv. --set beam_size=3",
    )
    args = ap.parse_args()
    changes = {k: json.loads(v) if v[:1] in "0123456789-[{tf" else v for k, v in (a.split("=", 1) for a in args.set)}
    options = dataclasses.replace(EngineOptions(), **changes)
    print(f"cores {THREADS}, model gebundeld whisper-base int8, cpu_threads={THREADS}, afwijkend: {changes or 'niets'}")
    engine = WhisperEngine(cache_dir=CACHE, cpu_threads=THREADS, options=options)
    model = load_model("bundled", CACHE, "cpu", "int8", THREADS)
    print(f"RSS na laden model: {rss_mb():.0f} MB")
    if args.only_long:
        long_call(args.long or 60, engine)
        return
    if args.only in ("samples", "all"):
        bench_set("Voorbeeldgesprekken (stereo, synthetische stemmen)", samples(), engine, model, not args.no_plain)
    if BOUNDARIES:
        ok = sum(b[0] for b in BOUNDARIES)
        total = sum(b[1] for b in BOUNDARIES)
        print(
            f"segmentgrenzen binnen 0,5 s van de echte beurtgrenzen: {ok}/{total} ({ok / total:.0%}); "
            f"langste segment {max(b[2] for b in BOUNDARIES):.1f} s"
        )
    if args.only in ("calls", "all"):
        bench_set(
            "shared/data/speech_nl als stereogesprekken (echte spraak, beurten afgewisseld)",
            speech_nl_calls(),
            engine,
            model,
            not args.no_plain,
        )
    if args.only in ("clips", "all"):
        bench_set("shared/data/speech_nl (mono, echte spraak)", speech_nl(), engine, model, not args.no_plain)
    if args.long:
        long_call(args.long, engine)


if __name__ == "__main__":
    main()
