"""Benchmark: the player's Ogg/Opus copy of a long stereo recording (size, encode time).

Streamlit's media manager holds each served file in RAM, so the served file's size is the
server memory one recording on screen costs.

    .venv/bin/python bench/playback_copy.py            # a 45-minute stereo WAV from the sample calls
    .venv/bin/python bench/playback_copy.py --minutes 60
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.adapters.audio import decode_pcm16, probe  # noqa: E402
from ksf_review.adapters.playback_copy import make_copy  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=int, default=45)
    args = ap.parse_args()
    calls = [decode_pcm16(p) for p in sorted((ROOT / "sample_audio").glob("*.ogg"))]
    calls = [c for c in calls if c.shape[0] == 2]
    target = args.minutes * 60 * 16000
    parts, n = [], 0
    while n < target:
        c = calls[len(parts) % len(calls)][:, : target - n]
        parts.append(c)
        n += c.shape[1]
    data = np.concatenate(parts, axis=1)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "gesprek.wav"
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(data.T.copy().tobytes())
        t0 = time.perf_counter()
        copy = make_copy(wav)
        elapsed = time.perf_counter() - t0
        a, b = wav.stat().st_size / 2**20, copy.stat().st_size / 2**20
        drift = probe(copy).duration - probe(wav).duration
        print(
            f"{args.minutes} min stereo 16 kHz WAV: {a:.0f} MB -> Ogg/Opus {b:.1f} MB ({a / b:.0f}x kleiner), "
            f"coderen {elapsed:.1f} s ({args.minutes * 60 / elapsed:.0f}x realtime), duurverschil {drift * 1000:+.0f} ms"
        )
        print(
            f"zelfde opname als 44,1 kHz stereo WAV: {args.minutes * 60 * 44100 * 4 / 2**20:.0f} MB in het geheugen "
            f"van de server per getoonde opname zonder kopie"
        )


if __name__ == "__main__":
    main()
