"""The quote of a tag: the words of the transcript *as shown* (corrections applied) in its range.

Speech recognition times every recognised word; an examiner's correction replaces a line's
text but keeps its timing. So a corrected line's words are laid over the recognised words'
times: words that stayed take their time, replaced or added words share the time of what
they replaced (or the gap they were added in). A tag quotes every shown word whose time
overlaps its range. This one rule serves the tag form, the checklist, the PDF report and
calibration, so a quote never shows words the examiner corrected away.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Iterable, Sequence

from .transcript import Segment, Word

#: characters kept of a quote (the time range is the trace; the quote is a reminder)
QUOTE_LIMIT = 300
_PUNCT = ".,;:!?\"'()…-–—“”‘’"


def _norm(token: str) -> str:
    return token.strip().strip(_PUNCT).lower()


def _spread(tokens: Sequence[str], start: float, end: float) -> list[Word]:
    """`tokens` evenly over [start, end] (a zero-length gap gives them all that instant)."""
    n = len(tokens)
    step = max(0.0, end - start) / n if n else 0.0
    return [Word(start + i * step, start + (i + 1) * step, t) for i, t in enumerate(tokens)]


def shown_words(segment: Segment) -> list[Word]:
    """The segment's text as timed words: its recognised words, or its correction aligned to them.

    A segment without word timings (a chat turn, an old transcript) is one word spanning it.
    """
    tokens = segment.text.split()
    if not segment.words:
        return [Word(segment.start, segment.end, segment.text.strip())] if tokens else []
    recognised = [w for w in segment.words if w.word.strip()]
    if [w.word.strip() for w in recognised] == tokens:
        return [Word(w.start, w.end, w.word.strip(), w.probability) for w in recognised]
    out: list[Word] = []
    matcher = SequenceMatcher(None, [_norm(w.word) for w in recognised], [_norm(t) for t in tokens], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(Word(w.start, w.end, t, w.probability) for w, t in zip(recognised[i1:i2], tokens[j1:j2]))
        elif op == "replace":
            out.extend(_spread(tokens[j1:j2], recognised[i1].start, recognised[i2 - 1].end))
        elif op == "insert":
            before = recognised[i1 - 1].end if i1 > 0 else segment.start
            after = recognised[i1].start if i1 < len(recognised) else segment.end
            out.extend(_spread(tokens[j1:j2], before, max(before, after)))
        # "delete": a recognised word the correction removed is not quoted
    return out


def _overlaps(w: Word, start: float, end: float) -> bool:
    if w.end > w.start:
        return w.end > start and w.start < end
    return start <= w.start < end  # a word squeezed into a zero-length gap: its instant


def quote(segments: Iterable[Segment], start: float, end: float, limit: int = QUOTE_LIMIT) -> str:
    """The shown words of `segments` within [start, end), joined; at most `limit` characters."""
    words: list[str] = []
    for sg in segments:
        if sg.end <= start or sg.start >= end:
            continue
        words.extend(w.word for w in shown_words(sg) if _overlaps(w, start, end))
    return " ".join(w for w in words if w)[:limit]
