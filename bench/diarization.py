"""Benchmark: who said what in mono mixes (speaker step of the transcription engine).

Builds mono recordings with a known speaker per turn and prints, per recording: duration,
transcription time without the speaker step, time of the speaker step (and its share of the
transcription), voices found, word accuracy (share of recognised words inside a reference
turn that got that turn's speaker, best mapping of labels) and whether the medewerker guess
was right (sample calls).

Recordings:
- the stereo sample calls (sample_audio/*.ogg) mixed down to mono;
- the same in telephone band (300–3400 Hz, 8 kHz) for `--phone` calls (default 2);
- two calls of real speech from ../shared/data/speech_nl, turns 0.8 s apart: the two actors of
  the Fish Fillets clips alternating (two voices), and the flemishguy clips alternating with
  those (three voices), plus a telephone-band version of the latter;
- one-voice recordings (each speech_nl voice alone, and each of its 18 clips alone): the step
  must find one speaker.

Transcripts without the speaker step are cached in /tmp/ksf-diar-bench (keyed by file name
and settings), so retuning the speaker step re-runs only that step.

    .venv/bin/python bench/diarization.py               # lean MFCC method (the default)
    .venv/bin/python bench/diarization.py --method whisper-encoder
    .venv/bin/python bench/diarization.py --only real   # only the speech_nl mixes
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.adapters.audio import decode_pcm16  # noqa: E402
from ksf_review.adapters.diarization import diarize  # noqa: E402
from ksf_review.adapters.transcription import DEFAULT_SETTINGS, WhisperEngine  # noqa: E402
from ksf_review.domain.diarization import DiarizationOptions, word_accuracy  # noqa: E402
from ksf_review.domain.transcript import AGENT, Segment  # noqa: E402

SPEECH_NL = ROOT.parent / "shared" / "data" / "speech_nl"
CACHE = Path(os.environ.get("KSF_MODEL_CACHE_DIR", Path.home() / ".cache" / "ksf-review"))
WORK = Path("/tmp/ksf-diar-bench")
THREADS = len(os.sched_getaffinity(0))
RATE = 16000


def write_wav(path: Path, mono: np.ndarray, rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.asarray(mono, dtype=np.int16).tobytes())
    return path


def telephone(mono: np.ndarray) -> np.ndarray:
    """300–3400 Hz band, 8 kHz: what a phone line leaves of the voice."""
    from scipy.signal import butter, resample_poly, sosfiltfilt

    sos = butter(6, [300, 3400], btype="bandpass", fs=RATE, output="sos")
    x = sosfiltfilt(sos, mono.astype(np.float64))
    return np.clip(resample_poly(x, 1, 2), -32768, 32767).astype(np.int16)


def sample_mixes() -> list[tuple[str, np.ndarray, int, list]]:
    out = []
    for f in sorted((ROOT / "sample_audio").glob("*.json")):
        gt = json.loads(f.read_text())
        if not isinstance(gt, dict) or not gt.get("audio"):
            continue
        pcm = decode_pcm16(ROOT / "sample_audio" / gt["audio"]).astype(np.int32)
        mono = np.clip(pcm.sum(axis=0), -32768, 32767).astype(np.int16)
        turns = [(t["start"], t["end"], t["speaker"]) for t in gt["turns"]]
        out.append((gt["id"], mono, RATE, turns))
    return out


def voice_of(file: str) -> str:
    """speech_nl has three voices: flemishguy, and the two fish of Fish Fillets (…-v-… the big
    one, …-m-… the small one: two actors)."""
    name = file.split("_")[1]
    return name if name != "fillets" else f"fillets-{file.split('_')[2].split('-')[1]}"


def speech_nl_mixes() -> tuple[list, list]:
    """(calls of several real voices, one-voice recordings) from speech_nl, with reference turns.

    a: the two Fish Fillets actors alternate (two voices, same recording chain);
    b: flemishguy alternates with the Fish Fillets clips (three voices, two recording chains)."""
    if not (SPEECH_NL / "manifest.csv").exists():
        return [], []
    rows = list(csv.DictReader(open(SPEECH_NL / "manifest.csv", encoding="utf-8")))
    voices: dict[str, list[np.ndarray]] = {}
    for r in rows:
        voices.setdefault(voice_of(r["file"]), []).append(decode_pcm16(SPEECH_NL / r["file"])[0])
    pause = np.zeros(int(0.8 * RATE), dtype=np.int16)

    def build(order: list[tuple[str, np.ndarray]]):
        parts, turns, pos = [], [], 0
        for spk, clip in order:
            turns.append((pos / RATE, (pos + len(clip)) / RATE, spk))
            parts += [clip, pause]
            pos += len(clip) + len(pause)
        return np.concatenate(parts), turns

    def alternate(a: list[tuple[str, np.ndarray]], b: list[tuple[str, np.ndarray]]):
        out = []
        for i in range(max(len(a), len(b))):
            out += a[i : i + 1] + b[i : i + 1]
        return out

    fish_v = [("fillets-v", c) for c in voices["fillets-v"]]
    fish_m = [("fillets-m", c) for c in voices["fillets-m"]]
    flemish = [("flemishguy", c) for c in voices["flemishguy"]]
    fish = alternate(fish_v, fish_m)
    calls = []
    for ident, order in (("speech_nl-twee-vissen", fish), ("speech_nl-drie-stemmen", alternate(flemish, fish))):
        mono, turns = build(order)
        calls.append((ident, mono, RATE, turns))
    one = []
    for name in sorted(voices):
        mono, turns = build([(name, c) for c in voices[name]])
        one.append((f"speech_nl-een-stem-{name}", mono, RATE, turns))
    for r in rows:  # and each clip alone, as the transcription bench decodes it
        clip = decode_pcm16(SPEECH_NL / r["file"])[0]
        one.append((f"clip-{Path(r['file']).stem}", clip, RATE, [(0.0, len(clip) / RATE, voice_of(r["file"]))]))
    return calls, one


def transcribe_cached(engine: WhisperEngine, ident: str, mono: np.ndarray, rate: int, reuse: bool = False):
    """(segments without the speaker step, seconds it took, wav path). `reuse`: take a transcript
    stored under older engine settings rather than transcribe again (speaker methods compared on
    the same words)."""
    WORK.mkdir(exist_ok=True)
    wav = write_wav(WORK / f"{ident}.wav", mono, rate)
    key = hashlib.sha256(mono.tobytes() + json.dumps(engine.settings, sort_keys=True).encode()).hexdigest()[:16]
    cached = WORK / f"{ident}-{key}.json"
    older = sorted(
        (f for f in WORK.glob(f"{ident}-*.json") if re.fullmatch(rf"{re.escape(ident)}-[0-9a-f]{{16}}\.json", f.name)),
        key=lambda f: f.stat().st_mtime,
    )
    if reuse and not cached.exists() and older:
        cached = older[-1]
    if cached.exists():
        doc = json.loads(cached.read_text())
        return [Segment.from_dict(s) for s in doc["segments"]], doc["seconds"], wav
    t0 = time.perf_counter()
    tr = engine.transcribe(wav)
    seconds = time.perf_counter() - t0
    cached.write_text(json.dumps({"seconds": seconds, "segments": [s.to_dict() for s in tr.segments]}))
    return tr.segments, seconds, wav


def encoder_diarize(model, samples, segments, opts):
    """Candidate (a): voice vectors pooled from the Whisper encoder's output states per chunk."""
    import ctranslate2

    from ksf_review.domain.diarization import assign

    segments = sorted(segments, key=lambda s: s.start)
    audio = samples.astype(np.float32) / 32768.0
    frames = []
    for pos in range(0, len(audio), 30 * RATE):
        piece = audio[pos : pos + 30 * RATE]
        feats = model.feature_extractor(piece)[:, :3000]
        pad = np.zeros((80, 3000), np.float32)
        pad[:, : feats.shape[1]] = feats
        states = np.array(model.model.encode(ctranslate2.StorageView.from_array(pad[None]), to_cpu=True))[0]
        frames.append(states[: int(len(piece) / RATE * 50)])
    frames = np.concatenate(frames)

    def vectors_for(chunks):
        vecs = []
        for c in chunks:
            a, b = int(c.start * 50), max(int(c.end * 50), int(c.start * 50) + 1)
            vecs.append(frames[a:b].mean(axis=0) if b <= len(frames) else frames[-1])
        return np.stack(vecs)

    return assign(segments, vectors_for, opts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", choices=["mfcc", "whisper-encoder"], default="mfcc")
    ap.add_argument("--only", choices=["samples", "real", "all"], default="all")
    ap.add_argument("--reuse", action="store_true", help="reuse transcripts stored under older engine settings")
    ap.add_argument("--phone", type=int, default=2, help="sample calls also in telephone band (first N)")
    args = ap.parse_args()
    settings = dict(DEFAULT_SETTINGS, diarization=None)
    engine = WhisperEngine(cache_dir=CACHE, cpu_threads=THREADS, settings=settings)
    opts = DiarizationOptions()
    model = None
    if args.method == "whisper-encoder":
        from ksf_review.adapters.speech_model import load_model

        model = load_model("bundled", CACHE, "cpu", "int8", THREADS)
    print(f"cores {THREADS}, methode {args.method}, opties {opts.as_dict()}")
    sets: list[tuple[str, list]] = []
    if args.only in ("samples", "all"):
        samples = sample_mixes()
        phone = [(f"{i}-telefoon", telephone(m), 8000, t) for i, m, _, t in samples[: args.phone]]
        sets += [("Voorbeeldgesprekken, mono gemengd", samples), ("Voorbeeldgesprekken, telefoonband", phone)]
    if args.only in ("real", "all"):
        two, one = speech_nl_mixes()
        phone = [(f"{i}-telefoon", telephone(m), 8000, t) for i, m, _, t in two[1:]]
        sets += [("speech_nl, echte stemmen, mono", two + phone), ("speech_nl, één stem", one)]
    for title, items in sets:
        print(f"\n## {title}")
        print(
            f"{'opname':34} {'duur s':>7} {'transcr s':>9} {'sprekers s':>10} {'cpu s':>6} {'extra':>6} {'stemmen':>7} "
            f"{'woorden goed':>12} {'medewerker':>10}"
        )
        hits = total = 0
        for ident, mono, rate, turns in items:
            segs, t_tr, wav = transcribe_cached(engine, ident, mono, rate, args.reuse)
            (WORK / f"{ident}.turns.json").write_text(json.dumps({"turns": turns, "transcribe_s": t_tr}))
            samples16 = decode_pcm16(wav)[0]
            t0, c0 = time.perf_counter(), time.process_time()
            if model is not None:
                out = encoder_diarize(model, samples16, segs, opts)
            else:
                out = diarize(samples16, RATE, segs, opts)
            t_d, cpu = time.perf_counter() - t0, time.process_time() - c0
            words = [((w.start + w.end) / 2, s.speaker) for s in out for w in s.words]
            acc = word_accuracy(turns, words)
            counted = sum(1 for t, _ in words if any(a - 0.25 <= t <= b + 0.25 for a, b, _ in turns))
            hits += acc * counted
            total += counted
            voices = len({s.speaker for s in out})
            guess = ""
            if any(spk == AGENT for _, _, spk in turns):
                first_agent = [t for t in turns if t[2] == AGENT][:2]
                said = [s.speaker for s in out for w in s.words if any(a <= (w.start + w.end) / 2 <= b for a, b, _ in first_agent)]
                guess = "goed" if said and max(set(said), key=said.count) == AGENT else "fout"
            print(
                f"{ident[:34]:34} {len(mono) / rate:7.1f} {t_tr:9.1f} {t_d:10.2f} {cpu:6.2f} {t_d / t_tr:6.1%} "
                f"{voices:7d} {acc:12.1%} {guess:>10}",
                flush=True,
            )
        if total:
            print(f"{'TOTAAL (woorden)':34} {'':7} {'':9} {'':10} {'':6} {'':6} {'':7} {hits / total:12.1%}")
    import resource

    print(f"\npiek RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
