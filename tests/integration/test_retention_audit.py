from datetime import datetime, timedelta, timezone

import pytest

from ksf_review.services import accounts, audit_log, exams, retention, scoring, tagging
from ksf_review.services import conversations as convs
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import ServiceError
from tests.conftest import ALL_ITEMS, make_wav


@pytest.fixture
def admin(ctx, monkeypatch):
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    return accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")


def finalised_exam(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "Oud Examen")
    a = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=9).read_bytes())
    jobs.run_pending(ctx)
    convs.add_text_conversation(ctx, user, exam.id, "K: a\nM: b", channel="chat")
    convs.add_text_conversation(ctx, user, exam.id, "K: c\nM: d", channel="e-mail")
    tagging.add_tag(ctx, user, a.id, 0.5, 2.5, "1.1f", "+", excerpt="Goedemiddag")
    for code in ALL_ITEMS:
        scoring.set_item_score(ctx, user, exam.id, code, "behaald")
    scoring.finalise_exam(ctx, user, exam.id)
    return exam, a


def test_retention_preview_then_delete_keeps_scores(ctx, user, admin, tmp_path):
    exam, audio_conv = finalised_exam(ctx, user, tmp_path)
    assert retention.preview(ctx, admin) == []  # not expired yet
    later = datetime.now(timezone.utc) + timedelta(days=400)
    items = retention.preview(ctx, admin, now=later)
    assert len(items) == 3 and any(i.has_audio for i in items)
    path = convs.get_conversation(ctx, user, audio_conv.id).audio_path
    assert path.exists()
    assert retention.run_retention(ctx, admin, now=later) == 3
    assert not path.exists()
    assert convs.conversation_segments(ctx, user, audio_conv.id) == []
    assert convs.get_conversation(ctx, user, audio_conv.id).audio_path is None
    v = exams.get_exam(ctx, user, exam.id)
    assert v.verdict_status == "geslaagd" and v.verdict_total == 23
    assert scoring.exam_verdict(ctx, user, exam.id).total == 23
    tags = tagging.list_tags(ctx, user, audio_conv.id)
    assert tags and tags[0].excerpt == ""
    assert retention.preview(ctx, admin, now=later) == []
    log = audit_log.search(ctx, admin, text="", object_type="conversation")
    assert sum(r.action == "retention_delete" for r in log) == 3


def test_retention_setting_and_roles(ctx, user, admin):
    with pytest.raises(ServiceError, match="beheerder"):
        retention.set_retention_days(ctx, user, 30)
    with pytest.raises(ServiceError):
        retention.set_retention_days(ctx, admin, 0)
    retention.set_retention_days(ctx, admin, 30)
    assert retention.get_retention_days(ctx) == 30


def test_audit_search_and_export(ctx, user, admin):
    exams.create_exam(ctx, user, "Zoekbaar")
    rows = audit_log.search(ctx, admin, text="Zoekbaar")
    assert len(rows) == 1 and rows[0].action == "create" and rows[0].username == "examinator"
    data = audit_log.export_csv(ctx, admin, rows)
    assert data.startswith(b"\xef\xbb\xbf") and b"Zoekbaar" in data
    with pytest.raises(ServiceError):
        audit_log.search(ctx, user)


def test_retention_deletes_every_file_derived_from_a_recording(any_ctx, tmp_path, monkeypatch):
    """The recording, its playback copy and its waveform peaks all go (the peaks file was left)."""
    from ksf_review.adapters import playback_copy
    from ksf_review.adapters.waveform import peaks_for
    from ksf_review.services.users import ensure_default_user

    ctx = any_ctx
    user = ensure_default_user(ctx)
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
    monkeypatch.setattr(playback_copy, "MIN_BYTES", 1)  # every WAV gets a copy, without a 20 MB file
    exam, audio_conv = finalised_exam(ctx, user, tmp_path)
    view = convs.get_conversation(ctx, user, audio_conv.id)
    peaks_for(view.audio_path, view.audio_sha256, ctx.settings.peaks_dir)  # what Beoordelen caches
    derived = [view.audio_path, playback_copy.copy_path(view.audio_path), *ctx.settings.peaks_dir.glob(f"{view.audio_sha256}.*")]
    assert len(derived) == 3 and all(p.exists() for p in derived)
    later = datetime.now(timezone.utc) + timedelta(days=400)
    assert retention.run_retention(ctx, admin, now=later) == 3
    assert [p for p in derived if p.exists()] == []
    run = [r for r in audit_log.search(ctx, admin, text="") if r.action == "retention_run"]
    assert len(run) == 1 and "handmatig" in run[0].detail
    assert "3 gesprek(ken), 1 opname(s), 3 bestand(en)" in run[0].detail


def test_retention_keeps_a_recording_another_unexpired_exam_uses(ctx, user, admin, tmp_path):
    """Two exams hold the same recording; only the older one has expired: the file stays."""
    from ksf_review.adapters.storage.models import Exam

    old, audio_conv = finalised_exam(ctx, user, tmp_path)
    fresh, fresh_conv = finalised_exam(ctx, user, tmp_path)  # same recording, finalised today
    with ctx.db.unit_of_work() as s:
        s.get(Exam, old.id).finalised_at = datetime.now(timezone.utc) - timedelta(days=400)
    path = convs.get_conversation(ctx, user, audio_conv.id).audio_path
    assert retention.run_retention(ctx, admin) == 3
    assert path.exists() and convs.get_conversation(ctx, user, fresh_conv.id).audio_path == path
    assert convs.conversation_segments(ctx, user, fresh_conv.id)


def test_scheduled_retention_runs_once_a_day_without_actor(any_ctx, tmp_path):
    from ksf_review.services.users import ensure_default_user

    ctx = any_ctx
    user = ensure_default_user(ctx)
    _, audio_conv = finalised_exam(ctx, user, tmp_path)
    path = convs.get_conversation(ctx, user, audio_conv.id).audio_path
    later = datetime.now(timezone.utc) + timedelta(days=400)
    first = retention.run_scheduled_retention(ctx, now=later)
    assert first is not None and first.conversations == 3 and first.recordings == 1
    assert not path.exists()
    assert retention.run_scheduled_retention(ctx, now=later + timedelta(hours=23)) is None  # another process
    again = retention.run_scheduled_retention(ctx, now=later + timedelta(days=1, minutes=1))
    assert again is not None and again.conversations == 0
    with ctx.db.unit_of_work() as s:
        from sqlalchemy import select

        from ksf_review.adapters.storage.models import AuditEvent

        runs = s.scalars(select(AuditEvent).where(AuditEvent.action == "retention_run").order_by(AuditEvent.id)).all()
        assert [(r.username, r.user_id) for r in runs] == [("systeem", None), ("systeem", None)]
        assert "automatisch" in runs[0].detail and "3 gesprek(ken)" in runs[0].detail
        assert "0 gesprek(ken)" in runs[1].detail


def test_worker_runs_the_daily_retention_when_idle(ctx, user, tmp_path, monkeypatch):
    from ksf_review.services import retention
    from ksf_review.services import worker as worker_mod

    calls = []
    monkeypatch.setattr(retention, "run_scheduled_retention", lambda c: calls.append(c))
    w = worker_mod.TranscriptionWorker(ctx, poll_seconds=0.01)
    w.run_periodic()
    w.run_periodic()  # within the hour: not asked again
    assert calls == [ctx]
