"""Step 1, decode windows: a channel in windows of a few minutes, each cut where it is quiet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ...domain.transcript import Segment, Word
from .options import EngineOptions


@dataclass(frozen=True)
class Decoded:
    """A segment as the decoder gave it, with the scores the clean step judges it by."""

    segment: Segment
    no_speech_prob: float
    avg_logprob: float


def quiet_cut(samples: np.ndarray, start: int, end: int, rate: int, search_s: float = 20.0) -> int:
    """The middle of the quietest 0.25 s in the last `search_s` seconds before `end`, so no word is cut."""
    lo = max(start + 1, end - int(search_s * rate))
    hop = int(0.25 * rate)
    if end - lo < 2 * hop:
        return end
    region = np.abs(samples[lo:end].astype(np.float32))
    n = (len(region) // hop) * hop
    energy = region[:n].reshape(-1, hop).mean(axis=1)
    return lo + int(energy.argmin()) * hop + hop // 2


def windows(samples: np.ndarray, rate: int, window_s: float, search_s: float) -> list[tuple[int, int]]:
    """(start, end) sample positions covering the channel, each at most `window_s` long."""
    n, pos, out = len(samples), 0, []
    while pos < n:
        end = min(n, pos + int(window_s * rate))
        if end < n:
            end = quiet_cut(samples, pos, end, rate, search_s)
        out.append((pos, end))
        pos = end
    return out


def from_decoder(s, offset: float, speaker: str, ch: int) -> Decoded:
    """A faster-whisper segment on the channel's timeline (`offset` seconds later)."""
    words = tuple(
        Word(round(float(w.start) + offset, 3), round(float(w.end) + offset, 3), w.word, float(w.probability)) for w in (s.words or ())
    )
    seg = Segment(
        start=round(float(s.start) + offset, 3),
        end=round(float(s.end) + offset, 3),
        speaker=speaker,
        text=s.text.strip(),
        channel=ch,
        words=words,
    )
    return Decoded(seg, float(s.no_speech_prob), float(s.avg_logprob))


def decode_windows(
    runner,
    samples: np.ndarray,
    rate: int,
    kwargs: dict,
    opts: EngineOptions,
    speaker: str,
    ch: int,
    progress: Callable[[float], None] | None = None,
) -> list[Decoded]:
    """Everything the decoder hears on one channel; `progress` gets the share of the channel done."""
    n = max(len(samples), 1)
    out: list[Decoded] = []
    for pos, end in windows(samples, rate, opts.window_s, opts.quiet_search_s):
        audio = samples[pos:end].astype(np.float32) / 32768.0
        segments, _ = runner.transcribe(audio, **kwargs)
        for s in segments:
            out.append(from_decoder(s, pos / rate, speaker, ch))
            if progress:
                progress(min(1.0, (pos + s.end * rate) / n))
        if progress:
            progress(min(1.0, end / n))
    return out
