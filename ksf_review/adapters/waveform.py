"""Waveform peaks for the player: decode once, keep max-abs per bucket, cache by content hash.

The browser draws the waveform from a few thousand numbers instead of decoding a long
recording itself. Decoding streams through ffmpeg at a low sample rate so a 60-minute call
costs a few MB of memory, and the result is cached on disk under the audio's sha256, so it
is computed once per recording.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

#: decoding rate for peaks: plenty for a visual envelope, cheap to decode
PEAKS_SAMPLE_RATE = 8000
#: samples per fine block while streaming (2 ms at 8 kHz); buckets are built from blocks
_BLOCK = 16
_CHUNK_FRAMES = PEAKS_SAMPLE_RATE * 10  # read 10 s of audio per pipe read
_FORMAT_VERSION = 1


def _probe_channels(path: Path) -> int:
    """Number of audio channels of the first audio stream (1 when unknown)."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return 1
    out = subprocess.run(
        [ffprobe, "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=channels", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return max(1, int(out.stdout.strip().splitlines()[0]))
    except (ValueError, IndexError):
        return 1


def _block_peaks_ffmpeg(path: Path, channels: int) -> tuple[np.ndarray, int]:
    """Stream-decode with ffmpeg; return (max-abs per block per channel, total frames)."""
    cmd = [
        shutil.which("ffmpeg") or "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-i",
        str(path),
        "-map",
        "0:a:0",
        "-f",
        "f32le",
        "-acodec",
        "pcm_f32le",
        "-ac",
        str(channels),
        "-ar",
        str(PEAKS_SAMPLE_RATE),
        "-",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    frame_bytes = 4 * channels
    blocks: list[np.ndarray] = []
    total = 0
    carry = np.zeros((0, channels), dtype=np.float32)
    try:
        while True:
            raw = proc.stdout.read(_CHUNK_FRAMES * frame_bytes)
            if not raw:
                break
            usable = len(raw) - len(raw) % frame_bytes
            frames = np.frombuffer(raw[:usable], dtype="<f4").reshape(-1, channels)
            total += len(frames)
            frames = np.concatenate([carry, frames]) if len(carry) else frames
            whole = len(frames) - len(frames) % _BLOCK
            if whole:
                blocks.append(np.abs(frames[:whole]).reshape(-1, _BLOCK, channels).max(axis=1))
            carry = frames[whole:].copy()
    finally:
        proc.stdout.close()
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        rc = proc.wait()
    if rc != 0:
        raise RuntimeError(f"ffmpeg kon {path.name} niet decoderen: {err.strip()[:300]}")
    if len(carry):
        blocks.append(np.abs(carry).max(axis=0, keepdims=True))
    if not blocks:
        return np.zeros((0, channels), dtype=np.float32), 0
    return np.concatenate(blocks), total


def _block_peaks_pyav(path: Path) -> tuple[np.ndarray, int, int]:
    """Fallback without ffmpeg: faster-whisper's PyAV decoder (loads the whole file)."""
    from faster_whisper import decode_audio

    left, right = decode_audio(str(path), sampling_rate=PEAKS_SAMPLE_RATE, split_stereo=True)
    frames = np.stack([left, right], axis=1).astype(np.float32)
    channels = 1 if np.array_equal(left, right) else 2
    frames = frames[:, :channels]
    pad = (-len(frames)) % _BLOCK
    padded = np.concatenate([np.abs(frames), np.zeros((pad, channels), np.float32)])
    return padded.reshape(-1, _BLOCK, channels).max(axis=1), len(frames), channels


def compute_peaks(path: Path | str, n_buckets: int = 2000) -> dict:
    """Decode `path` and return its waveform envelope.

    Returns ``{"version", "sample_rate", "duration", "channels", "n_buckets", "peaks"}``
    where ``peaks`` holds one list per channel (stereo: [left, right]) of at most
    ``n_buckets`` max-abs values in 0..1, rounded to 3 decimals. A stereo file whose two
    channels are identical is reported as mono.
    """
    path = Path(path)
    if n_buckets < 1:
        raise ValueError("n_buckets moet minstens 1 zijn")
    if shutil.which("ffmpeg"):
        channels = min(2, _probe_channels(path))
        blocks, total = _block_peaks_ffmpeg(path, channels)
    else:  # pragma: no cover - Debian image always has ffmpeg
        blocks, total, channels = _block_peaks_pyav(path)

    if channels == 2 and np.array_equal(blocks[:, 0], blocks[:, 1]):
        blocks, channels = blocks[:, :1], 1

    n_blocks = len(blocks)
    n = min(n_buckets, n_blocks)
    if n == 0:
        peaks = [[] for _ in range(channels)]
    else:
        edges = (np.arange(n) * n_blocks) // n  # strictly increasing because n <= n_blocks
        bucketed = np.maximum.reduceat(blocks, edges, axis=0)
        bucketed = np.clip(np.round(bucketed.astype(np.float64), 3), 0.0, 1.0)
        peaks = [bucketed[:, c].tolist() for c in range(channels)]
    return {
        "version": _FORMAT_VERSION,
        "sample_rate": PEAKS_SAMPLE_RATE,
        "duration": round(total / PEAKS_SAMPLE_RATE, 3),
        "channels": channels,
        "n_buckets": n,
        "peaks": peaks,
    }


def peaks_for(path: Path | str, sha256: str, cache_dir: Path | str, n_buckets: int = 2000) -> dict:
    """Peaks for an audio file, computed once and cached as ``<cache_dir>/<sha256>.peaks-<n>.json``.

    The cache key is the audio's content hash (the caller already knows it from the audio
    store), so a renamed or re-uploaded copy of the same recording reuses the cache.
    """
    cache_dir = Path(cache_dir)
    cache_file = cache_dir / f"{sha256}.peaks-{n_buckets}.json"
    try:
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
        if cached.get("version") == _FORMAT_VERSION:
            return cached
    except (OSError, ValueError):
        pass
    peaks = compute_peaks(path, n_buckets=n_buckets)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".peaks-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(peaks, fh, separators=(",", ":"))
        os.replace(tmp, cache_file)  # atomic: concurrent sessions never read half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return peaks


def delete_peaks(cache_dir: Path | str, sha256: str) -> int:
    """Delete every cached peaks file of a recording (any bucket count); returns how many."""
    if not sha256 or not all(c in "0123456789abcdef" for c in sha256.lower()):
        return 0
    n = 0
    for f in Path(cache_dir).glob(f"{sha256}.peaks-*.json"):
        f.unlink(missing_ok=True)
        n += 1
    return n
