"""Read access is not write access: who may change a conversation, transcript, job or exam.

On SQLite and PostgreSQL (`any_ctx`): the checks run in the services, whatever a page shows.
"""

import pytest

from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services import exams, suggestions, tagging
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.access import Forbidden
from ksf_review.services.users import get_or_create_user
from tests.conftest import make_wav


@pytest.fixture
def world(any_ctx, tmp_path):
    ctx = any_ctx
    owner = get_or_create_user(ctx, "eva", "examinator", "Eva")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    exam = exams.create_exam(ctx, owner, "Kandidaat van Eva")
    audio = convs.add_audio_conversation(ctx, owner, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=9).read_bytes())
    jobs.run_pending(ctx)
    session = cal.create_session(ctx, coord, "Blinde sessie", [anna.id, bert.id], exam_id=exam.id)
    return dict(ctx=ctx, owner=owner, anna=anna, bert=bert, coord=coord, exam=exam, audio=audio, session=session)


def test_calibration_participant_reads_but_does_not_change_the_transcript(world):
    ctx, anna, bert, conv = world["ctx"], world["anna"], world["bert"], world["audio"]
    before = convs.conversation_segments(ctx, anna, conv.id)  # reading is allowed
    assert edits.segment_details(ctx, anna, conv.id)
    with pytest.raises(Forbidden, match="niet wijzigen"):
        edits.rename_speaker(ctx, anna, conv.id, "klant", "Anna was hier")
    with pytest.raises(Forbidden, match="niet wijzigen"):
        edits.edit_segment(ctx, anna, conv.id, 1, text="Door een deelnemer veranderd.")
    with pytest.raises(Forbidden):
        tagging.add_tag(ctx, anna, conv.id, 0, 1, "1.1a", "+")  # an exam tag, not her own blind tag
    # nothing changed, for the other participant nor for the exam's own examinator
    for who in (bert, world["owner"]):
        assert convs.conversation_segments(ctx, who, conv.id) == before
    assert convs.get_conversation(ctx, world["owner"], conv.id).speaker_names == {}
    # the participant's own blind tag is still hers to write
    aid = cal.my_assessment(ctx, anna, world["session"].id)
    assert tagging.add_tag(ctx, anna, conv.id, 0, 1, "1.1a", "+", assessment_id=aid).id
    # the exam's examinator and the coördinator still correct it
    edits.rename_speaker(ctx, world["owner"], conv.id, "klant", "mevrouw Jansen")
    edits.edit_segment(ctx, world["coord"], conv.id, 1, text="Gecorrigeerd door de coördinator.")


def test_outsider_cannot_record_a_suggestion_decision(world):
    ctx = world["ctx"]
    otto = get_or_create_user(ctx, "otto", "examinator", "Otto")
    props = suggestions.proposals(ctx, world["owner"], world["audio"].id)
    assert props
    with pytest.raises(Forbidden):
        suggestions.reject(ctx, otto, world["audio"].id, props[0])


def test_only_who_may_change_the_conversation_cancels_or_retries_its_job(world, tmp_path):
    ctx, owner = world["ctx"], world["owner"]
    conv = convs.add_audio_conversation(
        ctx, owner, world["exam"].id, "b.wav", make_wav(tmp_path / "b.wav", seconds=5, freq=330).read_bytes()
    )
    job_id = convs.get_conversation(ctx, owner, conv.id).job_id
    otto = get_or_create_user(ctx, "otto", "examinator", "Otto")
    for who in (otto, world["anna"]):  # an outsider, and a calibration participant who may only read
        with pytest.raises(Forbidden):
            jobs.cancel_job(ctx, who, job_id)
    assert convs.get_conversation(ctx, owner, conv.id).job_status == "queued"
    jobs.cancel_job(ctx, owner, job_id)
    for who in (otto, world["anna"]):
        with pytest.raises(Forbidden):
            jobs.retry_job(ctx, who, job_id)
    assert convs.get_conversation(ctx, owner, conv.id).job_status == "cancelled"
    jobs.retry_job(ctx, world["coord"], job_id)
    assert convs.get_conversation(ctx, owner, conv.id).job_status == "queued"


def test_only_a_coordinator_or_beheerder_deletes_the_shared_demo_exams(any_ctx):
    from ksf_review.services import demo
    from ksf_review.services.context import ServiceError

    ctx = any_ctx
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    beheerder = get_or_create_user(ctx, "beh", "beheerder", "Beheerder")
    demo_exam = exams.create_exam(ctx, coord, "Demokandidaat (fictief)", is_demo=True)
    assert [e.id for e in exams.list_exams(ctx, anna)] == [demo_exam.id]  # shared with every examinator
    with pytest.raises(ServiceError, match="coördinator of beheerder"):
        demo.delete_demo(ctx, anna)
    assert [e.id for e in exams.list_exams(ctx, anna)] == [demo_exam.id]
    assert demo.delete_demo(ctx, coord) == 1
    exams.create_exam(ctx, coord, "Nog een demo", is_demo=True)
    assert demo.delete_demo(ctx, beheerder) == 1


def test_blind_calibration_leaves_no_scores_or_tags_in_the_audit_log_until_the_reveal(world):
    from ksf_review.adapters.rubric_files import default_rubric
    from ksf_review.services import audit_log, scoring

    ctx, conv, sid = world["ctx"], world["audio"], world["session"].id
    beheerder = get_or_create_user(ctx, "beh", "beheerder", "Beheerder")
    codes = [it.code for it in default_rubric().items]
    for who, verdict in ((world["anna"], "niet_behaald"), (world["bert"], "behaald")):
        aid = cal.my_assessment(ctx, who, sid)
        tagging.add_tag(ctx, who, conv.id, 0.5, 2.5, "3.1", "-", "geheime notitie", assessment_id=aid)
        props = suggestions.proposals(ctx, who, conv.id, assessment_id=aid)
        suggestions.accept(ctx, who, conv.id, props[0], assessment_id=aid)
        suggestions.reject(ctx, who, conv.id, props[1], assessment_id=aid)
        for code in codes:
            cal.set_score(ctx, who, aid, code, verdict)
        cal.submit(ctx, who, aid)

    def blind_rows():
        return [r for r in audit_log.search(ctx, beheerder) if r.username in ("anna", "bert")]

    rows = blind_rows()
    assert {r.action for r in rows} >= {"score", "create", "suggestion_accepted", "suggestion_rejected", "submit"}
    for r in rows:  # that something was saved is on record, not what
        assert "behaald" not in r.detail and "=" not in r.detail and "|" not in r.detail, r
        assert "3.1 -" not in r.detail and "geheime" not in r.detail, r
    assert audit_log.search(ctx, beheerder, text="niet_behaald") == []
    assert [r for r in audit_log.search(ctx, beheerder, text="3.1") if r.username in ("anna", "bert")] == [
        r for r in rows if r.action == "score" and r.detail.startswith("3.1:")
    ]
    assert scoring.exam_history(ctx, world["owner"], world["exam"].id) == []
    # after the reveal the log holds each participant's submitted scores
    cal.reveal(ctx, world["coord"], sid)
    revealed = {r.detail.split(":")[0]: r.detail for r in audit_log.search(ctx, beheerder) if r.action == "reveal_scores"}
    assert set(revealed) == {"anna", "bert"}
    assert "3.1=niet_behaald" in revealed["anna"] and "3.1=behaald" in revealed["bert"]
    assert "2 markering(en)" in revealed["anna"]


def test_exam_history_only_for_who_may_read_the_exam(world):
    from ksf_review.services import scoring

    with pytest.raises(Forbidden):
        scoring.exam_history(world["ctx"], world["anna"], world["exam"].id)
