"""Optimistic concurrency: a save based on a row someone changed since it was read is refused, never overwrites.

A change by someone else shows in two ways: the version the examiner's form saw is not the
stored one any more (`check_version`, before writing), or another save lands between this
use case's read and its write (SQLAlchemy's version counter: the UPDATE … WHERE version = …
matches no row, StaleDataError at the flush; `versioned_unit` turns it into the same
Conflict and rolls everything back, audit record included). Each use case keeps its own
Dutch message, and audits only what it stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .context import AppContext, Conflict


def check_version(row, expected: int | None, message: str) -> None:
    """Refuse (Conflict) when the examiner saw another version of `row` (None: not checked)."""
    if expected is not None and row.version != expected:
        raise Conflict(message)


@contextmanager
def versioned_unit(ctx: AppContext, message: str) -> Iterator[Session]:
    """`ctx.db.unit_of_work()` in which a row changed between its read and its write is a Conflict(message)."""
    try:
        with ctx.db.unit_of_work() as s:
            yield s
    except StaleDataError as exc:
        raise Conflict(message) from exc
