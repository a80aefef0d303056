"""What every use case needs: the database, the audio store, the engine, the rubrics, the settings.

Services are plain functions `f(ctx, actor, …)`: the acting user is explicit from the
start so that roles and the audit trail are enforced here, not in pages. `build_context`
is the one place where these dependencies are made (`ksf_review.bootstrap` adds what the
web process starts on top).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..adapters.audio_store import AudioStorage, AudioStore
from ..adapters.engine import Engine, WhisperEngine
from ..adapters.rubric_files import RubricFiles
from ..adapters.storage.db import Database
from ..config import Settings
from ..logs import configure_logging


class ServiceError(ValueError):
    """A use case refused: str() is a Dutch message for the page."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the row since it was read (optimistic locking)."""


def whisper_engine(settings: Settings, model: str | None = None) -> Engine:
    """The one place a Whisper engine is built from the settings (web worker, CLI worker, batch)."""
    return WhisperEngine(
        model=model or settings.model,
        cache_dir=settings.model_cache_dir,
        device=settings.device,
        compute_type=settings.compute_type,
        cpu_threads=settings.cpu_threads,
    )


@dataclass
class AppContext:
    db: Database
    audio: AudioStorage  # recordings: only through this interface
    settings: Settings
    engine_factory: Callable[[], Engine] = field(default=None)  # type: ignore[assignment]
    rubrics: RubricFiles = field(default=None)  # type: ignore[assignment]  # checklists by id@version

    def __post_init__(self) -> None:
        if self.rubrics is None:
            self.rubrics = RubricFiles(self.settings.rubric_dir)

    def engine(self) -> Engine:
        if self.engine_factory is None:
            self.engine_factory = lambda: whisper_engine(self.settings)
        return self.engine_factory()


def build_context(settings: Settings, engine_factory: Callable[[], Engine] | None = None) -> AppContext:
    configure_logging(settings.log_level)  # the composition root of app, worker and CLI: logging is set once, here
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return AppContext(
        db=Database(settings.database_url),
        audio=AudioStore(Path(settings.audio_dir)),
        settings=settings,
        engine_factory=engine_factory,  # type: ignore[arg-type]
    )
