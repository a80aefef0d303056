"""The transcription engine: faster-whisper per channel, as a pipeline of named steps.

decode windows (`decode`) → clean (`clean`) → find what was missed (`missed`, on the sound
measured once by `sound`) → re-listen (`relisten`) → refine edges (`edges`) → assign speakers
(`speakers`); `pipeline.WhisperEngine` runs them in that order, `options.EngineOptions` holds
every tuning value. `contract` is what services rely on; `fake.FakeEngine` serves tests.
"""

from .contract import Cancelled, Engine, ProgressFn, cache_key
from .fake import FakeEngine
from .options import DEFAULT_SETTINGS, EngineOptions
from .pipeline import WhisperEngine

__all__ = ["DEFAULT_SETTINGS", "Cancelled", "Engine", "EngineOptions", "FakeEngine", "ProgressFn", "WhisperEngine", "cache_key"]
