"""#20.2: what the pages used to do themselves is a service now: exports are recorded in the
audit log, the calibration comparison is computed once per version of its data, the player's
media comes with a Dutch message when the waveform fails, and the logged-in user is a view."""

from __future__ import annotations

import pytest

from ksf_review.adapters.storage.models import AuditEvent
from ksf_review.services import accounts, exams, login_sessions, playback, scoring, transcript_exports
from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services.context import ServiceError
from ksf_review.services.users import Account, CurrentUser
from tests.conftest import make_wav
from tests.integration.test_calibration import score_all, setup  # noqa: F401 - the fixture


def _exports(ctx) -> list[tuple[str, str, str]]:
    with ctx.db.unit_of_work() as s:
        return [(e.object_type, e.object_id, e.detail) for e in s.query(AuditEvent).filter_by(action="export")]


@pytest.fixture
def revealed(ctx, setup, monkeypatch):  # noqa: F811
    monkeypatch.setattr(cal, "_analyses", cal._Memo(size=32))  # no figures from another test's database
    d = setup
    sid = d["session"].id
    for n, over in (("anna", {}), ("bert", {"1.1a": "niet_behaald"})):
        aid = cal.my_assessment(ctx, d[n], sid)
        score_all(ctx, d[n], aid, over)
        cal.submit(ctx, d[n], aid)
    cal.reveal(ctx, d["coord"], sid)
    return d


def test_the_comparison_is_computed_once_per_version_of_its_data(ctx, revealed, monkeypatch):
    from ksf_review.domain import agreement

    real, calls = agreement.summarise_session, []
    monkeypatch.setattr(agreement, "summarise_session", lambda *a, **k: calls.append(1) or real(*a, **k))
    d, sid = revealed, revealed["session"].id
    first = cal.comparison(ctx, d["coord"], sid, n_boot=20)
    again = cal.comparison(ctx, d["anna"], sid, n_boot=20)  # another user, a rerun, a download: no new draws
    assert len(calls) == 1 and again.stats == first.stats
    cal.set_consensus(ctx, d["coord"], sid, "1.1a", "behaald")  # new data: computed again
    changed = cal.comparison(ctx, d["coord"], sid, n_boot=20)
    assert len(calls) == 2 and changed.consensus == {"1.1a": "behaald"}
    with pytest.raises(ServiceError):  # the access check still runs on every call
        cal.comparison(ctx, d["otto"], sid, n_boot=20)


def test_the_session_report_is_recorded_in_the_audit_log(ctx, revealed):
    d, sid = revealed, revealed["session"].id
    data = cal.session_report(ctx, d["coord"], sid, "xlsx")
    assert data[:2] == b"PK"  # an XLSX is a zip
    assert _exports(ctx) == [("calibration", str(sid), "sessierapport XLSX")]
    with pytest.raises(ServiceError, match="coördinator"):
        cal.session_report(ctx, d["anna"], sid, "xlsx")


def test_transcript_and_tag_exports_are_recorded(ctx, user):
    exam = exams.create_exam(ctx, user, "Exportkandidaat")
    conv = convs.add_text_conversation(ctx, user, exam.id, "K: Hallo\nM: Goedemiddag, waarmee kan ik helpen?", channel="chat")
    view = convs.get_conversation(ctx, user, conv.id)
    segments = convs.conversation_segments(ctx, user, conv.id)
    text = transcript_exports.transcript_file(ctx, user, view, segments, "txt")
    assert "Goedemiddag" in text
    eaf = transcript_exports.tags_file(ctx, user, view, segments, [], "eaf", ctx.rubrics.default())
    assert "<ANNOTATION_DOCUMENT" in eaf
    assert _exports(ctx) == [("conversation", str(conv.id), "txt"), ("conversation", str(conv.id), "eaf")]


def test_a_failed_waveform_is_said_in_dutch_and_the_recording_still_plays(ctx, user, tmp_path, monkeypatch):
    exam = exams.create_exam(ctx, user, "Golfvormkandidaat")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav").read_bytes())
    view = convs.get_conversation(ctx, user, conv.id)
    ok = playback.player_media(ctx, view)
    assert ok.path == view.audio_path and ok.peaks and ok.problem == ""

    def broken(*a, **k):
        raise OSError("kapotte cache")

    monkeypatch.setattr(playback, "peaks_for", broken)
    failed = playback.player_media(ctx, view)
    assert failed.path == view.audio_path and failed.peaks is None
    assert failed.problem == playback.NO_WAVEFORM and "golfvorm" in failed.problem


def test_the_logged_in_user_is_a_view(ctx):
    accounts.ensure_admin(ctx)
    user = accounts.log_in(ctx, "beheerder", "beheer-wachtwoord-123")
    assert isinstance(user, CurrentUser) and user.role == "beheerder"
    with pytest.raises(AttributeError):
        user.role = "examinator"  # frozen: a page cannot change who someone is
    sid, code = login_sessions.start(ctx, user)
    token = login_sessions.redeem(ctx, code)
    again, same = login_sessions.resume(ctx, token, 30)
    assert isinstance(again, CurrentUser) and (again.id, same) == (user.id, sid)
    exam = exams.create_exam(ctx, again, "Kandidaat van de beheerder")  # services take the view as the actor
    assert scoring.get_scores(ctx, again, exam.id) == {}


def test_account_lists_hold_no_password_hash(ctx):
    accounts.ensure_admin(ctx)
    admin = accounts.log_in(ctx, "beheerder", "beheer-wachtwoord-123")
    anna = accounts.create_user(ctx, admin, "anna", "examinator", "anna-wachtwoord-1", "Anna")
    listed = accounts.list_users(ctx, admin) + cal.selectable_examiners(ctx, admin)
    assert all(isinstance(u, Account) and not hasattr(u, "password_hash") for u in [anna, *listed])
    assert [(u.username, u.can_log_in) for u in accounts.list_users(ctx, admin)] == [("anna", True), ("beheerder", True)]
    assert [u.username for u in cal.selectable_examiners(ctx, admin)] == ["anna"]
