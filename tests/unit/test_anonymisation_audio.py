"""Audio redaction on a synthetic signal: silent (or 1 kHz) inside, bit-identical outside."""

import numpy as np
import pytest

from ksf_review.adapters.anonymisation.audio import redact_audio, redact_file
from ksf_review.domain.tags import TimeRange

SR = 16_000
#: the first range starts at a peak of the 300 Hz sine (153.75 periods), where a hard cut clicks
RANGES = [TimeRange(0.5125, 1.0), TimeRange(2.0, 2.4)]
FADE = int(0.005 * SR)


@pytest.fixture
def sine():
    t = np.arange(3 * SR) / SR
    return (0.5 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)


def inside(r: TimeRange, margin: int = FADE) -> slice:
    return slice(int(round(r.start * SR)) + margin, int(round(r.end * SR)) - margin)


def outside_mask(n: int) -> np.ndarray:
    mask = np.ones(n, dtype=bool)
    for r in RANGES:
        mask[int(round(r.start * SR)) : int(round(r.end * SR))] = False
    return mask


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_silence_mode(sine):
    out = redact_audio(sine, SR, RANGES, mode="silence")
    assert out.dtype == np.float32 and out.shape == sine.shape
    for r in RANGES:
        assert rms(out[inside(r)]) == pytest.approx(0.0, abs=1e-7)
    mask = outside_mask(len(sine))
    assert np.array_equal(out[mask], sine[mask])  # bit-identical outside the ranges
    assert rms(sine[inside(RANGES[0])]) > 0.3  # the test signal really was loud there


def test_bleep_mode_puts_a_1khz_tone_in_the_ranges(sine):
    out = redact_audio(sine, SR, RANGES, mode="bleep")
    for r in RANGES:
        chunk = out[inside(r)].astype(np.float64)
        spectrum = np.abs(np.fft.rfft(chunk * np.hanning(len(chunk))))
        freqs = np.fft.rfftfreq(len(chunk), 1 / SR)
        assert abs(freqs[np.argmax(spectrum)] - 1000) < 10
        near = lambda f: spectrum[np.abs(freqs - f) < 20].sum()  # noqa: E731
        assert near(1000) > 100 * near(300)  # the speech (300 Hz) is gone
        assert 0.1 < np.max(np.abs(chunk)) <= 0.21  # moderate level
    mask = outside_mask(len(sine))
    assert np.array_equal(out[mask], sine[mask])


@pytest.mark.parametrize("mode", ["silence", "bleep"])
def test_fades_avoid_clicks(sine, mode):
    out = redact_audio(sine, SR, RANGES, mode=mode)
    # a 300 Hz sine at 0.5 changes at most ~0.06 per sample; a hard cut would jump ~0.5
    assert np.max(np.abs(np.diff(out))) < 0.1
    hard = sine.copy()
    hard[int(round(0.5125 * SR)) : int(1.0 * SR)] = 0
    assert np.max(np.abs(np.diff(hard))) > 0.1  # the check can fail


def test_stereo_all_channels_redacted(sine):
    stereo = np.stack([sine, 0.5 * sine])
    out = redact_audio(stereo, SR, RANGES, mode="silence")
    assert out.shape == stereo.shape
    for ch in range(2):
        assert rms(out[ch, inside(RANGES[1])]) == 0.0
    mask = outside_mask(len(sine))
    assert np.array_equal(out[:, mask], stereo[:, mask])


def test_edges_and_errors(sine):
    assert np.array_equal(redact_audio(sine, SR, []), sine)
    out = redact_audio(sine, SR, [TimeRange(2.9, 5.0), TimeRange(0.0, 0.0)], mode="silence")
    assert rms(out[int(2.91 * SR) :]) == 0.0
    assert np.array_equal(out[: int(2.9 * SR)], sine[: int(2.9 * SR)])
    tiny = redact_audio(sine, SR, [TimeRange(1.0, 1.0002)], mode="silence")  # shorter than 2 fades
    assert np.isfinite(tiny).all()
    assert sine is not out  # the input is not modified
    with pytest.raises(ValueError):
        redact_audio(sine, SR, RANGES, mode="piep")
    with pytest.raises(ValueError):
        redact_audio(sine[None, None, :], SR, RANGES)


@pytest.mark.parametrize("suffix", [".wav", ".ogg"])
def test_redact_file_round_trip(tmp_path, sine, suffix):
    from pydub import AudioSegment

    src = tmp_path / "src.wav"
    pcm = (sine * 32767).astype("<i2")
    AudioSegment(pcm.tobytes(), frame_rate=SR, sample_width=2, channels=1).export(str(src), format="wav")
    dst = redact_file(src, tmp_path / f"out{suffix}", RANGES, mode="silence")
    back = AudioSegment.from_file(str(dst))
    assert abs(back.duration_seconds - 3.0) < 0.05
    data = np.array(back.get_array_of_samples(), dtype=np.float64) / 32768.0
    rate = back.frame_rate
    mid = data[int(0.6 * rate) : int(0.9 * rate)]
    keep = data[int(1.3 * rate) : int(1.7 * rate)]
    assert rms(mid) < 0.01
    assert rms(keep) > 0.3
    if suffix == ".wav":  # lossless: identical to the int16 source outside the ranges
        assert rate == SR
        mask = outside_mask(len(sine))
        assert np.array_equal(np.round(data[mask] * 32768).astype(int), pcm[mask].astype(int))
