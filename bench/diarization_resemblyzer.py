"""Candidate measurement: Resemblyzer's speaker encoder (a 3-layer LSTM shipped in its wheel, on
PyTorch) as the voice vector of each chunk, clustered and smoothed exactly as the shipped method
(domain/diarization.py `assign`), on the same mono mixes and with the same word accuracy.

Run bench/diarization.py first (it writes the mixes, their reference turns and the cached
transcripts to /tmp/ksf-diar-bench), then, in the scratch venv of bench/diarization_senko.py:

    /tmp/h9-venv/bin/pip install resemblyzer==0.1.4 'setuptools<81'   # webrtcvad needs pkg_resources
    /tmp/h9-venv/bin/python bench/diarization_resemblyzer.py
    /tmp/h9-venv/bin/python bench/diarization_resemblyzer.py --rate 1 --only speech_nl   # cheaper variant

The waveform is not passed through Resemblyzer's `preprocess_wav` (its silence trimming would
move the timeline; only its volume normalisation is applied); each chunk's own stretch of audio
is embedded (see `embedder`). Prints seconds, peak RSS of the process and accuracy.
"""

from __future__ import annotations

import json
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.domain.diarization import DiarizationOptions, assign, word_accuracy  # noqa: E402
from ksf_review.domain.transcript import Segment  # noqa: E402

WORK = Path("/tmp/ksf-diar-bench")
RATE = 16000


def mixes():
    """(ident, 16-kHz float samples, segments of the cached transcript, reference doc)."""
    import soundfile as sf
    from scipy.signal import resample_poly

    for turns_file in sorted(WORK.glob("*.turns.json"), key=lambda f: ("speech_nl" not in f.name, f.name)):
        ident = turns_file.name[: -len(".turns.json")]
        cached = sorted(f for f in WORK.glob(f"{ident}-*.json") if re.fullmatch(rf"{re.escape(ident)}-[0-9a-f]{{16}}\.json", f.name))
        wav = WORK / f"{ident}.wav"
        if not cached or not wav.exists():
            continue
        x, rate = sf.read(str(wav), dtype="float32")
        if rate != RATE:
            x = resample_poly(x, RATE // rate, 1).astype(np.float32)
        segments = [Segment.from_dict(s) for s in json.loads(cached[0].read_text())["segments"]]
        yield ident, x, segments, json.loads(turns_file.read_text())


def embedder(encoder, audio):
    """`vectors_for(chunks)`: one Resemblyzer embedding per chunk, batched. The mel spectrogram
    of the whole call is computed once; a chunk shorter than the encoder's 1.6-s window is
    zero-padded (as Resemblyzer does), a longer one is cut into half-overlapping windows whose
    embeddings are averaged and L2-normalised (as `embed_utterance` does)."""
    import torch
    from resemblyzer.audio import normalize_volume, wav_to_mel_spectrogram

    mel = wav_to_mel_spectrogram(normalize_volume(audio, -30, increase_only=True))  # (frames, 40), 100/s
    n = 160

    def vectors_for(chunks):
        windows, owner = [], []
        for i, c in enumerate(chunks):
            a = max(0, min(len(mel) - 1, int(c.start * 100)))
            b = max(a + 1, min(len(mel), int(c.end * 100)))
            if b - a <= n:
                w = np.zeros((n, mel.shape[1]), np.float32)
                w[: b - a] = mel[a:b]
                windows.append(w)
                owner.append(i)
                continue
            starts = list(range(a, b - n, n // 2)) + [b - n]
            for s in starts:
                windows.append(mel[s : s + n])
                owner.append(i)
        out = np.zeros((len(chunks), 256), np.float32)
        with torch.no_grad():
            for pos in range(0, len(windows), 128):
                emb = encoder(torch.from_numpy(np.stack(windows[pos : pos + 128]))).numpy()
                np.add.at(out, owner[pos : pos + 128], emb)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    return vectors_for


def sliding_embedder(encoder, audio, rate: float):
    """Cheaper variant: one embedding per 1.6-s window every 1/`rate` s over the whole call,
    computed once; a chunk's vector is the normalised mean of the windows centred inside it
    (else the nearest window), so no audio is embedded twice."""
    import torch
    from resemblyzer.audio import normalize_volume, wav_to_mel_spectrogram

    mel = wav_to_mel_spectrogram(normalize_volume(audio, -30, increase_only=True))
    n, step = 160, max(1, int(round(100 / rate)))
    starts = list(range(0, max(1, len(mel) - n + 1), step))
    windows = [np.pad(mel[s : s + n], ((0, max(0, n - len(mel[s : s + n]))), (0, 0))) for s in starts]
    with torch.no_grad():
        emb = np.concatenate([encoder(torch.from_numpy(np.stack(windows[p : p + 128]))).numpy() for p in range(0, len(windows), 128)])
    centres = (np.array(starts) + n / 2) / 100

    def vectors_for(chunks):
        out = []
        for c in chunks:
            inside = (centres >= c.start) & (centres <= c.end)
            v = emb[inside].mean(axis=0) if inside.any() else emb[np.abs(centres - (c.start + c.end) / 2).argmin()]
            out.append(v / max(np.linalg.norm(v), 1e-9))
        return np.stack(out)

    return vectors_for


def main() -> None:
    import torch
    from resemblyzer import VoiceEncoder

    torch.set_num_threads(2)
    t0 = time.perf_counter()
    encoder = VoiceEncoder("cpu", verbose=False)
    print(f"resemblyzer laden {time.perf_counter() - t0:.1f} s")
    opts = DiarizationOptions()
    rate = float(sys.argv[sys.argv.index("--rate") + 1]) if "--rate" in sys.argv else 0.0
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    print(f"{'opname':34} {'duur s':>7} {'sprekers s':>10} {'cpu s':>7} {'extra':>6} {'stemmen':>7} {'woorden goed':>12}")
    for ident, audio, segments, ref in mixes():
        if only not in ident:
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        vectors_for = sliding_embedder(encoder, audio, rate) if rate else embedder(encoder, audio)
        out = assign(sorted(segments, key=lambda s: s.start), vectors_for, opts)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        words = [((w.start + w.end) / 2, s.speaker) for s in out for w in s.words]
        acc = word_accuracy([tuple(t) for t in ref["turns"]], words)
        print(
            f"{ident[:34]:34} {len(audio) / RATE:7.1f} {secs:10.2f} {cpu:7.2f} {secs / ref['transcribe_s']:6.1%} "
            f"{len({s.speaker for s in out}):7d} {acc:12.1%}",
            flush=True,
        )
    print(f"piek RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
