"""compute_peaks / peaks_for on small generated WAV files (ffmpeg decode, ~tens of ms)."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from ksf_review.adapters import waveform
from ksf_review.adapters.waveform import compute_peaks, peaks_for

RATE = 8000


def _write_wav(path: Path, channels: list[np.ndarray], rate: int = RATE) -> Path:
    data = np.stack(channels, axis=1)
    pcm = (np.clip(data, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(len(channels))
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


def _tone(seconds: float, amp: float, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


@pytest.fixture()
def stereo_wav(tmp_path: Path) -> Path:
    # left: loud first second, silent second; right: the opposite, quieter
    left = np.concatenate([_tone(1.0, 0.8), np.zeros(RATE, np.float32)])
    right = np.concatenate([np.zeros(RATE, np.float32), _tone(1.0, 0.4)])
    return _write_wav(tmp_path / "call.wav", [left, right])


def test_stereo_peaks_keep_channels_apart(stereo_wav: Path):
    p = compute_peaks(stereo_wav, n_buckets=100)
    assert p["channels"] == 2
    assert p["n_buckets"] == 100
    assert p["duration"] == pytest.approx(2.0, abs=0.01)
    left, right = (np.array(c) for c in p["peaks"])
    assert len(left) == len(right) == 100
    assert left[:45].min() > 0.7 and left[55:].max() < 0.01
    assert right[:45].max() < 0.01 and right[55:].min() > 0.35
    assert right.max() < 0.45


def test_peaks_rounded_to_three_decimals(stereo_wav: Path):
    p = compute_peaks(stereo_wav, n_buckets=50)
    for chan in p["peaks"]:
        assert all(round(v, 3) == v for v in chan)
        assert all(0.0 <= v <= 1.0 for v in chan)


def test_mono_and_identical_stereo_are_one_lane(tmp_path: Path):
    tone = _tone(0.5, 0.5)
    mono = compute_peaks(_write_wav(tmp_path / "mono.wav", [tone]), n_buckets=10)
    dup = compute_peaks(_write_wav(tmp_path / "dup.wav", [tone, tone]), n_buckets=10)
    assert mono["channels"] == dup["channels"] == 1
    assert mono["peaks"] == dup["peaks"]


def test_more_buckets_than_audio_is_capped(tmp_path: Path):
    wav = _write_wav(tmp_path / "short.wav", [_tone(0.01, 0.5)])  # 80 samples = 5 blocks
    p = compute_peaks(wav, n_buckets=2000)
    assert p["n_buckets"] == len(p["peaks"][0]) == 5


def test_non_audio_raises(tmp_path: Path):
    bad = tmp_path / "not-audio.wav"
    bad.write_text("hallo")
    with pytest.raises(RuntimeError):
        compute_peaks(bad)


def test_peaks_for_computes_once(stereo_wav: Path, tmp_path: Path, monkeypatch):
    cache = tmp_path / "cache"
    first = peaks_for(stereo_wav, "abc123", cache, n_buckets=20)
    stored = cache / "abc123.peaks-20.json"
    assert json.loads(stored.read_text()) == first

    def boom(*a, **k):
        raise AssertionError("peaks recomputed despite cache")

    monkeypatch.setattr(waveform, "compute_peaks", boom)
    assert peaks_for(stereo_wav, "abc123", cache, n_buckets=20) == first
    assert not list(cache.glob(".peaks-*.tmp"))
