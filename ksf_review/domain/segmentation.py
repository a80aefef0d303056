"""Split recogniser segments into utterances fit for tagging.

Whisper segments can run on across pauses and sentences; examiners tag utterances. We
split at long pauses, at sentence ends followed by a short pause, and never let a segment
run past MAX_SEGMENT seconds. Boundaries come from word timings, so they stay tight.
"""

from __future__ import annotations

from .transcript import Segment, Word

MAX_SEGMENT = 15.0
LONG_PAUSE = 1.0
SENTENCE_PAUSE = 0.25
_SENTENCE_END = (".", "?", "!")


def _segment_from_words(template: Segment, words: list[Word]) -> Segment:
    text = "".join(w.word for w in words).strip()
    return Segment(start=words[0].start, end=words[-1].end, speaker=template.speaker,
                   text=text, channel=template.channel, words=tuple(words))


def split_utterances(segment: Segment, max_len: float = MAX_SEGMENT) -> list[Segment]:
    words = list(segment.words)
    if not words:
        return [segment]
    out: list[Segment] = []
    current: list[Word] = [words[0]]
    for prev, word in zip(words, words[1:]):
        pause = word.start - prev.end
        sentence_end = prev.word.strip().endswith(_SENTENCE_END)
        too_long = word.end - current[0].start > max_len
        if pause >= LONG_PAUSE or (sentence_end and pause >= SENTENCE_PAUSE) or too_long:
            out.append(_segment_from_words(segment, current))
            current = []
        current.append(word)
    out.append(_segment_from_words(segment, current))
    return out
