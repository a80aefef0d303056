"""Where a channel has sound: voiced 10-ms frames and the regions they form, measured once.

Both "find what was missed" and "refine edges" look at the same sound, so a channel's energy
is measured once (in 60-s blocks: a float copy of an hour-long channel would cost ≈460 MB).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .options import EngineOptions

BLOCK = 6000  # frames (60 s) per block when measuring energy


@dataclass(frozen=True)
class Sound:
    voiced: np.ndarray  # bool per frame: speech-level energy on this channel
    regions: list[tuple[float, float]]  # stretches of sound in seconds (short gaps bridged)
    frame: float  # seconds per frame


def voiced_frames(samples: np.ndarray, rate: int, frame: float = 0.01, margin_db: float = 30.0) -> np.ndarray:
    """Boolean per frame: within `margin_db` of the channel's loud frames (and above its floor)."""
    hop = max(1, int(frame * rate))
    n = len(samples) // hop
    if n == 0:
        return np.zeros(0, dtype=bool)
    frames = samples[: n * hop].reshape(n, hop)
    db = np.empty(n, dtype=np.float32)
    for i in range(0, n, BLOCK):
        x = frames[i : i + BLOCK].astype(np.float32)
        db[i : i + BLOCK] = 20 * np.log10(np.sqrt((x * x).mean(axis=1)) + 1e-9)
    loud = np.percentile(db, 95)
    floor = np.percentile(db, 10)
    threshold = max(loud - margin_db, floor + 6.0)
    return db > threshold


def regions_of(voiced: np.ndarray, frame: float = 0.01, join_gap: float = 0.3, min_len: float = 0.4) -> list[tuple[float, float]]:
    """Stretches of voiced frames (gaps shorter than `join_gap` bridged, shorter than `min_len` dropped)."""
    if not voiced.any():
        return []
    idx = np.flatnonzero(voiced)
    regions, start, prev = [], idx[0], idx[0]
    for i in idx[1:]:
        if (i - prev) * frame > join_gap:
            regions.append((start * frame, (prev + 1) * frame))
            start = i
        prev = i
    regions.append((start * frame, (prev + 1) * frame))
    return [(a, b) for a, b in regions if b - a >= min_len]


def measure(samples: np.ndarray, rate: int, opts: EngineOptions = EngineOptions()) -> Sound:
    voiced = voiced_frames(samples, rate, opts.frame_s, opts.margin_db)
    return Sound(voiced, regions_of(voiced, opts.frame_s, opts.region_join_s, opts.region_min_s), opts.frame_s)


def voiced_regions(samples: np.ndarray, rate: int, opts: EngineOptions = EngineOptions()) -> list[tuple[float, float]]:
    return measure(samples, rate, opts).regions
