"""Periodic work (retention first): what runs, and how often, for both queue backends.

On PostgreSQL each entry is a procrastinate periodic task (deferred once per slot across all
workers); on SQLite the in-process worker runs what is due between jobs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from .context import AppContext

log = logging.getLogger(__name__)


def run_retention(ctx: AppContext) -> None:
    """Asked every hour; `run_scheduled_retention` runs it once a day across all processes."""
    from .retention import run_scheduled_retention

    run = run_scheduled_retention(ctx)
    if run is not None:
        log.info("bewaartermijn: %s gesprek(ken), %s opname(s) verwijderd", run.conversations, run.recordings)


@dataclass(frozen=True)
class Periodic:
    name: str
    cron: str  # for procrastinate (minute hour day month weekday)
    every_seconds: float  # for the in-process worker
    run: Callable[[AppContext], None]


PERIODIC = (Periodic("retention", "7 * * * *", 3600, run_retention),)
