"""Login sessions behind the cookie: hand-over once, sliding expiry, logout ends it (#14.11)."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from ksf_review.adapters.storage.models import LoginSession
from ksf_review.services import login_sessions as ls
from ksf_review.services.users import ensure_default_user

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def test_handover_token_expiry_and_logout(any_ctx):
    ctx = any_ctx
    user = ensure_default_user(ctx)
    sid, code = ls.start(ctx, user, now=T0)
    assert ls.redeem(ctx, "geraden-code", now=T0) is None
    token = ls.redeem(ctx, code, now=T0 + timedelta(seconds=5))
    assert token and ls.redeem(ctx, code, now=T0 + timedelta(seconds=6)) is None  # once only
    with ctx.db.unit_of_work() as s:  # only hashes are stored
        row = s.get(LoginSession, sid)
        assert token not in (row.token_hash, row.handoff_hash) and len(row.token_hash) == 64
    again, same = ls.resume(ctx, token, 30, now=T0 + timedelta(minutes=20))
    assert (again.id, same) == (user.id, sid)
    ls.touch(ctx, sid, 30, now=T0 + timedelta(minutes=45))  # active 25 min after the last use: fine
    with pytest.raises(ls.SessionRefused, match="niet \\(meer\\) geldig"):
        ls.resume(ctx, token + "x", 30, now=T0 + timedelta(minutes=46))
    with pytest.raises(ls.SessionRefused, match="verlopen na 30 minuten"):
        ls.resume(ctx, token, 30, now=T0 + timedelta(minutes=80))
    with pytest.raises(ls.SessionRefused):  # and it stays ended
        ls.resume(ctx, token, 30, now=T0 + timedelta(minutes=81))


def test_handover_code_expires_and_logout_kills_the_token(any_ctx):
    ctx = any_ctx
    user = ensure_default_user(ctx)
    _, code = ls.start(ctx, user, now=T0)
    assert ls.redeem(ctx, code, now=T0 + timedelta(seconds=ls.HANDOFF_SECONDS + 1)) is None
    sid, code = ls.start(ctx, user, now=T0)
    token = ls.redeem(ctx, code, now=T0)
    ls.end(ctx, sid, actor=user, now=T0 + timedelta(minutes=1))
    with pytest.raises(ls.SessionRefused):
        ls.resume(ctx, token, 30, now=T0 + timedelta(minutes=2))
    with pytest.raises(ls.SessionRefused):
        ls.touch(ctx, sid, 30, now=T0 + timedelta(minutes=2))
    sid2, code2 = ls.start(ctx, user, now=T0)
    token2 = ls.redeem(ctx, code2, now=T0)
    ls.end(ctx, token=token2, now=T0)  # the logout route knows only the cookie
    with ctx.db.unit_of_work() as s:
        assert s.scalar(select(LoginSession.ended_at).where(LoginSession.id == sid2)) is not None


def test_disabled_account_cannot_resume(ctx, user):
    from ksf_review.adapters.storage.models import User

    sid, code = ls.start(ctx, user, now=T0)
    token = ls.redeem(ctx, code, now=T0)
    with ctx.db.unit_of_work() as s:
        s.get(User, user.id).active = False
    with pytest.raises(ls.SessionRefused, match="uitgeschakeld"):
        ls.resume(ctx, token, 30, now=T0)
