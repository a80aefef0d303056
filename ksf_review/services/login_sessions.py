"""Logins that survive a reload, a new tab or a link, until KSF_SESSION_MINUTES of inactivity.

Streamlit forgets its session on every page load, so the browser keeps a random token in an
HTTP-only cookie and the database keeps only the token's SHA-256 (a dump logs nobody in; a
forged token matches no row). A Streamlit script cannot set a cookie, so a login makes a
one-time hand-over code instead (60 s); the page posts it to the app's own route, which
swaps it for the token and sets the cookie (`ui.session_cookie`). The token itself is never
in the page. Logging out ends the row, so the token is dead even if a copy survives.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from ..adapters.storage.models import LoginSession, User
from . import audit
from .context import AppContext, ServiceError
from .users import CurrentUser

HANDOFF_SECONDS = 60
TOUCH_EVERY = timedelta(seconds=30)  # fewer writes: activity is recorded at most twice a minute


class SessionRefused(ServiceError):
    """The token or session is not (or no longer) valid; str() is the Dutch reason, may be ''."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(dt: datetime | None) -> datetime | None:
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)  # SQLite returns naive datetimes
    return dt


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def expired_message(minutes: int) -> str:
    return f"Je sessie is verlopen na {minutes} minuten zonder activiteit. Log opnieuw in."


INVALID = "Je sessie is niet (meer) geldig. Log opnieuw in."


def start(ctx: AppContext, user: User, now: datetime | None = None) -> tuple[int, str]:
    """After a correct password: a session row and its one-time hand-over code."""
    now = now or _now()
    code = secrets.token_urlsafe(32)
    with ctx.db.unit_of_work() as s:
        row = LoginSession(
            user_id=user.id,
            handoff_hash=_hash(code),
            handoff_expires_at=now + timedelta(seconds=HANDOFF_SECONDS),
            created_at=now,
            last_seen_at=now,
        )
        s.add(row)
        s.flush()
        return row.id, code


def redeem(ctx: AppContext, code: str, now: datetime | None = None) -> str | None:
    """Swap a fresh hand-over code for the session token (once); None when it is not valid."""
    now = now or _now()
    if not code or len(code) > 200:
        return None
    with ctx.db.unit_of_work() as s:
        row = s.scalar(select(LoginSession).where(LoginSession.handoff_hash == _hash(code)))
        if row is None or row.ended_at is not None or _aware(row.handoff_expires_at) < now:
            return None
        token = secrets.token_urlsafe(32)
        row.token_hash, row.handoff_hash, row.handoff_expires_at = _hash(token), None, None
        return token


def _check(s, row: LoginSession | None, minutes: int, now: datetime) -> User:
    if row is None:
        raise SessionRefused(INVALID)
    if row.ended_at is not None:
        raise SessionRefused("")  # logged out on purpose: the login form says enough
    if now - _aware(row.last_seen_at) > timedelta(minutes=minutes):
        row.ended_at = now
        raise SessionRefused(expired_message(minutes))
    user = s.get(User, row.user_id)
    if user is None or not user.active:
        row.ended_at = now
        raise SessionRefused("Dit account is uitgeschakeld. Neem contact op met de beheerder.")
    if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = now
    return user


def resume(ctx: AppContext, token: str, minutes: int, now: datetime | None = None) -> tuple[CurrentUser, int]:
    """The user and session id for a token from the cookie, or SessionRefused (Dutch reason)."""
    now = now or _now()
    if not token or len(token) > 200:
        raise SessionRefused(INVALID)
    with ctx.db.unit_of_work() as s:
        row = s.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
        try:
            user = _check(s, row, minutes, now)
        except SessionRefused:
            s.commit()  # an expired row is ended for good
            raise
        s.flush()
        return CurrentUser.of(user), row.id


def touch(ctx: AppContext, session_id: int, minutes: int, now: datetime | None = None) -> None:
    """On every page run of a logged-in tab: still valid (not logged out elsewhere, not idle)?"""
    now = now or _now()
    with ctx.db.unit_of_work() as s:
        row = s.get(LoginSession, session_id)
        try:
            _check(s, row, minutes, now)
        except SessionRefused:
            s.commit()
            raise


def end(
    ctx: AppContext, session_id: int | None = None, token: str | None = None, actor: User | None = None, now: datetime | None = None
) -> None:
    """Log out: the row is ended, so its token opens nothing any more (in any tab)."""
    now = now or _now()
    with ctx.db.unit_of_work() as s:
        row = None
        if session_id is not None:
            row = s.get(LoginSession, session_id)
        elif token:
            row = s.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
        if row is not None and row.ended_at is None:
            row.ended_at = now
            if actor is not None:
                audit.record(s, actor, "logout", "user", actor.id)
