"""Audio files: probe what they really are, hash them, decode them per channel.

The container is sniffed by PyAV (FFmpeg's demuxers), never taken from the file name,
so a renamed text file or a truncated download is refused with a Dutch message before
anything is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: container formats (FFmpeg demuxer names) we accept, with a friendly name
SUPPORTED_FORMATS = {
    "wav": "WAV",
    "mp3": "MP3",
    "mov,mp4,m4a,3gp,3g2,mj2": "M4A/AAC",
    "aac": "AAC",
    "ogg": "Ogg (Vorbis/Opus)",
    "flac": "FLAC",
    "matroska,webm": "WebM/Opus",
}
SAMPLE_RATE = 16000


class AudioError(ValueError):
    """An audio file we cannot use; str() is a Dutch message for the page."""


@dataclass(frozen=True)
class AudioInfo:
    format: str
    codec: str
    channels: int
    sample_rate: int
    duration: float
    size: int

    @property
    def label(self) -> str:
        kind = {1: "mono", 2: "stereo"}.get(self.channels, f"{self.channels} kanalen")
        return f"{SUPPORTED_FORMATS.get(self.format, self.format)}, {kind}, {self.sample_rate} Hz"


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def probe(path: Path, name: str | None = None) -> AudioInfo:
    """Open the file with FFmpeg's demuxers and report format, channels, rate, duration."""
    import av

    path = Path(path)
    name = name or path.name
    size = path.stat().st_size if path.exists() else 0
    if size == 0:
        raise AudioError(f"'{name}' is leeg (0 bytes). Kies het juiste opnamebestand.")
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            fmt = container.format.name
            streams = container.streams.audio
            if not streams:
                raise AudioError(f"'{name}' bevat geen audiospoor.")
            stream = streams[0]
            ctx = stream.codec_context
            channels = int(getattr(ctx, "channels", 0) or stream.channels)
            rate = int(ctx.sample_rate or stream.rate or 0)
            duration = 0.0
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            if duration <= 0:
                duration = _decoded_duration(container, stream)
            codec = ctx.name
    except AudioError:
        raise
    except Exception as exc:  # av raises a family of errors; all mean "not usable audio"
        raise AudioError(f"'{name}' kan niet als audio gelezen worden (beschadigd of geen audiobestand).") from exc
    if fmt not in SUPPORTED_FORMATS:
        raise AudioError(f"'{name}' heeft een niet-ondersteund formaat ({fmt}). Gebruik WAV, MP3, M4A/AAC, Ogg/Opus of FLAC.")
    if channels < 1 or rate <= 0:
        raise AudioError(f"'{name}' heeft geen bruikbaar audiospoor (kanalen of samplefrequentie ontbreken).")
    if duration <= 0.05:
        raise AudioError(f"'{name}' bevat geen hoorbare audio (duur 0 seconden).")
    return AudioInfo(fmt, codec, channels, rate, round(duration, 3), size)


def _decoded_duration(container, stream) -> float:
    samples = 0
    for frame in container.decode(stream):
        samples += frame.samples
    return samples / float(stream.codec_context.sample_rate or 1)


def decode_pcm16(path: Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Decode to 16-bit PCM at `sample_rate`, shape (channels, samples), streaming frame by frame.

    int16 keeps a 60-minute stereo call at ≈230 MB; callers convert small windows to float.
    Two channels stay separate (agent and customer); mono stays mono; more than two channels
    are mixed down to mono, since we cannot know which of them is who.
    """
    import av

    info = probe(path)
    layout = "stereo" if info.channels == 2 else "mono"
    n_out = 2 if layout == "stereo" else 1
    chunks: list[np.ndarray] = []
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="s16p", layout=layout, rate=sample_rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(n_out, -1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(n_out, -1))
    except Exception as exc:  # noqa: BLE001 - a file that probes but fails mid-way is damaged
        if not chunks:
            raise AudioError(f"'{Path(path).name}' kan niet gedecodeerd worden (beschadigd bestand).") from exc
    if not chunks:
        raise AudioError(f"'{Path(path).name}' bevat geen hoorbare audio.")
    return np.concatenate(chunks, axis=1)


def decode_channels(path: Path, sample_rate: int = SAMPLE_RATE) -> list[np.ndarray]:
    """Decode to float32 at `sample_rate`, one array per channel (mono → one array).

    Files with more than two channels are mixed down to mono by the caller's choice;
    here the first two are returned, since call recordings put agent and customer there.
    """
    from faster_whisper import decode_audio

    info = probe(path)
    try:
        if info.channels >= 2:
            left, right = decode_audio(str(path), sampling_rate=sample_rate, split_stereo=True)
            return [left, right]
        return [decode_audio(str(path), sampling_rate=sample_rate)]
    except Exception as exc:
        raise AudioError(f"'{Path(path).name}' kan niet gedecodeerd worden: {exc}") from exc
