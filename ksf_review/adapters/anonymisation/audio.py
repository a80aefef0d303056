"""Silence or bleep stretches of a recording so personal data cannot be heard.

Short raised-cosine fades (5 ms) at both edges of every range avoid clicks. The fades lie
*inside* each range, so every sample outside the ranges stays bit-identical – the time
margin added by :mod:`.timing` is what keeps the first and last milliseconds of a word
from leaking. All channels are redacted: in a stereo call the other channel often carries
an echo of the same words.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Sequence

import numpy as np

from ksf_review.domain.tags import TimeRange

from .timing import merge_ranges

BLEEP_HZ = 1000.0
#: peak level of the bleep (-14 dBFS): clearly audible, not startling
BLEEP_LEVEL = 0.2
FADE_SECONDS = 0.005
MODES = ("bleep", "silence")


def _sample_bounds(r: TimeRange, sample_rate: int, n: int) -> tuple[int, int]:
    return (min(n, max(0, int(round(r.start * sample_rate)))), min(n, max(0, int(round(r.end * sample_rate)))))


def redact_audio(
    samples: np.ndarray,
    sample_rate: int,
    ranges: Sequence[TimeRange],
    mode: str = "bleep",
    *,
    fade: float = FADE_SECONDS,
    level: float = BLEEP_LEVEL,
    frequency: float = BLEEP_HZ,
) -> np.ndarray:
    """A copy of ``samples`` (mono ``(n,)`` or ``(channels, n)``) with ``ranges`` redacted.

    mode ``"silence"`` fades the signal out and back in; ``"bleep"`` cross-fades to a sine
    tone of ``frequency`` Hz at peak ``level`` and back. Samples outside the ranges are
    returned unchanged (bit-identical).
    """
    if mode not in MODES:
        raise ValueError(f"onbekende modus {mode!r} (kies 'bleep' of 'silence')")
    if sample_rate <= 0:
        raise ValueError("sample_rate moet positief zijn")
    x = np.asarray(samples)
    if x.ndim not in (1, 2):
        raise ValueError("verwacht mono (n,) of (kanalen, n) audio")
    out = np.array(x, dtype=np.float32, copy=True)
    n = out.shape[-1]
    for r in merge_ranges(ranges):
        i0, i1 = _sample_bounds(r, sample_rate, n)
        length = i1 - i0
        if length <= 0:
            continue
        nf = min(int(round(fade * sample_rate)), length // 2)
        # gain of the original signal: 1 → 0 → 1 with raised-cosine edges
        # (no fade at the very start or end of the recording: there is nothing to click against)
        keep = np.zeros(length, dtype=np.float64)
        if nf > 0:
            ramp = 0.5 * (1 + np.cos(np.linspace(0, np.pi, nf, endpoint=False) + np.pi / nf))
            if i0 > 0:
                keep[:nf] = ramp
            if i1 < n:
                keep[length - nf :] = ramp[::-1]
        seg = out[..., i0:i1].astype(np.float64)
        redacted = seg * keep
        if mode == "bleep":
            t = np.arange(length) / sample_rate
            tone = level * np.sin(2 * np.pi * frequency * t)
            redacted = redacted + tone * (1.0 - keep)
        out[..., i0:i1] = redacted.astype(np.float32)
    return out


# ---------------------------------------------------------------- files


def _load(path: str | Path) -> tuple[np.ndarray, int]:
    """Decode any ffmpeg-readable file at its own rate and channel count, float32 in [-1, 1]."""
    from pydub import AudioSegment

    with open(path, "rb") as fh:
        seg = AudioSegment.from_file(fh, format=Path(path).suffix.lstrip(".") or None)
    raw = np.array(seg.get_array_of_samples())
    scale = float(1 << (8 * seg.sample_width - 1))
    data = (raw.astype(np.float32) / scale).reshape(-1, seg.channels).T
    return (data[0] if seg.channels == 1 else data), seg.frame_rate


def _save(path: str | Path, samples: np.ndarray, sample_rate: int, fmt: str | None = None) -> Path:
    from pydub import AudioSegment

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "wav").lower()
    data = samples if samples.ndim == 2 else samples[np.newaxis, :]
    # the same 32768 scale as _load, so untouched int16 samples survive a WAV round trip exactly
    pcm = np.clip(np.round(data.astype(np.float64) * 32768.0), -32768, 32767).astype("<i2")
    seg = AudioSegment(pcm.T.tobytes(), frame_rate=sample_rate, sample_width=2, channels=data.shape[0])
    if fmt in ("ogg", "opus", "oga"):
        params = [] if sample_rate in (8000, 12000, 16000, 24000, 48000) else ["-ar", "48000"]
        handle = seg.export(str(path), format="ogg" if fmt != "opus" else "opus", codec="libopus", bitrate="48k", parameters=params)
    else:
        handle = seg.export(str(path), format=fmt)
    handle.close()  # pydub returns the open output file
    return path


def redact_file(
    src_path: str | Path,
    dst_path: str | Path,
    ranges: Sequence[TimeRange],
    mode: str = "bleep",
    *,
    fmt: str | None = None,
) -> Path:
    """Decode ``src_path`` (pydub + ffmpeg), redact ``ranges``, write ``dst_path``.

    The format follows ``dst_path``'s suffix (``.wav``, ``.ogg``/``.opus`` = Ogg/Opus) unless
    ``fmt`` is given. Sample rate and channels of the source are kept (Opus: resampled to
    48 kHz when the source rate is not one Opus supports).
    """
    samples, rate = _load(src_path)
    return _save(dst_path, redact_audio(samples, rate, ranges, mode), rate, fmt)


def window_envelope(path: str | Path, start: float, end: float, buckets: int = 600, rate: int = 8000) -> np.ndarray:
    """Min and max per bucket of ``[start, end)`` of a recording (channels mixed), shape (n, 2).

    Only that window is decoded (ffmpeg seeks), so a preview of a 10-s clip of a 60-minute
    call costs milliseconds, not a decode of the whole call.
    """
    dur = max(0.0, end - start)
    if dur <= 0:
        return np.zeros((0, 2), dtype=np.float32)
    cmd = [
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-ss",
        f"{max(0.0, start):.3f}",
        "-t",
        f"{dur:.3f}",
        "-i",
        str(path),
        "-ac",
        "1",
        "-ar",
        str(rate),
        "-f",
        "s16le",
        "-",
    ]
    raw = subprocess.run(cmd, capture_output=True, timeout=60, check=True).stdout
    x = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    n = max(1, min(buckets, len(x)))
    if len(x) == 0:
        return np.zeros((0, 2), dtype=np.float32)
    parts = np.array_split(x, n)
    return np.array([(p.min(), p.max()) for p in parts], dtype=np.float32)
