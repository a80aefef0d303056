"""One settings object: environment variables with a KSF_ prefix, embedded defaults.

Without any configuration the app runs on one machine: SQLite and the audio store under
a data directory, the bundled Whisper base model, and the sample conversations as demo.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(f"KSF_{name}", default)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - non-Linux
        return os.cpu_count() or 1


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

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    @property
    def peaks_dir(self) -> Path:
        """Cached waveform peaks per recording (derived data: retention deletes them too)."""
        return self.data_dir / "peaks"


def load_settings() -> Settings:
    data_dir = Path(_env("DATA_DIR", str(Path.cwd() / "data"))).expanduser().resolve()
    db_url = _env("DATABASE_URL", f"sqlite:///{data_dir / 'ksf_review.sqlite3'}")
    cache_default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ksf-review"
    return Settings(
        data_dir=data_dir,
        database_url=db_url,
        model=_env("MODEL", "bundled"),
        device=_env("DEVICE", "cpu"),
        compute_type=_env("COMPUTE_TYPE", "int8"),
        cpu_threads=int(_env("CPU_THREADS", str(_cores()))),
        agent_channel=_env("AGENT_CHANNEL", "left"),
        max_upload_mb=int(_env("MAX_UPLOAD_MB", "200")),
        max_duration_hours=float(_env("MAX_DURATION_HOURS", "4")),
        decode_timeout=float(_env("DECODE_TIMEOUT", "120")),
        demo=_env("DEMO", "1") not in ("0", "false", "no"),
        worker=_env("WORKER", "1") not in ("0", "false", "no"),
        model_cache_dir=Path(_env("MODEL_CACHE_DIR", str(cache_default))).expanduser(),
        max_text_kb=int(_env("MAX_TEXT_KB", "1024")),
        worker_stalled_seconds=max(2.0, float(_env("WORKER_STALLED_SECONDS", "60"))),
    )


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings (read once; tests call load_settings directly)."""
    return load_settings()
