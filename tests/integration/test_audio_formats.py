"""Every supported upload format is probed and decoded for real (FFmpeg via PyAV)."""

import pytest

from ksf_review.adapters.audio import AudioError, decode_channels, probe
from tests.conftest import ffmpeg_convert, have, make_wav

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not have("ffmpeg"), reason="ffmpeg ontbreekt")]

FORMATS = [
    ("mp3", ["-c:a", "libmp3lame"], "mp3"),
    ("m4a", ["-c:a", "aac"], "mov,mp4,m4a,3gp,3g2,mj2"),
    ("aac", ["-c:a", "aac", "-f", "adts"], "aac"),
    ("ogg", ["-c:a", "libvorbis"], "ogg"),
    ("opus", ["-c:a", "libopus"], "ogg"),
    ("flac", ["-c:a", "flac"], "flac"),
]


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("ext,args,fmt", FORMATS)
def test_formats_probe_and_decode(tmp_path, ext, args, fmt, channels):
    wav = make_wav(tmp_path / "src.wav", seconds=3.0, channels=channels, rate=16000)
    out = ffmpeg_convert(wav, tmp_path / f"x.{ext}", *args)
    info = probe(out)
    assert info.format == fmt
    assert info.channels == channels
    assert abs(info.duration - 3.0) < 0.15
    chans = decode_channels(out)
    assert len(chans) == channels
    assert abs(len(chans[0]) / 16000 - 3.0) < 0.15


def test_8khz_telephone_audio(tmp_path):
    wav = make_wav(tmp_path / "tel.wav", seconds=2.0, channels=2, rate=8000, freq=300)
    info = probe(wav)
    assert info.sample_rate == 8000 and info.channels == 2
    assert len(decode_channels(wav)[0]) == pytest.approx(32000, abs=200)  # resampled to 16 kHz


def test_extension_that_lies(tmp_path):
    wav = make_wav(tmp_path / "a.wav")
    lying = tmp_path / "echt.mp3"
    lying.write_bytes(wav.read_bytes())
    assert probe(lying).format == "wav"  # sniffed, not taken from the name


def test_truncated_file(tmp_path):
    mp3 = ffmpeg_convert(make_wav(tmp_path / "a.wav", seconds=3), tmp_path / "a.mp3", "-c:a", "libmp3lame")
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(mp3.read_bytes()[:200])
    with pytest.raises(AudioError):
        probe(cut)


def test_video_container_without_audio_is_refused(tmp_path):
    import subprocess

    out = tmp_path / "v.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=black:s=32x32:d=1", "-c:v", "mpeg4", str(out)], check=True
    )
    with pytest.raises(AudioError, match="geen audiospoor"):
        probe(out)
