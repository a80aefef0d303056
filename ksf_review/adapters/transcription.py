"""The old import path of the transcription engine, kept for tests and benches that use it.

The engine now lives in `adapters/engine/` (one module per step); new code imports from there.
"""

from __future__ import annotations

from .engine import DEFAULT_SETTINGS, Cancelled, Engine, EngineOptions, FakeEngine, ProgressFn, WhisperEngine, cache_key
from .engine.speakers import channel_speakers


def decoder_kwargs(settings: dict, seconds: float) -> dict:
    """faster-whisper keyword arguments for a channel of `seconds`, from a settings dict."""
    return EngineOptions.from_dict(settings).decoder_kwargs(seconds)


__all__ = [
    "DEFAULT_SETTINGS",
    "Cancelled",
    "Engine",
    "EngineOptions",
    "FakeEngine",
    "ProgressFn",
    "WhisperEngine",
    "cache_key",
    "channel_speakers",
    "decoder_kwargs",
]
