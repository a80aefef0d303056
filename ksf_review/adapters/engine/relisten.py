"""Step 4, re-listen: decode the missed stretches again, glued into one call.

The stretches (each padded into its neighbours) are glued with a second of silence between
them and decoded unbatched with timestamp tokens (it stops early less often than the batched
decoder); word times are mapped back to the channel. A decoder may write at most
`tokens_per_s` tokens per second of audio, so a loop cannot run on for 448 tokens.
"""

from __future__ import annotations

import numpy as np

from ...domain.segmentation import collapse_repetitions
from ...domain.transcript import Segment, Word
from .clean import is_hallucination, utterances
from .options import EngineOptions

Piece = tuple[float, float, float]  # (start, end) in the glued audio, start on the channel


def glue(samples: np.ndarray, rate: int, gaps: list[tuple[float, float]], pad_s: float) -> tuple[np.ndarray, list[Piece]]:
    """The padded stretches with a second of silence after each, as float audio, and where each lies."""
    pieces, table, pos = [], [], 0
    pause = np.zeros(rate, dtype=samples.dtype)
    for a, b in gaps:
        lo, hi = max(0, int((a - pad_s) * rate)), min(len(samples), int((b + pad_s) * rate))
        table.append((pos / rate, (pos + hi - lo) / rate, lo / rate))
        pieces += [samples[lo:hi], pause]
        pos += hi - lo + len(pause)
    return np.concatenate(pieces).astype(np.float32) / 32768.0, table


def _piece_of(table: list[Piece], t: float) -> int | None:
    for k, (c0, c1, _) in enumerate(table):
        if c0 - 0.2 <= t <= c1 + 0.2:
            return k
    return None


def heard_before(segments: list[Segment], word: Word) -> bool:
    """Does `word` fall in the time of a found segment? Then the re-listen heard that segment's
    speech again in its padding, often cut ("voorbeeld" of "bijvoorbeeld", "de" of "bij"):
    the segment's own words, decoded with their whole context, are kept instead."""
    t = (word.start + word.end) / 2
    return any(s.start <= t <= s.end for s in segments)


def _until_loop(words: tuple[Word, ...], speaker: str, text: str, ch: int) -> tuple[Word, ...]:
    """The words before a loop (and the loop once). What follows a loop is cut too (its timing is
    lost): its copies would otherwise "cover" the next stretches with junk and keep the next
    pass from re-listening them."""
    kept = collapse_repetitions(Segment(words[0].start, words[-1].end, speaker, text, ch, words)).words
    starts = {w.start for w in kept}
    cut = next((w.start for w in words if w.start not in starts), None)
    return kept if cut is None else tuple(w for w in kept if w.start < cut)


def _share_out(words: tuple[Word, ...], table: list[Piece]) -> dict[int, list[Word]]:
    """Glued-audio words per stretch, on the channel's timeline."""
    by_piece: dict[int, list[Word]] = {}
    for w in words:
        k = _piece_of(table, (w.start + w.end) / 2)
        if k is not None:
            c0, c1, orig = table[k]
            shift = orig - c0
            by_piece.setdefault(k, []).append(
                Word(round(max(w.start, c0) + shift, 3), round(min(w.end, c1) + shift, 3), w.word, w.probability)
            )
    return by_piece


def relisten(
    model,
    kwargs: dict,
    samples: np.ndarray,
    rate: int,
    gaps: list[tuple[float, float]],
    found: list[Segment],
    speaker: str,
    ch: int,
    opts: EngineOptions = EngineOptions(),
) -> list[Segment]:
    """New utterances heard in `gaps`, decoded glued together in one call; times on the channel."""
    if not gaps:
        return []
    audio, table = glue(samples, rate, gaps, opts.relisten_pad_s)
    window = min(len(audio) / rate, 30.0)
    segments, _ = model.transcribe(audio, **kwargs, max_new_tokens=int(opts.tokens_per_s * window) + 10)
    extra: list[Segment] = []
    for s in segments:
        glued = tuple(Word(float(w.start), float(w.end), w.word, float(w.probability)) for w in s.words or ())
        if not glued or is_hallucination(s.text, s.no_speech_prob, s.avg_logprob, opts.hallucinations):
            continue
        for words in _share_out(_until_loop(glued, speaker, s.text, ch), table).values():
            words = [w for w in words if not heard_before(found, w)]
            if words:
                seg = Segment(words[0].start, words[-1].end, speaker, "".join(w.word for w in words).strip(), ch, tuple(words))
                extra.extend(utterances(seg, opts))
    return extra
