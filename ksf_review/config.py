"""One settings object: every KSF_ environment variable, read once, with embedded defaults.

Without any configuration the app runs on one machine: SQLite and the audio store under
a data directory, the bundled Whisper base model, and the sample conversations as demo.
Nothing else in the package reads the environment: code gets a `Settings` (through the
`AppContext`), so a value is looked up in one place and documented in one table (README).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

#: every environment variable `load_settings` reads (a unit test checks the README table)
VARIABLES = (
    "KSF_DATA_DIR",
    "KSF_DATABASE_URL",
    "KSF_MODEL",
    "KSF_MODEL_CACHE_DIR",
    "KSF_DEVICE",
    "KSF_COMPUTE_TYPE",
    "KSF_CPU_THREADS",
    "KSF_AGENT_CHANNEL",
    "KSF_MAX_UPLOAD_MB",
    "KSF_MAX_DURATION_HOURS",
    "KSF_DECODE_TIMEOUT",
    "KSF_MAX_TEXT_KB",
    "KSF_DEMO",
    "KSF_WORKER",
    "KSF_WORKER_STALLED_SECONDS",
    "KSF_SESSION_MINUTES",
    "KSF_ADMIN_PASSWORD",
    "KSF_RUBRIC_DIR",
    "KSF_LOG_LEVEL",
    "KSF_WORKER_THREADS",
    "KSF_WORKER_PARENT",
)


def _env(name: str, default: str) -> str:
    return os.environ.get(f"KSF_{name}", default)


def _flag(name: str, default: str) -> bool:
    return _env(name, default) not in ("0", "false", "no")


def all_cores() -> int:
    """The cores this process may use: the default for the engine's threads, wherever it is built."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - non-Linux
        return os.cpu_count() or 1


def default_model_cache_dir() -> Path:
    """Where the bundled model is joined once (KSF_MODEL_CACHE_DIR overrides it)."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ksf-review"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    model: str  # "bundled" or any faster-whisper model name / path
    device: str
    compute_type: str
    cpu_threads: int
    agent_channel: str  # "left" or "right": which stereo channel is the medewerker
    max_upload_mb: int
    max_duration_hours: float
    decode_timeout: float
    demo: bool
    worker: bool
    model_cache_dir: Path = field(default=Path())
    max_text_kb: int = 1024  # a pasted or uploaded chat/e-mail
    # PostgreSQL queue: a worker silent this long counts as dead and its job runs again
    worker_stalled_seconds: float = 60.0
    session_minutes: int = 60  # idle time before a login expires
    # the first beheerder's password (None: a random one, printed once); never in a repr or log
    admin_password: str | None = field(default=None, repr=False)
    rubric_dir: Path | None = None  # an organisation's own checklist files, next to the shipped ones
    log_level: str = "INFO"
    # the model threads of the worker a web process starts on SQLite: a core stays free for the pages
    worker_threads: int = 1
    # set for the worker a web process starts: that process's id (the worker stops when it ends)
    worker_parent: int | None = None

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    @property
    def peaks_dir(self) -> Path:
        """Cached waveform peaks per recording (derived data: retention deletes them too)."""
        return self.data_dir / "peaks"

    @property
    def suggestions_dir(self) -> Path:
        """The rules' suggestions per conversation and transcript revision (derived data: they
        quote the transcript, so deleting it deletes them)."""
        return self.data_dir / "suggestions"


def load_settings() -> Settings:
    """Read the environment now (tests call this, or `reload_settings`, after setting variables)."""
    data_dir = Path(_env("DATA_DIR", str(Path.cwd() / "data"))).expanduser().resolve()
    db_url = _env("DATABASE_URL", f"sqlite:///{data_dir / 'ksf_review.sqlite3'}")
    rubric_dir = _env("RUBRIC_DIR", "")
    return Settings(
        data_dir=data_dir,
        database_url=db_url,
        model=_env("MODEL", "bundled"),
        device=_env("DEVICE", "cpu"),
        compute_type=_env("COMPUTE_TYPE", "int8"),
        cpu_threads=int(_env("CPU_THREADS", str(all_cores()))),
        agent_channel=_env("AGENT_CHANNEL", "left"),
        max_upload_mb=int(_env("MAX_UPLOAD_MB", "200")),
        max_duration_hours=float(_env("MAX_DURATION_HOURS", "4")),
        decode_timeout=float(_env("DECODE_TIMEOUT", "120")),
        demo=_flag("DEMO", "1"),
        worker=_flag("WORKER", "1"),
        model_cache_dir=Path(_env("MODEL_CACHE_DIR", str(default_model_cache_dir()))).expanduser(),
        max_text_kb=int(_env("MAX_TEXT_KB", "1024")),
        worker_stalled_seconds=max(2.0, float(_env("WORKER_STALLED_SECONDS", "60"))),
        session_minutes=int(_env("SESSION_MINUTES", "60")),
        admin_password=_env("ADMIN_PASSWORD", "") or None,
        rubric_dir=Path(rubric_dir).expanduser() if rubric_dir else None,
        log_level=_env("LOG_LEVEL", "INFO"),
        worker_threads=max(1, int(_env("WORKER_THREADS", str(all_cores() - 1)))),
        worker_parent=int(_env("WORKER_PARENT", "0")) or None,
    )


def child_environment(**overrides: str) -> dict[str, str]:
    """This process's environment with `overrides`: for a child process (the worker) that reads its own settings."""
    return {**os.environ, **overrides}


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings, read once (app, worker, CLI)."""
    return load_settings()


def reload_settings() -> Settings:
    """Forget the process-wide settings and read the environment again (tests that set variables)."""
    settings.cache_clear()
    return settings()
