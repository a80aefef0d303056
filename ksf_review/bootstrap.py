"""Start-up in one place: settings → the app's dependencies, for the web app, the CLI and the worker.

`build_context` (services/context.py) makes the database, the audio store, the rubric files
and the engine factory; a web process also needs the first beheerder, the demo exams and its
transcription worker (a child process on SQLite), as the settings ask. Pages, `python -m ksf_review …` and
`python -m ksf_review worker` all come through here, so none of them builds a piece itself.
"""

from __future__ import annotations

from typing import Callable

from .adapters.engine import Engine
from .config import Settings
from .config import settings as process_settings
from .services.context import AppContext, build_context


def bootstrap(settings: Settings | None = None, *, web: bool = False, engine_factory: Callable[[], Engine] | None = None) -> AppContext:
    """The app context (database migrated); with `web`, also admin account, demo and worker."""
    settings = settings or process_settings()
    ctx = build_context(settings, engine_factory=engine_factory)
    if web:
        from .services import accounts
        from .services.demo import seed_demo
        from .services.users import ensure_default_user
        from .services.worker import ensure_worker

        accounts.ensure_admin(ctx)
        if settings.demo:
            seed_demo(ctx, ensure_default_user(ctx))
        if settings.worker:
            ensure_worker(ctx)
    return ctx
