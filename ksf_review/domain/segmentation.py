"""Split recogniser segments into utterances fit for tagging.

Whisper segments can run on across pauses and sentences; examiners tag utterances. We
split at long pauses, at sentence ends followed by a short pause, and never let a segment
run past MAX_SEGMENT seconds. Boundaries come from word timings, so they stay tight.
"""

from __future__ import annotations

import re

from .transcript import Segment, Word

MAX_SEGMENT = 15.0
LONG_PAUSE = 1.0
SENTENCE_PAUSE = 0.25
_SENTENCE_END = (".", "?", "!")


def _segment_from_words(template: Segment, words: list[Word]) -> Segment:
    text = "".join(w.word for w in words).strip()
    return Segment(
        start=words[0].start, end=words[-1].end, speaker=template.speaker, text=text, channel=template.channel, words=tuple(words)
    )


def split_utterances(
    segment: Segment, max_len: float = MAX_SEGMENT, long_pause: float = LONG_PAUSE, sentence_pause: float = SENTENCE_PAUSE
) -> list[Segment]:
    words = list(segment.words)
    if not words:
        return [segment]
    out: list[Segment] = []
    current: list[Word] = [words[0]]
    for prev, word in zip(words, words[1:]):
        pause = word.start - prev.end
        sentence_end = prev.word.strip().endswith(_SENTENCE_END)
        too_long = word.end - current[0].start > max_len
        if pause >= long_pause or (sentence_end and pause >= sentence_pause) or too_long:
            out.append(_segment_from_words(segment, current))
            current = []
        current.append(word)
    out.append(_segment_from_words(segment, current))
    return out


_LOOP_IN_WORD = re.compile(r"(.{2,}?)\1{3,}")


def _unloop_word(w: Word) -> Word:
    """'nilfnilfnilfnilf' (a loop inside one token) → 'nilf'."""
    m = _LOOP_IN_WORD.search(w.word)
    if not m or len(m.group(0)) < 0.6 * len(w.word.strip()):
        return w
    return Word(w.start, w.end, w.word.replace(m.group(0), m.group(1)), w.probability)


def word_key(word: str) -> str:
    """A word as compared for repeats: lower case, letters, digits and apostrophes only."""
    return "".join(c for c in word.lower() if c.isalnum() or c == "'")


def collapse_repetitions(segment: Segment, max_repeats: int = 2, max_n: int = 8) -> Segment:
    """Cut recogniser loops ("m'n m'n m'n m'n …"): an n-gram repeated back to back more than
    `max_repeats` times keeps only its first occurrence. Real speech seldom repeats a phrase
    three times in a row; a decoder stuck in a loop does it dozens of times.
    """
    words = [_unloop_word(w) for w in segment.words] or [
        _unloop_word(Word(segment.start, segment.end, " " + w)) for w in segment.text.split()
    ]
    changed = any(a.word != b.word for a, b in zip(words, segment.words))
    keys = [word_key(w.word) for w in words]
    keep = [True] * len(words)
    i = 0
    while i < len(words):
        collapsed = False
        for n in range(1, max_n + 1):
            gram = keys[i : i + n]
            if len(gram) < n or not any(gram):
                continue
            reps = 1
            while keys[i + reps * n : i + (reps + 1) * n] == gram:
                reps += 1
            if reps > max_repeats:
                for j in range(i + n, i + reps * n):
                    keep[j] = False
                i += reps * n
                collapsed = True
                break
        if not collapsed:
            i += 1
    if all(keep) and not changed:
        return segment
    kept = [w for w, k in zip(words, keep) if k]
    text = "".join(w.word for w in kept).strip()
    return Segment(
        segment.start,
        kept[-1].end if segment.words else segment.end,
        segment.speaker,
        text,
        segment.channel,
        tuple(kept) if segment.words else (),
    )


def _merge(first: Segment, second: Segment) -> Segment:
    """One segment of both one speaker's segments; a word of `second` lying on a word of `first`
    with the same text is speech heard twice and kept once."""
    again = {(word_key(w.word)) for w in first.words}
    extra = [
        w for w in second.words if not (word_key(w.word) in again and any(v.start <= (w.start + w.end) / 2 <= v.end for v in first.words))
    ]
    words = tuple(sorted((*first.words, *extra), key=lambda w: (w.start, w.end)))
    text = "".join(w.word for w in words).strip() if words else f"{first.text} {second.text}".strip()
    return Segment(min(first.start, second.start), max(first.end, second.end), first.speaker, text, first.channel, words)


def _end_at(seg: Segment, t: float) -> Segment:
    return Segment(seg.start, t, seg.speaker, seg.text, seg.channel, seg.words)


def no_overlap(segments: list[Segment]) -> list[Segment]:
    """Segments in time order where no two of one speaker overlap (one person says one thing at a
    time). A segment starting inside the previous one of its speaker: if that one's words all end
    by then, its end just ran on into the silence and is moved back; otherwise the two hold the
    same stretch of speech (a fragment re-heard on top of it) and become one segment."""
    out: list[Segment] = []
    last: dict[str, int] = {}
    for seg in sorted(segments, key=lambda s: (s.start, -s.end)):
        k = last.get(seg.speaker)
        if k is not None and seg.start < out[k].end:
            prev = out[k]
            if seg.start > prev.start and all(w.end <= seg.start for w in prev.words):
                out[k] = _end_at(prev, seg.start)
            else:
                out[k] = _merge(prev, seg)
                continue
        last[seg.speaker] = len(out)
        out.append(seg)
    return sorted(out, key=lambda s: (s.start, s.channel if s.channel is not None else -1))
