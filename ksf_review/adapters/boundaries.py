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
BLOCK = 6000  # frames (60 s) per block when measuring energy


def voiced_frames(samples: np.ndarray, rate: int) -> np.ndarray:
    """Boolean per 10 ms frame: is there speech-level energy on this channel?"""
    hop = max(1, int(FRAME * rate))
    n = len(samples) // hop
    if n == 0:
        return np.zeros(0, dtype=bool)
    frames = samples[: n * hop].reshape(n, hop)
    db = np.empty(n, dtype=np.float32)
    for i in range(0, n, BLOCK):  # in blocks: a float copy of an hour-long channel would cost ≈460 MB
        x = frames[i: i + BLOCK].astype(np.float32)
        db[i: i + BLOCK] = 20 * np.log10(np.sqrt((x * x).mean(axis=1)) + 1e-9)
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
    ahead = np.flatnonzero(voiced[i:])  # the segment holds voiced frames (else it was dropped)
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
    back = np.flatnonzero(voiced[: i + 1])
    return (back[-1] + 1) * FRAME if len(back) else t


def _split_at_silence(seg: Segment, voiced: np.ndarray, gap: float = 1.0) -> list[Segment]:
    """Split a segment at a silence of `gap` seconds inside it (two turns of one speaker that
    the recogniser ran together); words go to the side their middle falls on."""
    if not seg.words:
        return [seg]
    a, b = int(seg.start / FRAME), min(len(voiced), int(np.ceil(seg.end / FRAME)))
    quiet, cuts, run = ~voiced[a:b], [], 0
    for k, q in enumerate(quiet):
        run = run + 1 if q else 0
        if run == int(gap / FRAME):
            cuts.append((a + k - run + 1 + a + k + 1) / 2 * FRAME)
    if not cuts:
        return [seg]
    parts, bounds = [], [seg.start, *cuts, seg.end]
    for lo, hi in zip(bounds, bounds[1:]):
        ws = tuple(w for w in seg.words if lo <= (w.start + w.end) / 2 < hi)
        if ws:
            parts.append(Segment(ws[0].start, ws[-1].end, seg.speaker, "".join(w.word for w in ws).strip(),
                                 seg.channel, ws))
    return parts or [seg]


def refine(segments: list[Segment], samples: np.ndarray, rate: int) -> list[Segment]:
    """Segments of one channel with edges snapped to voiced frames; silent ones dropped."""
    voiced = voiced_frames(samples, rate)
    if not voiced.any():
        return []
    out = []
    for s in (part for seg in segments for part in _split_at_silence(seg, voiced)):
        a, b = int(s.start / FRAME), int(np.ceil(s.end / FRAME))
        if not voiced[max(0, a): max(a + 1, b)].any():
            continue  # nothing audible under this segment: an invention
        start, end = _snap_start(voiced, s.start), _snap_end(voiced, s.end)
        start, end = max(start, s.start - SEARCH), min(end, s.end + SEARCH)
        if out and start < out[-1].end and s.start > out[-1].start:
            out[-1] = _cut_end(out[-1], s.start)  # snapped edges overlap: the words' own time decides
            start = max(start, s.start)
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
    return _extend_to_regions(out, voiced_regions(samples, rate))


def _cut_end(seg: Segment, t: float) -> Segment:
    t = round(max(t, seg.start), 3)
    words = tuple(Word(min(w.start, t), min(w.end, t), w.word, w.probability) for w in seg.words)
    return Segment(seg.start, min(seg.end, t), seg.speaker, seg.text, seg.channel, words)


def _extend_to_regions(segments: list[Segment], regions: list[tuple[float, float]], limit: float = 3.0
                       ) -> list[Segment]:
    """Let the first/last segment of a sound region reach the region's edges (within `limit`),
    so a passage that was heard but only partly recognised is still wholly inside its segment."""
    segs = sorted(segments, key=lambda x: x.start)
    out = list(segs)
    for a, b in regions:
        inside = [i for i, sg in enumerate(out) if sg.start < b and sg.end > a]
        if not inside:
            continue
        first, last = out[inside[0]], out[inside[-1]]
        if 0 < first.start - a <= limit:
            out[inside[0]] = first = Segment(round(a, 3), first.end, first.speaker, first.text, first.channel,
                                             first.words)
        if 0 < b - last.end <= limit:
            last = out[inside[-1]]
            out[inside[-1]] = Segment(last.start, round(b, 3), last.speaker, last.text, last.channel, last.words)
    return out


def voiced_regions(samples: np.ndarray, rate: int, join_gap: float = 0.3, min_len: float = 0.4) -> list[tuple[float, float]]:
    """Stretches of sound on a channel (gaps shorter than `join_gap` bridged)."""
    voiced = voiced_frames(samples, rate)
    if not voiced.any():
        return []
    idx = np.flatnonzero(voiced)
    regions, start, prev = [], idx[0], idx[0]
    for i in idx[1:]:
        if (i - prev) * FRAME > join_gap:
            regions.append((start * FRAME, (prev + 1) * FRAME))
            start = i
        prev = i
    regions.append((start * FRAME, (prev + 1) * FRAME))
    return [(a, b) for a, b in regions if b - a >= min_len]


def uncovered(regions: list[tuple[float, float]], segments: list[Segment], min_len: float = 0.6
              ) -> list[tuple[float, float]]:
    """Parts of sound regions that no segment covers (longer than `min_len`): speech the
    recogniser skipped or cut short — or noise, which a VAD-filtered re-listen rejects."""
    spans = sorted((s.start, s.end) for s in segments)
    out = []
    for a, b in regions:
        cursor = a
        for s0, s1 in spans:
            if s1 <= cursor or s0 >= b:
                continue
            if s0 - cursor >= min_len:
                out.append((cursor, s0))
            cursor = max(cursor, s1)
        if b - cursor >= min_len:
            out.append((cursor, b))
    return out
