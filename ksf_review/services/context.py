"""What every use case needs: the database, the audio store, the engine, the settings.

Services are plain functions `f(ctx, actor, …)`: the acting user is explicit from the
start so that roles and the audit trail are enforced here, not in pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..adapters.audio_store import AudioStorage, AudioStore
from ..adapters.storage.db import Database
from ..adapters.transcription import Engine, WhisperEngine
from ..config import Settings
from ..logs import configure_logging


class ServiceError(ValueError):
    """A use case refused: str() is a Dutch message for the page."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the row since it was read (optimistic locking)."""


@dataclass
class AppContext:
    db: Database
    audio: AudioStorage  # recordings: only through this interface
    settings: Settings
    engine_factory: Callable[[], Engine] = field(default=None)  # type: ignore[assignment]

    def engine(self) -> Engine:
        if self.engine_factory is None:
            s = self.settings
            self.engine_factory = lambda: WhisperEngine(
                model=s.model, cache_dir=s.model_cache_dir, device=s.device,
                compute_type=s.compute_type, cpu_threads=s.cpu_threads,
            )
        return self.engine_factory()


def build_context(settings: Settings, engine_factory: Callable[[], Engine] | None = None) -> AppContext:
    configure_logging()  # the composition root of app, worker and CLI: logging is set once, here
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return AppContext(
        db=Database(settings.database_url),
        audio=AudioStore(Path(settings.audio_dir)),
        settings=settings,
        engine_factory=engine_factory,  # type: ignore[arg-type]
    )
