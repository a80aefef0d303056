"""The review loop through the services, on SQLite and on a real PostgreSQL server."""

import pytest
from sqlalchemy import func, inspect, select

from ksf_review.adapters.storage.models import AudioAsset, AuditEvent, Base, Conversation, TranscriptionJob
from ksf_review.domain.verdict import VerdictStatus
from ksf_review.services import conversations as convs
from ksf_review.services import exams, scoring, tagging
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import Conflict, ServiceError
from ksf_review.services.users import ensure_default_user
from tests.conftest import ALL_ITEMS, make_wav


def test_schema_has_every_noun(any_ctx):
    names = set(inspect(any_ctx.db.engine).get_table_names())
    assert set(Base.metadata.tables) <= names
    for noun in [
        "users",
        "candidates",
        "exams",
        "conversations",
        "audio_assets",
        "transcripts",
        "segments",
        "transcription_jobs",
        "assessments",
        "item_scores",
        "tags",
        "calibration_sessions",
        "library_clips",
        "audit_events",
        "alembic_version",
    ]:
        assert noun in names


def test_full_loop(any_ctx, tmp_path, engine):
    ctx = any_ctx
    user = ensure_default_user(ctx)
    exam = exams.create_exam(ctx, user, "Kandidaat Test")
    wav = make_wav(tmp_path / "gesprek.wav")
    c1 = convs.add_audio_conversation(ctx, user, exam.id, "gesprek.wav", wav.read_bytes())
    assert c1.has_audio and c1.channels == 2 and c1.job_status == "queued"
    assert abs(c1.duration - 2.0) < 0.05
    assert jobs.run_pending(ctx) == 1
    segs = convs.conversation_segments(ctx, user, c1.id)
    assert [s.speaker for s in segs] == ["medewerker", "klant", "medewerker"]
    assert convs.get_conversation(ctx, user, c1.id).job_status == "done"

    c2 = convs.add_text_conversation(ctx, user, exam.id, "K: Hallo\nM: Goedemiddag, wat kan ik doen?", channel="chat")
    c3 = convs.add_text_conversation(ctx, user, exam.id, "K: Beste,\nik wil inzage.\nM: Beste klant,", channel="e-mail")
    assert [s.text for s in convs.conversation_segments(ctx, user, c3.id)] == ["Beste,\nik wil inzage.", "Beste klant,"]

    tag = tagging.add_tag(ctx, user, c1.id, 0.5, 1.9, "1.1b", "+", "samenvatting")
    tagging.add_tag(ctx, user, c2.id, 1, 2, "1.2a", "+")
    assert [t.item for t in tagging.list_exam_tags(ctx, user, exam.id)] == ["1.1b", "1.2a"]
    updated = tagging.update_tag(ctx, user, tag.id, tag.version, note="goede samenvatting")
    assert updated.version == tag.version + 1
    with pytest.raises(Conflict):
        tagging.update_tag(ctx, user, tag.id, tag.version, note="oude versie")  # stale
    assert tagging.list_tags(ctx, user, c1.id)[0].note == "goede samenvatting"

    ev = scoring.evidence_by_item(ctx, user, exam.id)
    assert ev["1.1b"][0].conversation_title == "gesprek"

    for code in ALL_ITEMS:
        scoring.set_item_score(ctx, user, exam.id, code, "behaald")
    assert scoring.exam_verdict(ctx, user, exam.id).status is VerdictStatus.GESLAAGD
    v = scoring.finalise_exam(ctx, user, exam.id)
    assert v.status is VerdictStatus.GESLAAGD
    locked = exams.get_exam(ctx, user, exam.id)
    assert locked.finalised and locked.verdict_total == 23
    with pytest.raises(ServiceError, match="vergrendeld"):
        scoring.set_item_score(ctx, user, exam.id, "1.1a", "niet_behaald")
    with pytest.raises(ServiceError, match="vergrendeld"):
        tagging.add_tag(ctx, user, c1.id, 0, 1, "1.1a", "+")
    with pytest.raises(ServiceError, match="vergrendeld"):
        convs.add_text_conversation(ctx, user, exam.id, "K: nog een", channel="chat")
    with ctx.db.unit_of_work() as s:
        actions = set(s.scalars(select(AuditEvent.action)))
    assert {"create", "upload", "score", "finalise", "transcribe"} <= actions


def test_cannot_finalise_incomplete(ctx, user):
    exam = exams.create_exam(ctx, user, "K")
    for code in ALL_ITEMS:
        scoring.set_item_score(ctx, user, exam.id, code, "behaald")
    with pytest.raises(ServiceError, match="minimaal 3"):
        scoring.finalise_exam(ctx, user, exam.id)
    assert not exams.get_exam(ctx, user, exam.id).finalised


def test_score_conflict_between_two_sessions(ctx, user):
    exam = exams.create_exam(ctx, user, "K")
    first = scoring.set_item_score(ctx, user, exam.id, "3.1", "behaald", expected_version=0)
    scoring.set_item_score(ctx, user, exam.id, "3.1", "niet_behaald", expected_version=first.version)
    with pytest.raises(Conflict, match="niets overschreven"):
        scoring.set_item_score(ctx, user, exam.id, "3.1", "behaald", expected_version=first.version)
    assert scoring.get_scores(ctx, user, exam.id)["3.1"].status == "niet_behaald"


def test_duplicate_upload_is_recognised_and_changes_nothing(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    data = make_wav(tmp_path / "a.wav").read_bytes()
    first = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", data, title="Eerste")
    with pytest.raises(convs.DuplicateUpload, match="al toegevoegd .* 'Eerste'"):
        convs.add_audio_conversation(ctx, user, exam.id, "kopie.wav", data)
    assert len(convs.list_conversations(ctx, user, exam.id)) == 1
    # the same audio in another exam reuses the stored file and the cached transcript
    jobs.run_pending(ctx)
    other = exams.create_exam(ctx, user, "K2")
    c = convs.add_audio_conversation(ctx, user, other.id, "a.wav", data)
    assert c.job_status == "done"
    assert len(convs.conversation_segments(ctx, user, c.id)) == 3
    with ctx.db.unit_of_work() as s:
        assert s.scalar(select(func.count(AudioAsset.id))) == 1
    assert first.id != c.id


@pytest.mark.parametrize(
    "name,data,needle",
    [
        ("leeg.wav", b"", "leeg"),
        ("tekst.mp3", b"dit is geen audio maar tekst " * 50, "kan niet als audio"),
        ("kapot.wav", b"RIFF\x24\x00\x00\x00WAVEfmt ", "kan niet als audio"),
    ],
)
def test_bad_audio_is_refused_and_nothing_stored(ctx, user, name, data, needle):
    exam = exams.create_exam(ctx, user, "K")
    with pytest.raises(ServiceError, match=needle):
        convs.add_audio_conversation(ctx, user, exam.id, name, data)
    with ctx.db.unit_of_work() as s:
        assert s.scalar(select(func.count(Conversation.id))) == 0
        assert s.scalar(select(func.count(AudioAsset.id))) == 0
    assert not any(ctx.audio.root.rglob("*.*"))


def test_upload_size_limit(ctx, user, monkeypatch, tmp_path):
    import dataclasses

    ctx.settings = dataclasses.replace(ctx.settings, max_upload_mb=0)
    exam = exams.create_exam(ctx, user, "K")
    with pytest.raises(ServiceError, match="te groot"):
        convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav").read_bytes())


def test_text_without_turns_is_refused(ctx, user):
    exam = exams.create_exam(ctx, user, "K")
    with pytest.raises(ServiceError, match="Geen gespreksbeurten"):
        convs.add_text_conversation(ctx, user, exam.id, "zomaar wat tekst\nzonder sprekers", channel="chat")
    with pytest.raises(ServiceError, match="UTF-8"):
        convs.add_text_conversation(ctx, user, exam.id, b"K: \xff\xfe caf\xe9", channel="chat")
    assert convs.list_conversations(ctx, user, exam.id) == []


def test_tag_validation(ctx, user):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_text_conversation(ctx, user, exam.id, "K: a\nM: b", channel="chat")
    with pytest.raises(ServiceError, match="Onbekende toetsterm"):
        tagging.add_tag(ctx, user, c.id, 0, 1, "9.9", "+")
    with pytest.raises(ServiceError, match="buiten"):
        tagging.add_tag(ctx, user, c.id, 0, 10, "1.1a", "+")
    with pytest.raises(ServiceError, match="Ongeldige passage"):
        tagging.add_tag(ctx, user, c.id, 2, 1, "1.1a", "+")


def test_failed_job_shows_dutch_error_and_retry(ctx, user, tmp_path, engine):
    from ksf_review.adapters.audio import AudioError

    engine.error = AudioError("'x.wav' kan niet gedecodeerd worden")
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "x.wav", make_wav(tmp_path / "x.wav").read_bytes())
    jobs.run_pending(ctx)
    v = convs.get_conversation(ctx, user, c.id)
    assert v.job_status == "failed" and "gedecodeerd" in v.job_error
    assert convs.conversation_segments(ctx, user, c.id) == []
    engine.error = None
    jobs.retry_job(ctx, user, v.job_id)
    jobs.run_pending(ctx)
    assert convs.get_conversation(ctx, user, c.id).job_status == "done"


def test_interrupted_job_is_resumed(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "x.wav", make_wav(tmp_path / "x.wav").read_bytes())
    job_id = jobs.claim_next(ctx)  # the process "dies" here, job left running
    assert convs.get_conversation(ctx, user, c.id).job_status == "running"
    assert jobs.resume_interrupted(ctx) == 1
    assert jobs.run_pending(ctx) == 1
    with ctx.db.unit_of_work() as s:
        assert s.get(TranscriptionJob, job_id).status == "done"


def test_cancel_job(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "x.wav", make_wav(tmp_path / "x.wav").read_bytes())
    jobs.cancel_job(ctx, user, c.job_id)
    assert jobs.run_pending(ctx) == 0
    assert convs.get_conversation(ctx, user, c.id).job_status == "cancelled"


def test_reopen_only_by_coordinator_with_reason(ctx, user):
    from ksf_review.services.users import get_or_create_user

    exam = exams.create_exam(ctx, user, "K")
    for i in range(3):
        convs.add_text_conversation(ctx, user, exam.id, f"K: vraag {i}\nM: antwoord", channel="chat")
    for code in ALL_ITEMS:
        scoring.set_item_score(ctx, user, exam.id, code, "behaald")
    scoring.finalise_exam(ctx, user, exam.id)
    with pytest.raises(ServiceError, match="coördinator"):
        scoring.reopen_exam(ctx, user, exam.id, "herbeoordeling na bezwaar")
    coord = get_or_create_user(ctx, "coord", "coordinator")
    with pytest.raises(ServiceError, match="reden"):
        scoring.reopen_exam(ctx, coord, exam.id, "")
    scoring.reopen_exam(ctx, coord, exam.id, "herbeoordeling na bezwaar")
    e = exams.get_exam(ctx, user, exam.id)
    assert e.status == "in_review" and e.verdict_status is None
    scoring.set_item_score(ctx, user, exam.id, "1.1a", "niet_behaald")  # editable again
    history = scoring.exam_history(ctx, user, exam.id)
    assert "afgerond door examinator" in history[0] and "heropend door coord" in history[1]
    assert "herbeoordeling na bezwaar" in history[1]
