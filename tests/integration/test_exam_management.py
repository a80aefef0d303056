"""Managing exams (#19.9): rename and delete a conversation, rename an exam, give an exam to
another examinator — each in the audit log in Dutch; on SQLite and PostgreSQL (`any_ctx`)."""

import pytest

from ksf_review.adapters.storage.models import AudioAsset, AuditEvent, Tag, TranscriptionJob
from ksf_review.services import accounts, audit_log, exams, scoring, tagging
from ksf_review.services import conversations as convs
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.access import Forbidden
from ksf_review.services.context import NotFound, ServiceError
from ksf_review.services.users import get_or_create_user
from tests.conftest import ALL_ITEMS, make_wav


@pytest.fixture
def world(any_ctx, tmp_path, monkeypatch):
    ctx = any_ctx
    eva = get_or_create_user(ctx, "eva", "examinator", "Eva")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
    exam = exams.create_exam(ctx, eva, "Kandidaat Een")
    audio = convs.add_audio_conversation(ctx, eva, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=9).read_bytes(), title="Storing")
    jobs.run_pending(ctx)
    chat = convs.add_text_conversation(ctx, eva, exam.id, "K: a\nM: b", channel="chat", title="Chat")
    mail = convs.add_text_conversation(ctx, eva, exam.id, "K: c\nM: d", channel="e-mail", title="Mail")
    return dict(ctx=ctx, eva=eva, anna=anna, coord=coord, admin=admin, exam=exam, audio=audio, chat=chat, mail=mail)


def _log(ctx, admin):
    return audit_log.search(ctx, admin)


def test_rename_conversation_is_logged_and_shown(world):
    ctx, eva = world["ctx"], world["eva"]
    view = convs.rename_conversation(ctx, eva, world["chat"].id, "  Adres <b>wijziging</b>  ")
    assert view.title == "Adres <b>wijziging</b>"
    assert convs.get_conversation(ctx, eva, world["chat"].id).title == "Adres <b>wijziging</b>"
    row = _log(ctx, world["admin"])[0]
    assert (row.action_label, row.detail) == ("hernoemd", "'Chat' → 'Adres <b>wijziging</b>'")
    with pytest.raises(ServiceError, match="titel"):
        convs.rename_conversation(ctx, eva, world["chat"].id, "   ")
    with pytest.raises(Forbidden):
        convs.rename_conversation(ctx, world["anna"], world["chat"].id, "van Anna")


def test_delete_conversation_removes_its_data_but_keeps_the_audit_trail(world):
    ctx, eva, audio = world["ctx"], world["eva"], world["audio"]
    tagging.add_tag(ctx, eva, audio.id, 0.5, 2.5, "1.1f", "+")
    with ctx.db.unit_of_work() as s:
        stored = s.get(AudioAsset, s.get(convs.Conversation, audio.id).audio_id).stored_path
    assert ctx.audio.local_path(stored).exists()
    with pytest.raises(Forbidden):
        convs.delete_conversation(ctx, world["anna"], audio.id)
    assert convs.delete_conversation(ctx, eva, audio.id) == "Storing"
    assert [c.id for c in convs.list_conversations(ctx, eva, world["exam"].id)] == [world["chat"].id, world["mail"].id]
    with pytest.raises(NotFound):
        convs.get_conversation(ctx, eva, audio.id)
    with ctx.db.unit_of_work() as s:
        assert s.query(Tag).filter(Tag.conversation_id == audio.id).count() == 0
        assert s.query(TranscriptionJob).filter(TranscriptionJob.conversation_id == audio.id).count() == 0
        assert s.query(AudioAsset).count() == 0
        # the earlier events about the conversation are still there
        assert s.query(AuditEvent).filter(AuditEvent.object_type == "conversation", AuditEvent.object_id == str(audio.id)).count() >= 2
    assert not ctx.audio.local_path(stored).exists()
    row = _log(ctx, world["admin"])[0]
    assert row.action_label == "verwijderd" and "(verwijderd)" in row.object_label
    assert "'Storing'" in row.detail and "1 markering" in row.detail


def test_finalised_exam_refuses_rename_and_delete_until_reopened(world):
    ctx, eva, exam = world["ctx"], world["eva"], world["exam"]
    for code in ALL_ITEMS:
        scoring.set_item_score(ctx, eva, exam.id, code, "behaald")
    scoring.finalise_exam(ctx, eva, exam.id)
    with pytest.raises(ServiceError, match="afgerond"):
        convs.delete_conversation(ctx, eva, world["mail"].id)
    with pytest.raises(ServiceError, match="afgerond"):
        convs.rename_conversation(ctx, eva, world["mail"].id, "Nieuw")
    with pytest.raises(ServiceError, match="afgerond"):
        exams.rename_exam(ctx, eva, exam.id, "Nieuw")
    assert len(convs.list_conversations(ctx, eva, exam.id)) == 3
    scoring.reopen_exam(ctx, world["coord"], exam.id, "gesprek hoort bij ander examen")
    convs.delete_conversation(ctx, eva, world["mail"].id)
    assert len(convs.list_conversations(ctx, eva, exam.id)) == 2


def test_conversation_in_a_calibration_session_is_not_deleted(world):
    from ksf_review.services import calibration as cal

    ctx = world["ctx"]
    cal.create_session(ctx, world["coord"], "Sessie", [world["anna"].id, world["eva"].id], conversation_ids=[world["chat"].id])
    with pytest.raises(ServiceError, match="kalibratiesessie 'Sessie'"):
        convs.delete_conversation(ctx, world["eva"], world["chat"].id)


def test_rename_exam_renames_the_candidate(world):
    ctx, eva, exam = world["ctx"], world["eva"], world["exam"]
    assert exams.rename_exam(ctx, eva, exam.id, "Kandidaat Twee").candidate == "Kandidaat Twee"
    assert exams.get_exam(ctx, eva, exam.id).candidate == "Kandidaat Twee"
    row = _log(ctx, world["admin"])[0]
    assert row.action_label == "hernoemd" and row.detail == "kandidaat 'Kandidaat Een' → 'Kandidaat Twee'"
    assert row.object_label == "examen 'Kandidaat Twee'"
    with pytest.raises(ServiceError):
        exams.rename_exam(ctx, eva, exam.id, "")
    with pytest.raises(Forbidden):
        exams.rename_exam(ctx, world["anna"], exam.id, "Door Anna")


def test_reassign_exam_by_coordinator_only(world):
    ctx, eva, anna, exam = world["ctx"], world["eva"], world["anna"], world["exam"]
    with pytest.raises(ServiceError, match="coördinator"):
        exams.reassign_exam(ctx, eva, exam.id, anna.id)
    assert (anna.id, "Anna") in exams.reassignable_examiners(ctx, world["coord"])
    view = exams.reassign_exam(ctx, world["coord"], exam.id, anna.id)
    assert (view.examiner_id, view.examiner) == (anna.id, "Anna")
    assert [e.id for e in exams.list_exams(ctx, anna)] == [exam.id]  # now Anna's
    assert exams.list_exams(ctx, eva) == []
    row = _log(ctx, world["admin"])[0]
    assert (row.action_label, row.detail) == ("andere examinator toegewezen", "examinator 'Eva' → 'Anna'")
    with pytest.raises(ServiceError, match="actieve examinator"):
        exams.reassign_exam(ctx, world["coord"], exam.id, world["admin"].id)  # a beheerder does not examine
