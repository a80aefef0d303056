"""Users and roles. Until accounts with passwords exist, the app acts as a default examiner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..adapters.storage.models import User
from ..domain.roles import Role
from .context import AppContext

DEFAULT_USERNAME = "examinator"


@dataclass(frozen=True)
class CurrentUser:
    """The logged-in user as the pages see it: plain values, no database row (nothing is saved
    by accident, nothing needs a database session to be read). Services take it as the actor."""

    id: int
    username: str
    display_name: str
    role: str  # a Role
    playback_rate: float = 1.0
    recent_items: tuple[tuple[str, str], ...] = ()  # (item, "+"/"-"), most recent first

    @classmethod
    def of(cls, user: User) -> "CurrentUser":
        return cls(user.id, user.username, user.display_name, user.role, user.playback_rate or 1.0, _recent(user.recent_items))


@dataclass(frozen=True)
class Account:
    """An account as the Beheer and Kalibratie pages list it: never the password hash."""

    id: int
    username: str
    display_name: str
    role: str  # a Role
    active: bool
    can_log_in: bool  # has a password
    last_login_at: datetime | None

    @classmethod
    def of(cls, user: User) -> "Account":
        return cls(user.id, user.username, user.display_name, user.role, user.active, bool(user.password_hash), user.last_login_at)


def ensure_default_user(ctx: AppContext) -> User:
    with ctx.db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.username == DEFAULT_USERNAME))
        if user is None:
            user = User(username=DEFAULT_USERNAME, display_name="Examinator (standaard)", role=Role.EXAMINATOR)
            s.add(user)
            s.flush()
        return user


def get_or_create_user(ctx: AppContext, username: str, role: str = Role.EXAMINATOR, display_name: str = "") -> User:
    if role not in set(Role):
        raise ValueError(f"onbekende rol {role}")
    with ctx.db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, display_name=display_name or username, role=role)
            s.add(user)
            s.flush()
        return user


#: how many recently used items the player keeps (keys 1-9)
RECENT_ITEMS = 9


def _recent(stored) -> tuple[tuple[str, str], ...]:
    """The stored list as pairs; anything malformed is left out (it is only a convenience)."""
    out = []
    for entry in stored or ():
        if isinstance(entry, (list, tuple)) and len(entry) == 2 and isinstance(entry[0], str) and entry[1] in ("+", "-"):
            out.append((entry[0], entry[1]))
    return tuple(out[:RECENT_ITEMS])


def remember_recent_item(ctx: AppContext, actor: User, item: str, polarity: str) -> tuple[tuple[str, str], ...]:
    """Put `item` first among the user's recent items (kept across reloads, like the speed); the new list."""
    return push_recent_item(ctx, actor, item, polarity)[1]


def push_recent_item(ctx: AppContext, actor: User, item: str, polarity: str) -> tuple[tuple, tuple]:
    """`remember_recent_item`, returning (the list before, the list after): an undo of the tag puts back the first."""
    pol = "-" if polarity in ("-", "−") else "+"
    with ctx.db.unit_of_work() as s:
        u = s.get(User, actor.id)
        if u is None:
            return (), ()
        before = _recent(u.recent_items)
        recent = _recent([(item, pol), *[e for e in before if e[0] != item]])
        u.recent_items = [list(e) for e in recent]
        return before, recent


def recent_items(ctx: AppContext, actor: User) -> tuple[tuple[str, str], ...]:
    """The user's recent items as stored (keys 1-9), most recent first."""
    with ctx.db.unit_of_work() as s:
        u = s.get(User, actor.id)
        return _recent(u.recent_items) if u is not None else ()


def restore_recent_items(ctx: AppContext, actor: User, before, after) -> tuple[tuple[str, str], ...]:
    """Undo of a keyboard tag: the recent items go back to `before`, but only while they are still
    the `after` that tag made (a tag typed since, in another tab, is kept); the list as stored."""
    with ctx.db.unit_of_work() as s:
        u = s.get(User, actor.id)
        if u is None:
            return ()
        if _recent(u.recent_items) == _recent(after):
            u.recent_items = [list(e) for e in _recent(before)]
        return _recent(u.recent_items)


def set_playback_rate(ctx: AppContext, actor: User, rate: float) -> None:
    rate = min(2.0, max(0.5, float(rate)))
    with ctx.db.unit_of_work() as s:
        u = s.get(User, actor.id)
        if u is not None:
            u.playback_rate = rate
