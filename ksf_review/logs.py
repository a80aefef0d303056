"""Server logging at start-up, in one place: our own messages at INFO, libraries quiet.

``deduce`` calls ``logging.basicConfig(level=DEBUG)`` on import, which (when the root
logger has no handler yet, as under Streamlit) turns every library's DEBUG lines on: the
anonymiser alone wrote 25 MB in 50 minutes. Configuring the root logger first makes that
call a no-op, and the named library loggers are held at WARNING whatever they try.
"""

from __future__ import annotations

import logging
import sys

#: libraries that log per token, per request or per file at DEBUG/INFO
QUIET_LIBRARIES = (
    "deduce",
    "docdeid",
    "faster_whisper",
    "ctranslate2",
    "matplotlib",
    "PIL",
    "fontTools",
    "fpdf",
    "numba",
    "urllib3",
    "httpx",
    "httpcore",
    "huggingface_hub",
    "filelock",
    "sqlalchemy",
    "alembic",
    "pydub",
    "asyncio",
    "watchdog",
    "tornado.access",
)

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str | int | None = None) -> None:
    """Root at `level` (Settings.log_level, INFO), one stderr handler, libraries at WARNING. Idempotent."""
    level = level or "INFO"
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
