"""Candidate measurement: senko (pyannote segmentation 3.0 + CAM++, on PyTorch) on the same mono
mixes as bench/diarization.py, with the same word accuracy.

Run bench/diarization.py first (it writes the mixes, their reference turns and the cached
transcripts to /tmp/ksf-diar-bench), then, in a scratch venv that has senko and a CPU torch:

    python3.11 -m venv /tmp/h9-venv && /tmp/h9-venv/bin/pip install torch==2.13.0 senko==0.2.2
    /tmp/h9-venv/bin/python bench/diarization_senko.py

Each word of our transcript gets the senko speaker whose segment holds its midpoint (the
nearest segment if none does). Prints seconds, peak RSS of the process and accuracy.
"""

from __future__ import annotations

import json
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.domain.diarization import word_accuracy  # noqa: E402

WORK = Path("/tmp/ksf-diar-bench")


def main() -> None:
    import senko
    import torch

    torch.set_num_threads(2)
    t0, c0 = time.perf_counter(), time.process_time()
    diarizer = senko.Diarizer(device="cpu", warmup=True, quiet=True)
    print(
        f"senko laden+opwarmen {time.perf_counter() - t0:.1f} s (cpu {time.process_time() - c0:.1f} s), piek RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    print(f"{'opname':34} {'duur s':>7} {'senko s':>8} {'cpu s':>7} {'extra':>6} {'stemmen':>7} {'woorden goed':>12}")
    for turns_file in sorted(WORK.glob("*.turns.json")):
        ident = turns_file.name[: -len(".turns.json")]
        ref = json.loads(turns_file.read_text())
        cached = sorted(f for f in WORK.glob(f"{ident}-*.json") if re.fullmatch(rf"{re.escape(ident)}-[0-9a-f]{{16}}\.json", f.name))
        wav = WORK / f"{ident}.wav"
        if not cached or not wav.exists():
            continue
        segments = json.loads(cached[0].read_text())["segments"]
        wav16 = wav
        if "telefoon" in ident:  # senko wants 16 kHz: resample the 8-kHz telephone mix
            import numpy as np
            import soundfile as sf
            from scipy.signal import resample_poly

            x, rate = sf.read(str(wav), dtype="int16")
            wav16 = WORK / f"{ident}.16k.wav"
            sf.write(str(wav16), resample_poly(x.astype(np.float64), 16000 // rate, 1).astype(np.int16), 16000, subtype="PCM_16")
        t0, c0 = time.perf_counter(), time.process_time()
        result = diarizer.diarize(str(wav16), generate_colors=False)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        spans = [(float(s["start"]), float(s["end"]), str(s["speaker"])) for s in result["merged_segments"]]
        words = []
        for s in segments:
            for w in s["words"]:
                mid = (w["start"] + w["end"]) / 2
                hit = [spk for a, b, spk in spans if a <= mid <= b]
                if not hit and spans:
                    hit = [min(spans, key=lambda sp: min(abs(sp[0] - mid), abs(sp[1] - mid)))[2]]
                words.append((mid, hit[0] if hit else "?"))
        acc = word_accuracy([tuple(t) for t in ref["turns"]], words)
        dur = max(t[1] for t in ref["turns"])
        print(
            f"{ident[:34]:34} {dur:7.1f} {secs:8.2f} {cpu:7.2f} {secs / ref['transcribe_s']:6.1%} "
            f"{len({sp for _, _, sp in spans}):7d} {acc:12.1%}",
            flush=True,
        )
    print(f"piek RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
