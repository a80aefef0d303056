from datetime import datetime, timedelta, timezone

import pytest

from ksf_review.services import accounts
from ksf_review.services.accounts import LoginError
from ksf_review.services.context import ServiceError


@pytest.fixture
def admin(ctx, monkeypatch):
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    return accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")


def test_first_start_prints_generated_password_once(ctx, monkeypatch):
    monkeypatch.delenv("KSF_ADMIN_PASSWORD", raising=False)
    printed = []
    pw = accounts.ensure_admin(ctx, printer=printed.append)
    assert pw and pw in printed[0]
    assert accounts.ensure_admin(ctx, printer=printed.append) is None and len(printed) == 1
    user = accounts.authenticate(ctx, "Beheerder", pw)
    assert user.role == "beheerder"


def test_password_is_argon2_hashed(ctx, admin):
    from ksf_review.adapters.storage.models import User
    with ctx.db.unit_of_work() as s:
        h = s.get(User, admin.id).password_hash
    assert h.startswith("$argon2") and "beheer-wachtwoord-123" not in h


def test_failed_logins_are_slowed_down(ctx, admin):
    t0 = datetime.now(timezone.utc)
    for i in range(3):
        with pytest.raises(LoginError, match="onjuist"):
            accounts.authenticate(ctx, "beheerder", "fout", now=t0 + timedelta(seconds=10 * i))
    # third failure → 4 s back-off: even the right password is refused right away
    with pytest.raises(LoginError, match="Te veel mislukte pogingen"):
        accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123", now=t0 + timedelta(seconds=21))
    ok = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123", now=t0 + timedelta(seconds=30))
    assert ok.failed_logins == 0
    assert accounts.backoff_seconds(50) == accounts.MAX_BACKOFF


def test_unknown_user_same_message(ctx, admin):
    with pytest.raises(LoginError, match="Gebruikersnaam of wachtwoord onjuist"):
        accounts.authenticate(ctx, "niemand", "x")


def test_only_beheerder_manages_users(ctx, admin):
    ex = accounts.create_user(ctx, admin, "anna", "examinator", "anna-wachtwoord-1", "Anna de Boer")
    with pytest.raises(ServiceError, match="beheerder"):
        accounts.create_user(ctx, ex, "bob", "examinator", "bob-wachtwoord-1")
    with pytest.raises(ServiceError, match="bestaat al"):
        accounts.create_user(ctx, admin, "Anna", "examinator", "anna-wachtwoord-1")
    with pytest.raises(ServiceError, match="minimaal 10"):
        accounts.create_user(ctx, admin, "kort", "examinator", "kort")
    accounts.set_active(ctx, admin, ex.id, False)
    with pytest.raises(LoginError, match="uitgeschakeld"):
        accounts.authenticate(ctx, "anna", "anna-wachtwoord-1")
    assert [u.username for u in accounts.list_users(ctx, admin)] == ["anna", "beheerder"]


def test_session_timeout():
    now = datetime.now(timezone.utc)
    assert accounts.session_expired(now - timedelta(minutes=61), 60, now)
    assert not accounts.session_expired(now - timedelta(minutes=59), 60, now)


def test_playback_speed_is_kept_per_user(ctx, admin):
    from ksf_review.services.users import set_playback_rate
    set_playback_rate(ctx, admin, 1.5)
    assert accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123").playback_rate == 1.5
    set_playback_rate(ctx, admin, 9)  # clamped to the player's range
    assert accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123").playback_rate == 2.0
