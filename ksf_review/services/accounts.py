"""Accounts: argon2-hashed passwords, slowed-down failed logins, the first beheerder.

Failed logins are throttled per account with an exponential back-off (1, 2, 4 … 60 s)
instead of sleeping in the request, so an attacker gains nothing by hammering and a user
who mistyped once waits a second. The first start creates a beheerder whose password
comes from KSF_ADMIN_PASSWORD or is generated and printed once.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from ..adapters.storage.models import User
from . import audit
from .context import AppContext, ServiceError

ROLES = {"examinator": "examinator", "coordinator": "coördinator", "beheerder": "beheerder"}
ADMIN_USERNAME = "beheerder"
MIN_PASSWORD = 10
MAX_BACKOFF = 60.0
_hasher = PasswordHasher()


class LoginError(ServiceError):
    pass


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(dt: datetime | None) -> datetime | None:
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)  # SQLite returns naive datetimes
    return dt


def backoff_seconds(failures: int) -> float:
    return 0.0 if failures <= 0 else min(MAX_BACKOFF, 2.0 ** (failures - 1))


def hash_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise ServiceError(f"Een wachtwoord heeft minimaal {MIN_PASSWORD} tekens.")
    return _hasher.hash(password)


def authenticate(ctx: AppContext, username: str, password: str, now: datetime | None = None) -> User:
    """Return the user for correct credentials; raise LoginError (Dutch) otherwise."""
    now = now or _now()
    generic = LoginError("Gebruikersnaam of wachtwoord onjuist.")
    with ctx.db.unit_of_work() as s:
        user = s.scalar(select(User).where(func.lower(User.username) == (username or "").strip().lower()))
        if user is None or not user.password_hash:
            _hasher.hash("timing-equaliser")  # same cost as a real check: no user enumeration by timing
            raise generic
        if not user.active:
            raise LoginError("Dit account is uitgeschakeld. Neem contact op met de beheerder.")
        wait = backoff_seconds(user.failed_logins)
        last = _aware(user.last_failed_at)
        if last and (now - last).total_seconds() < wait:
            remaining = wait - (now - last).total_seconds()
            raise LoginError(f"Te veel mislukte pogingen. Probeer het over {remaining:.0f} seconden opnieuw.")
        try:
            _hasher.verify(user.password_hash, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            user.failed_logins += 1
            user.last_failed_at = now
            audit.record(s, None, "login_failed", "user", user.id, user.username)
            s.commit()
            raise generic from None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_logins, user.last_failed_at, user.last_login_at = 0, None, now
        audit.record(s, user, "login", "user", user.id)
        s.flush()
        s.expunge(user)
        return user


def ensure_admin(ctx: AppContext, printer=print) -> str | None:
    """Create the first beheerder if no account with a password exists; returns a new password."""
    with ctx.db.unit_of_work() as s:
        exists = s.scalar(select(User.id).where(User.role == "beheerder", User.password_hash.is_not(None)).limit(1))
        if exists:
            return None
        password = os.environ.get("KSF_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user = s.scalar(select(User).where(User.username == ADMIN_USERNAME))
        if user is None:
            user = User(username=ADMIN_USERNAME, display_name="Beheerder", role="beheerder")
            s.add(user)
        user.role, user.password_hash, user.active = "beheerder", hash_password(password), True
        audit.record(s, None, "create_admin", "user", ADMIN_USERNAME)
    if not os.environ.get("KSF_ADMIN_PASSWORD"):
        printer(f"[ksf-review] Eerste start: account '{ADMIN_USERNAME}' aangemaakt met wachtwoord: {password}\n"
                "[ksf-review] Dit wachtwoord wordt maar één keer getoond. Log in en maak accounts aan onder Beheer.")
    return password


def create_user(ctx: AppContext, actor: User, username: str, role: str, password: str,
                display_name: str = "") -> User:
    require_role(actor, "beheerder")
    username = (username or "").strip().lower()
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise ServiceError("Een gebruikersnaam bestaat uit letters, cijfers, punt, streepje of liggend streepje.")
    if role not in ROLES:
        raise ServiceError(f"Onbekende rol '{role}'.")
    with ctx.db.unit_of_work() as s:
        if s.scalar(select(User.id).where(func.lower(User.username) == username)):
            raise ServiceError(f"De gebruikersnaam '{username}' bestaat al.")
        user = User(username=username, display_name=display_name.strip() or username, role=role,
                    password_hash=hash_password(password))
        s.add(user)
        s.flush()
        audit.record(s, actor, "create", "user", user.id, f"{username} ({role})")
        s.expunge(user)
        return user


def set_password(ctx: AppContext, actor: User, user_id: int, password: str) -> None:
    if actor.id != user_id:
        require_role(actor, "beheerder")
    with ctx.db.unit_of_work() as s:
        user = s.get(User, user_id)
        if user is None:
            raise ServiceError("Onbekend account.")
        user.password_hash = hash_password(password)
        user.failed_logins, user.last_failed_at = 0, None
        audit.record(s, actor, "set_password", "user", user_id)


def set_active(ctx: AppContext, actor: User, user_id: int, active: bool) -> None:
    require_role(actor, "beheerder")
    if actor.id == user_id and not active:
        raise ServiceError("Je kunt je eigen account niet uitschakelen.")
    with ctx.db.unit_of_work() as s:
        user = s.get(User, user_id)
        if user is None:
            raise ServiceError("Onbekend account.")
        user.active = active
        audit.record(s, actor, "activate" if active else "deactivate", "user", user_id)


def list_users(ctx: AppContext, actor: User) -> list[User]:
    require_role(actor, "beheerder")
    with ctx.db.unit_of_work() as s:
        users = s.scalars(select(User).order_by(User.username)).all()
        for u in users:
            s.expunge(u)
        return list(users)


def require_role(actor: User, *roles: str) -> None:
    """Services call this: roles are enforced here, not by hiding pages."""
    if actor is None or actor.role not in roles:
        names = " of ".join(ROLES[r] for r in roles)
        raise ServiceError(f"Hiervoor is de rol {names} nodig.")


def session_expired(last_activity: datetime, minutes: int, now: datetime | None = None) -> bool:
    return ((now or _now()) - last_activity) > timedelta(minutes=minutes)
