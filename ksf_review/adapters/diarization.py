"""Voice vectors for the speakers of a mono recording, from the sound itself.

Lean method, no new dependency and no model: cepstral statistics (mean and spread of 19
MFCCs, made from Whisper's own log-mel features via faster-whisper's FeatureExtractor and
scipy's DCT) over each chunk of recognised words. On the sample calls this separated voices
far better than vectors pooled from the Whisper encoder's last layer, which carries what is
said, not who says it (docs/performance.md has the comparison). Clustering, smoothing and the
cut at speaker changes are pure and live in domain/diarization.py.
"""

from __future__ import annotations

from ..domain.diarization import DiarizationOptions, assign, chunk_words
from ..domain.transcript import Segment

FPS = 100  # log-mel frames per second (hop 160 at 16 kHz)
PIECE_S = 300
N_MFCC = 19  # c1..c19; c0 (loudness) says more about the line than about the voice


def mfcc_frames(samples, rate: int = 16000):
    """(frames, N_MFCC) cepstra of int16 or float mono samples at 16 kHz."""
    import numpy as np
    from faster_whisper.feature_extractor import FeatureExtractor
    from scipy.fft import dct

    extractor = FeatureExtractor(feature_size=80, sampling_rate=rate)
    step = PIECE_S * rate  # pieces bound the STFT's memory on hour-long calls
    out = []
    for pos in range(0, max(len(samples), 1), step):
        audio = samples[pos : pos + step].astype(np.float32)
        if samples.dtype == np.int16:
            audio = audio / 32768.0
        mel = extractor(audio)  # (80, frames) log-mel
        n = len(audio) // (rate // FPS)
        out.append(dct(mel, axis=0, norm="ortho")[1 : N_MFCC + 1, :n].T)
    return np.concatenate(out) if out else np.zeros((0, N_MFCC), np.float32)


def chunk_vectors(frames, words, chunks):
    """Mean and standard deviation of the cepstra over the words of each chunk."""
    import numpy as np

    out = []
    n = len(frames)
    for c in chunks:
        idx = np.concatenate(
            [np.arange(int(words[i].start * FPS), max(int(words[i].end * FPS), int(words[i].start * FPS) + 1)) for i in c.words]
        )
        idx = idx[(idx >= 0) & (idx < n)]
        if idx.size == 0:  # words timed outside the audio (a loop at its end): the frames nearest to them
            a = min(max(int(c.start * FPS), 0), n - 1)
            idx = np.arange(a, min(max(int(c.end * FPS) + 1, a + 1), n))
        x = frames[idx]
        out.append(np.concatenate([x.mean(axis=0), x.std(axis=0)]))
    return np.stack(out) if out else np.zeros((0, 2 * N_MFCC))


def diarize(samples, rate: int, segments: list[Segment], opts: DiarizationOptions = DiarizationOptions()) -> list[Segment]:
    """`segments` of one mono channel (time order) with a speaker per voice, cut where it changes."""
    segments = sorted(segments, key=lambda s: s.start)
    words = [w for s in segments for w in s.words]
    if len(chunk_words(words, opts)) < 4:
        return assign(segments, None, opts)  # too little speech: one speaker, no features needed
    frames = mfcc_frames(samples, rate)
    return assign(segments, lambda chunks: chunk_vectors(frames, words, chunks), opts)
