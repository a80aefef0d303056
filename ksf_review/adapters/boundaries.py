"""Snap segment boundaries to where the channel really has sound.

Whisper's word timings drift at the edges of VAD chunks (a last word stretched into the
silence after a turn, a first word starting early). On a call-centre recording each speaker
has their own channel, so the channel's energy says exactly where speech starts and stops:
we move each segment edge (and its edge words) to the nearest voiced frame within a short
window. Segments that contain no voiced frame at all are dropped as invented.
"""

from __future__ import annotations

import numpy as np

from ..domain.transcript import Segment, Word

FRAME = 0.01  # seconds per energy frame
SEARCH = 1.0  # how far an edge may move
MARGIN_DB = 30.0  # voiced = within this many dB of the channel's loud frames


def voiced_frames(samples: np.ndarray, rate: int) -> np.ndarray:
    """Boolean per 10 ms frame: is there speech-level energy on this channel?"""
    hop = max(1, int(FRAME * rate))
    n = len(samples) // hop
    if n == 0:
        return np.zeros(0, dtype=bool)
    x = samples[: n * hop].astype(np.float32).reshape(n, hop)
    rms = np.sqrt((x * x).mean(axis=1)) + 1e-9
    db = 20 * np.log10(rms)
    loud = np.percentile(db, 95)
    floor = np.percentile(db, 10)
    threshold = max(loud - MARGIN_DB, floor + 6.0)
    return db > threshold


def _snap_start(voiced: np.ndarray, t: float) -> float:
    i = int(round(t / FRAME))
    w = int(SEARCH / FRAME)
    i = min(max(i, 0), len(voiced) - 1)
    if voiced[i]:
        j = i
        while j > 0 and i - j < w and voiced[j - 1]:
            j -= 1
        return j * FRAME
    ahead = np.flatnonzero(voiced[i: i + w])
    return (i + ahead[0]) * FRAME if len(ahead) else t


def _snap_end(voiced: np.ndarray, t: float) -> float:
    i = int(round(t / FRAME)) - 1
    w = int(SEARCH / FRAME)
    i = min(max(i, 0), len(voiced) - 1)
    if voiced[i]:
        j = i
        while j < len(voiced) - 1 and j - i < w and voiced[j + 1]:
            j += 1
        return (j + 1) * FRAME
    back = np.flatnonzero(voiced[max(0, i - w): i + 1])
    return (max(0, i - w) + back[-1] + 1) * FRAME if len(back) else t


def refine(segments: list[Segment], samples: np.ndarray, rate: int) -> list[Segment]:
    """Segments of one channel with edges snapped to voiced frames; silent ones dropped."""
    voiced = voiced_frames(samples, rate)
    if not voiced.any():
        return []
    out = []
    for s in segments:
        a, b = int(s.start / FRAME), int(np.ceil(s.end / FRAME))
        if not voiced[max(0, a): max(a + 1, b)].any():
            continue  # nothing audible under this segment: an invention
        start, end = _snap_start(voiced, s.start), _snap_end(voiced, s.end)
        if end <= start:
            start, end = s.start, s.end
        words = list(s.words)
        if words:
            words[0] = Word(round(start, 3), max(round(start, 3), min(words[0].end, end)), words[0].word,
                            words[0].probability)
            last = words[-1]
            words[-1] = Word(min(last.start, round(end, 3)), round(end, 3), last.word, last.probability)
            words = [Word(max(start, w.start), min(end, max(w.end, w.start)), w.word, w.probability)
                     if 0 < k < len(words) - 1 else w for k, w in enumerate(words)]
        out.append(Segment(round(float(start), 3), round(float(end), 3), s.speaker, s.text, s.channel, tuple(words)))
    return out
