"""Step 5, refine edges: snap segment edges to where the channel really has sound.

Whisper's word timings drift at the edges of VAD chunks (a last word stretched into the
silence after a turn, a first word starting early). On a call-centre recording each speaker
has their own channel, so its energy says where speech starts and stops: each segment edge
(and its edge word) moves to the nearest voiced frame within `edge_search_s`. Segments with
no voiced frame at all are dropped as invented; a segment is split at a long silence inside
it; the first/last segment of a sound region is stretched to the region's edge.
"""

from __future__ import annotations

import numpy as np

from ...domain.transcript import Segment, Word
from .options import EngineOptions
from .sound import Sound


def _snap_start(voiced: np.ndarray, t: float, frame: float, search: float) -> float:
    i = min(max(int(round(t / frame)), 0), len(voiced) - 1)
    w = int(search / frame)
    if voiced[i]:
        j = i
        while j > 0 and i - j < w and voiced[j - 1]:
            j -= 1
        return j * frame
    ahead = np.flatnonzero(voiced[i:])  # the segment holds voiced frames (else it was dropped)
    return (i + ahead[0]) * frame if len(ahead) else t


def _snap_end(voiced: np.ndarray, t: float, frame: float, search: float) -> float:
    i = min(max(int(round(t / frame)) - 1, 0), len(voiced) - 1)
    w = int(search / frame)
    if voiced[i]:
        j = i
        while j < len(voiced) - 1 and j - i < w and voiced[j + 1]:
            j += 1
        return (j + 1) * frame
    back = np.flatnonzero(voiced[: i + 1])
    return (back[-1] + 1) * frame if len(back) else t


def split_at_silence(seg: Segment, voiced: np.ndarray, gap: float = 1.0, frame: float = 0.01) -> list[Segment]:
    """Split a segment at each silence of `gap` seconds inside it (two turns of one speaker that
    the recogniser ran together); words go to the side their middle falls on."""
    if not seg.words:
        return [seg]
    a, b = int(seg.start / frame), min(len(voiced), int(np.ceil(seg.end / frame)))
    quiet, cuts, run = ~voiced[a:b], [], 0
    for k, q in enumerate(quiet):
        run = run + 1 if q else 0
        if run == int(gap / frame):
            cuts.append((a + k - run + 1 + a + k + 1) / 2 * frame)
    if not cuts:
        return [seg]
    parts, bounds = [], [seg.start, *cuts, seg.end]
    for lo, hi in zip(bounds, bounds[1:]):
        ws = tuple(w for w in seg.words if lo <= (w.start + w.end) / 2 < hi)
        if ws:
            parts.append(Segment(ws[0].start, ws[-1].end, seg.speaker, "".join(w.word for w in ws).strip(), seg.channel, ws))
    return parts or [seg]


def _cut_end(seg: Segment, t: float) -> Segment:
    t = round(max(t, seg.start), 3)
    words = tuple(Word(min(w.start, t), min(w.end, t), w.word, w.probability) for w in seg.words)
    return Segment(seg.start, min(seg.end, t), seg.speaker, seg.text, seg.channel, words)


def _fit_words(words: tuple[Word, ...], start: float, end: float) -> tuple[Word, ...]:
    """The edge words moved onto the new edges, the inner ones kept inside them."""
    if not words:
        return words
    out = list(words)
    out[0] = Word(round(start, 3), max(round(start, 3), min(out[0].end, end)), out[0].word, out[0].probability)
    last = out[-1]
    out[-1] = Word(min(last.start, round(end, 3)), round(end, 3), last.word, last.probability)
    return tuple(_inside(w, start, end) if 0 < k < len(out) - 1 else w for k, w in enumerate(out))


def _inside(w: Word, start: float, end: float) -> Word:
    """`w` moved wholly inside [start, end]: a word the decoder timed after the segment's end
    (a loop at the end of the audio) sits at the end, never with its end before its start."""
    a = min(max(start, w.start), end)
    return Word(a, min(end, max(w.end, a)), w.word, w.probability)


def extend_to_regions(segments: list[Segment], regions: list[tuple[float, float]], limit: float = 3.0) -> list[Segment]:
    """Let the first/last segment of a sound region reach the region's edges (within `limit`),
    so a passage that was heard but only partly recognised is still wholly inside its segment."""
    out = sorted(segments, key=lambda x: x.start)
    for a, b in regions:
        inside = [i for i, sg in enumerate(out) if sg.start < b and sg.end > a]
        if not inside:
            continue
        first = out[inside[0]]
        if 0 < first.start - a <= limit:
            out[inside[0]] = Segment(round(a, 3), first.end, first.speaker, first.text, first.channel, first.words)
        last = out[inside[-1]]
        if 0 < b - last.end <= limit:
            out[inside[-1]] = Segment(last.start, round(b, 3), last.speaker, last.text, last.channel, last.words)
    return out


def refine(segments: list[Segment], sound: Sound, opts: EngineOptions = EngineOptions()) -> list[Segment]:
    """Segments of one channel with edges snapped to voiced frames; silent ones dropped."""
    voiced, frame, search = sound.voiced, sound.frame, opts.edge_search_s
    if not voiced.any():
        return []
    out: list[Segment] = []
    parts = (p for seg in sorted(segments, key=lambda x: x.start) for p in split_at_silence(seg, voiced, opts.split_silence_s, frame))
    for s in parts:
        a, b = int(s.start / frame), int(np.ceil(s.end / frame))
        if not voiced[max(0, a) : max(a + 1, b)].any():
            continue  # nothing audible under this segment: an invention
        start = max(_snap_start(voiced, s.start, frame, search), s.start - search)
        end = min(_snap_end(voiced, s.end, frame, search), s.end + search)
        if out and start < out[-1].end and s.start > out[-1].start:
            out[-1] = _cut_end(out[-1], s.start)  # snapped edges overlap: the words' own time decides
            start = max(start, s.start)
        if end <= start:
            start, end = s.start, s.end
        out.append(Segment(round(float(start), 3), round(float(end), 3), s.speaker, s.text, s.channel, _fit_words(s.words, start, end)))
    return extend_to_regions(out, sound.regions, opts.extend_limit_s)
