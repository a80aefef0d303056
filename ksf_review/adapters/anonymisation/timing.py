"""Turn character spans in a segment's text into the stretches of audio to silence.

Speech recognition gives word timings, but a segment's ``text`` need not match its
``words``: the examiner may have corrected the line ("een baker" → "mevrouw Bakker"), and
punctuation or spacing can differ. So the text's tokens are aligned to the recognised words
(difflib on normalised tokens, never substring search). A token that matches a word takes
that word's time; a token that does not (corrected, inserted, split or joined) takes the
whole stretch between the matched words around it — everything the corrected words can
have been spoken in. A span covers every token it touches, plus a margin. A segment without
word timings falls back to the span's proportional position, with a wider margin.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import NamedTuple, Sequence

from ksf_review.domain.pii import PiiSpan
from ksf_review.domain.tags import TimeRange
from ksf_review.domain.transcript import Segment, Word

#: seconds added on both sides of a word-timed span (word boundaries from ASR are loose:
#: Whisper's word ends are often early by 0.1–0.2 s)
DEFAULT_MARGIN = 0.15
#: seconds added on both sides when the position is only estimated from character offsets
FALLBACK_MARGIN = 0.3
#: ranges closer than this are joined: a 100 ms snippet of speech between two bleeps is noise
JOIN_GAP = 0.2

_TOKEN = re.compile(r"\S+")


class TimedToken(NamedTuple):
    """A whitespace token of the text, its characters, and when it can have been spoken."""

    start_char: int
    end_char: int
    start: float
    end: float
    matched: bool  # True: one recognised word with this text; False: the stretch around it


def _norm(token: str) -> str:
    return "".join(ch for ch in token.lower() if ch.isalnum())


def _alignment(text: str, words: Sequence[Word]) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """Tokens of ``text`` (char ranges) and, per token index, the index of its matching word."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    a = [_norm(text[s:e]) for s, e in tokens]
    b = [_norm(w.word) for w in words]
    matched: dict[int, int] = {}
    for tag, i1, i2, j1, _ in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                if a[i1 + k]:
                    matched[i1 + k] = j1 + k
    return tokens, matched


def timed_tokens(segment: Segment) -> list[TimedToken]:
    """Every token of the segment's (possibly corrected) text with the time it can lie in."""
    words = segment.words
    tokens, matched = _alignment(segment.text, words)
    out = []
    for k, (s, e) in enumerate(tokens):
        if k in matched:
            w = words[matched[k]]
            out.append(TimedToken(s, e, w.start, max(w.start, w.end), True))
            continue
        before = [words[matched[i]].end for i in range(k - 1, -1, -1) if i in matched][:1]
        after = [words[matched[i]].start for i in range(k + 1, len(tokens)) if i in matched][:1]
        start = before[0] if before else segment.start
        end = after[0] if after else segment.end
        if end <= start:  # overlapping neighbours: take both of them in
            start, end = min(start, end), max(start, end)
        out.append(TimedToken(s, e, start, end, False))
    return out


def word_char_ranges(text: str, words: Sequence[Word]) -> list[tuple[int, int] | None]:
    """Character range of every word in ``text`` (None for a word no token matches)."""
    tokens, matched = _alignment(text, words)
    by_word = {j: tokens[k] for k, j in matched.items()}
    return [by_word.get(j) for j in range(len(words))]


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
    _tokens: list[TimedToken] | None = None,
) -> TimeRange:
    """Time range of one span in one segment (the tokens it touches, or a proportional guess)."""
    if not segment.words:
        return _proportional(segment, span, fallback_margin)
    tokens = _tokens if _tokens is not None else timed_tokens(segment)
    hit = [t for t in tokens if t.start_char < span.end_char and span.start_char < t.end_char]
    if not hit:
        return _proportional(segment, span, fallback_margin)
    return TimeRange(max(0.0, min(t.start for t in hit) - margin), max(t.end for t in hit) + margin)


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
        tokens = timed_tokens(seg) if seg.words else []
        for span in spans:
            out.append(span_time_range(seg, span, margin=margin, fallback_margin=fallback_margin, _tokens=tokens))
    return merge_ranges(out, gap=join_gap)
