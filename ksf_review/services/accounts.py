"""Accounts: argon2-hashed passwords, slowed-down failed logins, the first beheerder.

Failed logins slow down further attempts on that username with an exponential back-off
(1, 2, 4, 8 s), but the back-off only *delays*: an attempt waits out the rest of it and is
then checked as usual, so the right password always gets in. (A back-off that refuses
lets an attacker with one wrong try a minute keep the real user locked out.) Unknown and
existing usernames take the same path: the same back-off, one argon2 verification (of a
dummy hash for an unknown name), the same message; a disabled account says so only after
the correct password. The first start creates a beheerder whose password comes from
KSF_ADMIN_PASSWORD or is generated and printed once.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from ..adapters.storage.models import User
from ..domain.roles import Role, role_label
from . import audit
from .context import AppContext, ServiceError
from .users import Account, CurrentUser

ADMIN_USERNAME = "beheerder"
MIN_PASSWORD = 10
MAX_BACKOFF = 8.0  # seconds: short, because a real user under attack waits it too
FORGET_FAILURES_AFTER = timedelta(minutes=15)
_hasher = PasswordHasher()
_sleep = time.sleep  # tests replace it; no test waits on the clock


class LoginError(ServiceError):
    pass


def _now() -> datetime:
    return datetime.now(timezone.utc)


def backoff_seconds(failures: int) -> float:
    return 0.0 if failures <= 0 else min(MAX_BACKOFF, 2.0 ** (failures - 1))


class _FailedLogins:
    """Recent failures per typed username, existing or not (so the delay tells nothing about
    which accounts exist). Kept in the web process: a restart only restarts the back-off."""

    LIMIT = 10_000  # names kept; an attacker spraying random names cannot grow it without bound

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_name: dict[tuple[str, str], tuple[int, datetime]] = {}

    def delay(self, key: tuple[str, str], now: datetime) -> float:
        with self._lock:
            failures, last = self._by_name.get(key, (0, now))
        if now - last > FORGET_FAILURES_AFTER:
            return 0.0
        return max(0.0, backoff_seconds(failures) - (now - last).total_seconds())

    def failed(self, key: tuple[str, str], now: datetime) -> None:
        with self._lock:
            failures, last = self._by_name.pop(key, (0, now))
            if now - last > FORGET_FAILURES_AFTER:
                failures = 0
            self._by_name[key] = (failures + 1, now)  # re-inserted: the dict is oldest-first
            while len(self._by_name) > self.LIMIT:
                del self._by_name[next(iter(self._by_name))]

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._by_name.pop(key, None)


_failed_logins = _FailedLogins()
_dummy = []


def _dummy_hash() -> str:
    """A real argon2 hash of a random secret: verifying it costs what verifying a user's costs."""
    if not _dummy:
        _dummy.append(_hasher.hash(secrets.token_urlsafe(16)))
    return _dummy[0]


def password_problem(password: str) -> str | None:
    """Why a new password is refused (Dutch), or None."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        return f"Een wachtwoord heeft minimaal {MIN_PASSWORD} tekens."
    if len(set(password)) == 1:
        return "Een wachtwoord van één herhaald teken is te makkelijk te raden. Kies een ander wachtwoord."
    return None


def hash_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise ServiceError(problem)
    return _hasher.hash(password)


def authenticate(ctx: AppContext, username: str, password: str, now: datetime | None = None) -> User:
    """Return the user for correct credentials; raise LoginError (Dutch) otherwise."""
    now = now or _now()
    name = (username or "").strip().lower()
    key = (ctx.db.url, name)
    wait = _failed_logins.delay(key, now)
    if wait > 0:
        _sleep(wait)  # delays, never refuses: the right password still gets in after it
        now += timedelta(seconds=wait)
    generic = LoginError("Gebruikersnaam of wachtwoord onjuist.")
    with ctx.db.unit_of_work() as s:
        user = s.scalar(select(User).where(func.lower(User.username) == name))
        known = user is not None and bool(user.password_hash)
        try:  # one argon2 verification whether the name exists or not: same time, same message
            _hasher.verify(user.password_hash if known else _dummy_hash(), password or "")
            correct = known
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            correct = False
        if not correct:
            _failed_logins.failed(key, now)
            if user is not None:
                user.failed_logins += 1
                user.last_failed_at = now
            audit.record(s, None, "login_failed", "user", user.id if user is not None else "", name[:80])
            s.commit()
            raise generic from None
        if not user.active:  # only told after the correct password
            raise LoginError("Dit account is uitgeschakeld. Neem contact op met de beheerder.")
        _failed_logins.succeeded(key)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_logins, user.last_failed_at, user.last_login_at = 0, None, now
        audit.record(s, user, "login", "user", user.id)
        s.flush()
        s.expunge(user)
        return user


def ensure_admin(ctx: AppContext, printer=print) -> str | None:
    """Create the first beheerder if no account with a password exists; returns a new password.

    The password is `Settings.admin_password` (KSF_ADMIN_PASSWORD) or a random one, printed once.
    """
    given = ctx.settings.admin_password
    with ctx.db.unit_of_work() as s:
        exists = s.scalar(select(User.id).where(User.role == Role.BEHEERDER, User.password_hash.is_not(None)).limit(1))
        if exists:
            return None
        password = given or secrets.token_urlsafe(12)
        user = s.scalar(select(User).where(User.username == ADMIN_USERNAME))
        if user is None:
            user = User(username=ADMIN_USERNAME, display_name="Beheerder", role=Role.BEHEERDER)
            s.add(user)
        user.role, user.password_hash, user.active = Role.BEHEERDER, hash_password(password), True
        audit.record(s, None, "create_admin", "user", ADMIN_USERNAME)
    if not given:
        printer(
            f"[ksf-review] Eerste start: account '{ADMIN_USERNAME}' aangemaakt met wachtwoord: {password}\n"
            "[ksf-review] Dit wachtwoord wordt maar één keer getoond. Log in en maak accounts aan onder Beheer."
        )
    return password


def create_user(ctx: AppContext, actor: User, username: str, role: str, password: str, display_name: str = "") -> Account:
    require_role(actor, Role.BEHEERDER)
    username = (username or "").strip().lower()
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise ServiceError("Een gebruikersnaam bestaat uit letters, cijfers, punt, streepje of liggend streepje.")
    try:
        role = Role(role)
    except ValueError:
        raise ServiceError(f"Onbekende rol '{role}'.") from None
    with ctx.db.unit_of_work() as s:
        if s.scalar(select(User.id).where(func.lower(User.username) == username)):
            raise ServiceError(f"De gebruikersnaam '{username}' bestaat al.")
        user = User(username=username, display_name=display_name.strip() or username, role=role, password_hash=hash_password(password))
        s.add(user)
        s.flush()
        audit.record(s, actor, "create", "user", user.id, f"{username} ({role})")
        return Account.of(user)


def set_password(ctx: AppContext, actor: User, user_id: int, password: str) -> None:
    if actor.id != user_id:
        require_role(actor, Role.BEHEERDER)
    with ctx.db.unit_of_work() as s:
        user = s.get(User, user_id)
        if user is None:
            raise ServiceError("Onbekend account.")
        user.password_hash = hash_password(password)
        user.failed_logins, user.last_failed_at = 0, None
        audit.record(s, actor, "set_password", "user", user_id)


def set_active(ctx: AppContext, actor: User, user_id: int, active: bool) -> None:
    require_role(actor, Role.BEHEERDER)
    if actor.id == user_id and not active:
        raise ServiceError("Je kunt je eigen account niet uitschakelen.")
    with ctx.db.unit_of_work() as s:
        user = s.get(User, user_id)
        if user is None:
            raise ServiceError("Onbekend account.")
        user.active = active
        audit.record(s, actor, "activate" if active else "deactivate", "user", user_id)


def list_users(ctx: AppContext, actor: User) -> list[Account]:
    require_role(actor, Role.BEHEERDER)
    with ctx.db.unit_of_work() as s:
        users = s.scalars(select(User).order_by(User.username)).all()
        return [Account.of(u) for u in users]


def log_in(ctx: AppContext, username: str, password: str) -> CurrentUser:
    """The login form's call: ``authenticate``, and the user as the pages see it."""
    return CurrentUser.of(authenticate(ctx, username, password))


def require_role(actor: User, *roles: str) -> None:
    """Services call this: roles are enforced here, not by hiding pages."""
    if actor is None or actor.role not in roles:
        names = " of ".join(role_label(r) for r in roles)
        raise ServiceError(f"Hiervoor is de rol {names} nodig.")


def session_expired(last_activity: datetime, minutes: int, now: datetime | None = None) -> bool:
    return ((now or _now()) - last_activity) > timedelta(minutes=minutes)
