import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher

from ksf_review.services import accounts
from ksf_review.services.accounts import LoginError
from ksf_review.services.context import ServiceError


@pytest.fixture
def admin(ctx, monkeypatch):
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    return accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")


def test_first_start_prints_generated_password_once(ctx):
    ctx.settings = dataclasses.replace(ctx.settings, admin_password=None)  # no KSF_ADMIN_PASSWORD
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


@pytest.fixture
def waits(monkeypatch):
    """The back-off's delays, recorded instead of slept (no test waits on the clock)."""
    slept = []
    monkeypatch.setattr(accounts, "_sleep", slept.append, raising=False)
    return slept


@pytest.fixture
def any_admin(any_ctx, monkeypatch):
    # cheap argon2 parameters: these tests count attempts, they do not measure the hash
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "_dummy", [], raising=False)
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(any_ctx)
    return any_ctx


def test_failed_logins_are_slowed_down(ctx, admin, waits):
    t0 = datetime.now(timezone.utc)
    for i in range(3):  # failures at 0 s, 1 s and 2 s; the third waits 1 s (2 s back-off after 2 failures)
        with pytest.raises(LoginError, match="onjuist"):
            accounts.authenticate(ctx, "beheerder", "fout", now=t0 + timedelta(seconds=i))
    assert waits == [pytest.approx(1.0)]
    # third failure (at 3 s) → 4 s back-off: a try at 4 s first waits the remaining 3 s, then is checked
    with pytest.raises(LoginError, match="onjuist"):
        accounts.authenticate(ctx, "beheerder", "nog-fout", now=t0 + timedelta(seconds=4))
    assert waits[-1] == pytest.approx(3.0)
    ok = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123", now=t0 + timedelta(seconds=30))
    assert ok.failed_logins == 0
    assert accounts.backoff_seconds(50) == accounts.MAX_BACKOFF


def test_an_attacker_cannot_lock_the_real_user_out(any_admin, waits):
    """One wrong try a minute kept the account locked even for the right password; now the
    right password gets in after at most the short back-off."""
    ctx = any_admin
    t0 = datetime.now(timezone.utc)
    for minute in range(10):
        with pytest.raises(LoginError, match="onjuist"):
            accounts.authenticate(ctx, "beheerder", f"gok-{minute}", now=t0 + timedelta(minutes=minute))
    waits.clear()
    user = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123", now=t0 + timedelta(minutes=9, seconds=2))
    assert user.role == "beheerder" and user.failed_logins == 0
    assert len(waits) == 1 and 0 < waits[0] <= accounts.MAX_BACKOFF


def test_unknown_and_existing_usernames_get_the_same_message_and_work(any_admin, waits, monkeypatch):
    """Same message, the same back-off, and one argon2 verification each (a dummy hash for an
    unknown name; before, an unknown name cost a hash, not a verify)."""
    ctx = any_admin
    real = accounts._hasher
    calls = []

    class Spy:
        def verify(self, h, pw):
            calls.append("verify")
            return real.verify(h, pw)

        def hash(self, pw):
            calls.append("hash")
            return real.hash(pw)

        def check_needs_rehash(self, h):
            return real.check_needs_rehash(h)

    getattr(accounts, "_dummy_hash", str)()  # made once per process, not per attempt
    monkeypatch.setattr(accounts, "_hasher", Spy())
    t0 = datetime.now(timezone.utc)
    seen = {}
    for name in ("beheerder", "niemand"):
        waits.clear()
        messages = []
        for i in range(4):
            calls.clear()
            with pytest.raises(LoginError) as exc:
                accounts.authenticate(ctx, name, "fout-wachtwoord", now=t0 + timedelta(seconds=i))
            messages.append(str(exc.value))
            assert calls == ["verify"]
        seen[name] = (messages, list(waits))
    assert seen["beheerder"] == seen["niemand"]
    assert set(seen["niemand"][0]) == {"Gebruikersnaam of wachtwoord onjuist."}


def test_disabled_account_says_so_only_after_the_correct_password(any_admin, waits):
    ctx = any_admin
    admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
    ex = accounts.create_user(ctx, admin, "anna", "examinator", "anna-wachtwoord-1")
    accounts.set_active(ctx, admin, ex.id, False)
    with pytest.raises(LoginError, match="^Gebruikersnaam of wachtwoord onjuist.$"):
        accounts.authenticate(ctx, "anna", "fout-wachtwoord")
    with pytest.raises(LoginError, match="uitgeschakeld"):
        accounts.authenticate(ctx, "anna", "anna-wachtwoord-1")


def test_password_of_one_repeated_character_is_refused(ctx, admin):
    for pw in ("aaaaaaaaaaaa", "111111111111", "            "):
        with pytest.raises(ServiceError, match="één herhaald teken"):
            accounts.create_user(ctx, admin, "anna", "examinator", pw)
        with pytest.raises(ServiceError, match="één herhaald teken"):
            accounts.set_password(ctx, admin, admin.id, pw)
    assert accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")


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


def test_recent_items_are_kept_per_user_most_recent_first(ctx, admin):
    from ksf_review.services.users import CurrentUser, remember_recent_item

    for code in ["1.1a", "1.2b", "1.1a", *[f"3.{i}" for i in range(10)]]:
        remember_recent_item(ctx, admin, code, "−" if code == "1.1a" else "+")
    user = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
    assert CurrentUser.of(user).recent_items == tuple((f"3.{i}", "+") for i in range(9, 0, -1))  # nine, no doubles
    assert remember_recent_item(ctx, admin, "1.1a", "-")[:2] == (("1.1a", "-"), ("3.9", "+"))


def test_player_offers_only_recent_items_of_this_checklist():
    from ksf_review.ui.player.payload import build_payload

    items = [{"code": "1.1a", "label": "a"}, {"code": "1.2b", "label": "b"}]
    p = build_payload(audio_url=None, duration=1, segments=[], tags=[], peaks=None, items=items, recent=[("9.9", "+"), ("1.2b", "-")])
    assert p["recent"] == [["1.2b", "-"]]
