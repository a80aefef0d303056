"""Speech → Transcript with faster-whisper, per channel for stereo calls.

Stereo call recordings put the agent and the customer on separate channels, so each
channel is transcribed on its own (VAD removes the silent half) and the results are merged
by time: speakers are then exact, not guessed. Settings that matter on a 2-core CPU are
fixed here (see architecture.md): VAD on, no conditioning on previous text, word timings.
A FakeEngine with the same interface serves unit tests.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from ..domain.segmentation import split_utterances
from ..domain.transcript import AGENT, CUSTOMER, MONO, Segment, Transcript, Word, merge_by_time
from .audio import decode_channels, probe
from .speech_model import load_model, model_label

ProgressFn = Callable[[float], None]


class Cancelled(Exception):
    """Raised from a progress callback to stop a running transcription."""


DEFAULT_SETTINGS = {
    "language": "nl",
    "beam_size": 1,
    "vad_filter": True,
    "vad_parameters": {"min_silence_duration_ms": 500, "speech_pad_ms": 200},
    "condition_on_previous_text": False,
    "word_timestamps": True,
}


def channel_speakers(channels: int, agent_channel: str = "left") -> list[str]:
    if channels < 2:
        return [MONO]
    return [AGENT, CUSTOMER] if agent_channel == "left" else [CUSTOMER, AGENT]


def cache_key(audio_sha256: str, model: str, settings: dict, agent_channel: str) -> str:
    blob = json.dumps({"a": audio_sha256, "m": model, "s": settings, "c": agent_channel}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class Engine(Protocol):
    model_name: str
    settings: dict

    def transcribe(self, path: Path, agent_channel: str = "left",
                   progress: ProgressFn | None = None) -> Transcript: ...


@dataclass
class WhisperEngine:
    model: str = "bundled"
    cache_dir: Path = Path("/tmp/ksf-model-cache")
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 2
    settings: dict = field(default_factory=lambda: dict(DEFAULT_SETTINGS))

    @property
    def model_name(self) -> str:
        return model_label(self.model)

    def transcribe(self, path: Path, agent_channel: str = "left",
                   progress: ProgressFn | None = None) -> Transcript:
        info = probe(path)
        channels = decode_channels(path)
        speakers = channel_speakers(len(channels), agent_channel)
        model = load_model(self.model, self.cache_dir, self.device, self.compute_type, self.cpu_threads)
        total = max(info.duration, 0.001) * len(channels)
        per_channel: list[list[Segment]] = []
        for ch, (samples, speaker) in enumerate(zip(channels, speakers)):
            done_before = ch * info.duration
            segments, _ = model.transcribe(samples, **self.settings)
            out: list[Segment] = []
            for s in segments:
                words = tuple(Word(w.start, w.end, w.word, w.probability) for w in (s.words or ()))
                seg = Segment(start=s.start, end=s.end, speaker=speaker, text=s.text.strip(),
                              channel=ch, words=words)
                out.extend(x for x in split_utterances(seg) if x.text)
                if progress:
                    progress(min(1.0, (done_before + s.end) / total))
            per_channel.append(out)
            if progress:
                progress(min(1.0, (ch + 1) * info.duration / total))
        return Transcript(segments=merge_by_time(*per_channel), duration=info.duration,
                          model=self.model_name, settings=dict(self.settings))


@dataclass
class FakeEngine:
    """Returns a fixed transcript (or raises) without loading a model: for unit tests."""

    segments: list[Segment] = field(default_factory=list)
    error: Exception | None = None
    model_name: str = "fake"
    settings: dict = field(default_factory=dict)
    calls: int = 0

    def transcribe(self, path: Path, agent_channel: str = "left",
                   progress: ProgressFn | None = None) -> Transcript:
        self.calls += 1
        if self.error:
            raise self.error
        if progress:
            progress(0.5)
            progress(1.0)
        duration = max((s.end for s in self.segments), default=0.0)
        return Transcript(segments=list(self.segments), duration=duration, model=self.model_name,
                          settings=dict(self.settings))
