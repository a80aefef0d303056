"""Step 3, find what was missed: sound on the channel that no segment covers.

The batched decoder sometimes skips a short turn or stops early; such stretches are handed to
the re-listen step (noise among them is rejected there by VAD and the hallucination filter).
"""

from __future__ import annotations

from ...domain.transcript import Segment
from .options import EngineOptions


def uncovered(regions: list[tuple[float, float]], segments: list[Segment], min_len: float = 0.6) -> list[tuple[float, float]]:
    """Parts of sound regions that no segment covers (at least `min_len` long)."""
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


def missed(regions: list[tuple[float, float]], found: list[Segment], opts: EngineOptions) -> list[tuple[float, float]]:
    """The stretches to re-listen together, at most `max_gaps` (bounds the cost on noisy channels)."""
    return uncovered(regions, found, opts.gap_min_s)[: opts.max_gaps]


def worth_one_call(gaps: list[tuple[float, float]], opts: EngineOptions) -> list[tuple[float, float]]:
    """The stretches still missed that get a call of their own (each costs a 30-s window): at
    least `single_min_s` long ("Ja, klopt.", not a cough), at most `max_single` of them."""
    return [g for g in gaps if g[1] - g[0] >= opts.single_min_s][: opts.max_single]
