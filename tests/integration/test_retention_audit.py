from datetime import datetime, timedelta, timezone

import pytest

from ksf_review.services import accounts, audit_log, exams, retention, scoring, tagging
from ksf_review.services import conversations as convs
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import ServiceError
from tests.conftest import make_wav

ALL = ["1.1a", "1.1b", "1.1c", "1.1d", "1.1e", "1.1f", "1.1g", "1.2a", "1.2b", "1.2c", "1.2d",
       "1.3a", "1.3b", "1.3c", "1.3d", "2", "3.1", "3.2"]


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
    for code in ALL:
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
