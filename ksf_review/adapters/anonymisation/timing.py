"""Turn character spans in a segment's text into the stretches of audio to silence.

Speech recognition gives word timings, but a segment's ``text`` and its ``words`` are not
guaranteed to line up character for character (leading spaces, normalised punctuation).
So each word is looked up in the text in order; a PII span then covers every word it
touches, from the first word's start to the last word's end, plus a small margin. A
segment without word timings (or a span no word could be placed under) falls back to the
span's proportional position in the segment, with a wider margin because that is a guess.
"""

from __future__ import annotations

from typing import Sequence

from ksf_review.domain.tags import TimeRange
from ksf_review.domain.transcript import Segment, Word

from .text import PiiSpan

#: seconds added on both sides of a word-timed span (word boundaries from ASR are a bit loose)
DEFAULT_MARGIN = 0.05
#: seconds added on both sides when the position is only estimated from character offsets
FALLBACK_MARGIN = 0.3
#: ranges closer than this are joined: a 100 ms snippet of speech between two bleeps is noise
JOIN_GAP = 0.2


def word_char_ranges(text: str, words: Sequence[Word]) -> list[tuple[int, int] | None]:
    """Character range of every word in ``text`` (None for a word that cannot be found)."""
    out: list[tuple[int, int] | None] = []
    cursor = 0
    lowered = text.lower()
    for w in words:
        token = w.word.strip().lower()
        if not token:
            out.append(None)
            continue
        pos = lowered.find(token, cursor)
        if pos < 0:
            # tolerate punctuation differences: try the token without edge punctuation
            bare = token.strip(".,;:!?\"'()…-")
            pos = lowered.find(bare, cursor) if bare else -1
            if pos < 0:
                out.append(None)
                continue
            token = bare
        # a word found far ahead (skipping several words) is probably a wrong match
        if pos - cursor > max(40, 4 * len(token)):
            out.append(None)
            continue
        out.append((pos, pos + len(token)))
        cursor = pos + len(token)
    return out


def _proportional(segment: Segment, span: PiiSpan, margin: float) -> TimeRange:
    n = max(1, len(segment.text))
    dur = max(0.0, segment.end - segment.start)
    start = segment.start + dur * span.start_char / n
    end = segment.start + dur * min(span.end_char, n) / n
    return TimeRange(max(0.0, start - margin), min(segment.end + margin, end + margin))


def span_time_range(
    segment: Segment,
    span: PiiSpan,
    *,
    margin: float = DEFAULT_MARGIN,
    fallback_margin: float = FALLBACK_MARGIN,
    _ranges: list[tuple[int, int] | None] | None = None,
) -> TimeRange:
    """Time range of one span in one segment (words it touches, or a proportional guess)."""
    ranges = _ranges if _ranges is not None else word_char_ranges(segment.text, segment.words)
    hit = [
        w for w, r in zip(segment.words, ranges)
        if r is not None and r[0] < span.end_char and span.start_char < r[1]
    ]
    if hit:
        start = min(w.start for w in hit)
        end = max(w.end for w in hit)
        return TimeRange(max(0.0, start - margin), end + margin)
    placed = [(w, r) for w, r in zip(segment.words, ranges) if r is not None]
    if not placed:
        return _proportional(segment, span, fallback_margin)
    # the span sits under words that could not be placed: silence the gap between the
    # placed neighbours (or up to the segment edge)
    before = [w for w, r in placed if r[1] <= span.start_char]
    after = [w for w, r in placed if r[0] >= span.end_char]
    start = before[-1].end if before else segment.start
    end = after[0].start if after else segment.end
    if end <= start:
        return _proportional(segment, span, fallback_margin)
    return TimeRange(max(0.0, start - margin), end + margin)


def merge_ranges(ranges: Sequence[TimeRange], gap: float = 0.0) -> list[TimeRange]:
    """Sorted union of time ranges (ranges closer than ``gap`` seconds are joined)."""
    out: list[TimeRange] = []
    for r in sorted(ranges, key=lambda r: (r.start, r.end)):
        if out and r.start <= out[-1].end + gap:
            out[-1] = TimeRange(out[-1].start, max(out[-1].end, r.end))
        else:
            out.append(r)
    return out


def spans_to_time_ranges(
    segments: Sequence[Segment],
    spans_per_segment: Sequence[Sequence[PiiSpan]],
    *,
    margin: float = DEFAULT_MARGIN,
    fallback_margin: float = FALLBACK_MARGIN,
    join_gap: float = JOIN_GAP,
) -> list[TimeRange]:
    """Merged time ranges to silence for the spans of each segment (same order as segments)."""
    if len(segments) != len(spans_per_segment):
        raise ValueError("spans_per_segment moet evenveel elementen hebben als segments")
    out: list[TimeRange] = []
    for seg, spans in zip(segments, spans_per_segment):
        if not spans:
            continue
        ranges = word_char_ranges(seg.text, seg.words) if seg.words else []
        for span in spans:
            out.append(span_time_range(seg, span, margin=margin, fallback_margin=fallback_margin, _ranges=ranges))
    return merge_ranges(out, gap=join_gap)
