"""Step 2, clean: drop inventions and lost places, cut loops, split into utterances."""

from __future__ import annotations

from ...domain.segmentation import collapse_repetitions, split_utterances
from ...domain.transcript import Segment
from .options import EngineOptions


def is_hallucination(text: str, no_speech_prob: float, avg_logprob: float, known: tuple[str, ...] = EngineOptions().hallucinations) -> bool:
    """Empty text, a known invention (subtitle credits), or probably no speech at all."""
    low = text.lower().strip()
    if not low or all(not c.isalnum() for c in low):
        return True
    if any(h in low for h in known):
        return True
    return no_speech_prob > 0.6 and avg_logprob < -1.0


def is_unsure_tail(avg_logprob: float, start: float, previous_end: float | None, seconds: float, opts: EngineOptions) -> bool:
    """On a channel of one window: a segment that continues the one before it without a pause and
    that the decoder scores below `one_window_min_logprob` (it ran on past what it could follow)."""
    if seconds > opts.one_window_s or not opts.batch_size or previous_end is None:
        return False
    return start - previous_end <= opts.one_window_tail_s and avg_logprob < opts.one_window_min_logprob


def is_stretched(segment: Segment, max_word_s: float) -> bool:
    """A segment holding a word longer than any spoken word: the decoder lost its place there."""
    return any(w.end - w.start > max_word_s for w in segment.words)


def utterances(seg: Segment, opts: EngineOptions) -> list[Segment]:
    """A decoded segment with its loops collapsed, split into utterances fit for tagging."""
    seg = collapse_repetitions(seg, opts.max_repeats, opts.max_ngram)
    return [x for x in split_utterances(seg, opts.max_segment_s, opts.long_pause_s, opts.sentence_pause_s) if x.text]


def clean(segments: list[Segment], opts: EngineOptions) -> list[Segment]:
    """Decoded segments (hallucinations already left out) → utterances; lost places dropped."""
    return [u for s in segments if not is_stretched(s, opts.max_word_s or float("inf")) for u in utterances(s, opts)]
