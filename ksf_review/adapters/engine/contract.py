"""What the services need from a transcription engine, and the key its transcripts are cached by."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable, Protocol

from ...domain.transcript import Transcript

ProgressFn = Callable[[float], None]


def announce(progress: ProgressFn | None, step: str) -> None:
    """Tell the progress callback which step starts now, if it listens (`progress.step(name)`).

    A transcription job's callback does, and the page names the step; a plain callable (a
    list's append in a test or a bench) only hears the shares, as before.
    """
    hear = getattr(progress, "step", None)
    if callable(hear):
        hear(step)


class Cancelled(Exception):
    """Raised from a progress callback to stop a running transcription."""


class Engine(Protocol):
    model_name: str
    settings: dict  # every tuning value (with a version): part of the cache key

    def transcribe(self, path: Path, agent_channel: str = "left", progress: ProgressFn | None = None) -> Transcript: ...


def cache_key(audio_sha256: str, model: str, settings: dict, agent_channel: str) -> str:
    blob = json.dumps({"a": audio_sha256, "m": model, "s": settings, "c": agent_channel}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()
