"""Roles are enforced in the services: nobody gets what they should not, whatever the page shows."""

import pytest

from ksf_review.services import accounts, audit_log, exams, library, reports, retention, scoring, tagging
from ksf_review.services import conversations as convs
from ksf_review.services import transcript_edits as edits
from ksf_review.services.access import Forbidden
from ksf_review.services.context import ServiceError
from ksf_review.services.users import get_or_create_user


@pytest.fixture
def world(ctx):
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    exam = exams.create_exam(ctx, anna, "Kandidaat van Anna")
    conv = convs.add_text_conversation(ctx, anna, exam.id, "K: Mijn adres is Dorpsstraat 1\nM: Dank u", channel="chat")
    tag = tagging.add_tag(ctx, anna, conv.id, 0, 1, "3.1", "-")
    scoring.set_item_score(ctx, anna, exam.id, "3.1", "niet_behaald")
    return dict(anna=anna, bert=bert, coord=coord, exam=exam, conv=conv, tag=tag)


def test_examinator_sees_only_own_exams(ctx, world):
    bert, exam, conv = world["bert"], world["exam"], world["conv"]
    assert exams.list_exams(ctx, bert) == []
    calls = [
        lambda: exams.get_exam(ctx, bert, exam.id),
        lambda: convs.list_conversations(ctx, bert, exam.id),
        lambda: convs.get_conversation(ctx, bert, conv.id),
        lambda: convs.conversation_segments(ctx, bert, conv.id),
        lambda: convs.record_view(ctx, bert, conv.id),
        lambda: tagging.list_tags(ctx, bert, conv.id),
        lambda: tagging.list_exam_tags(ctx, bert, exam.id),
        lambda: tagging.add_tag(ctx, bert, conv.id, 0, 1, "1.1a", "+"),
        lambda: tagging.update_tag(ctx, bert, world["tag"].id, world["tag"].version, note="x"),
        lambda: tagging.delete_tag(ctx, bert, world["tag"].id),
        lambda: scoring.get_scores(ctx, bert, exam.id),
        lambda: scoring.set_item_score(ctx, bert, exam.id, "3.1", "behaald"),
        lambda: scoring.exam_verdict(ctx, bert, exam.id),
        lambda: scoring.evidence_by_item(ctx, bert, exam.id),
        lambda: reports.build_exam_report(ctx, bert, exam.id),
        lambda: convs.add_text_conversation(ctx, bert, exam.id, "K: x", channel="chat"),
        lambda: edits.rename_speaker(ctx, bert, conv.id, "klant", "X"),
    ]
    for call in calls:
        with pytest.raises(Forbidden):
            call()
    assert scoring.get_scores(ctx, world["anna"], exam.id)["3.1"].status == "niet_behaald"
    assert len(tagging.list_tags(ctx, world["anna"], conv.id)) == 1


def test_coordinator_reads_all_and_manages_library(ctx, world):
    coord = world["coord"]
    assert [e.id for e in exams.list_exams(ctx, coord)] == [world["exam"].id]
    assert tagging.list_tags(ctx, coord, world["conv"].id)
    with pytest.raises(ServiceError):
        library.promote(ctx, world["anna"], world["tag"].id)
    with pytest.raises(ServiceError):
        library.import_zip(ctx, world["bert"], b"")


def test_beheerder_only_functions(ctx, world):
    for who in (world["anna"], world["coord"]):
        for call in (
            lambda: accounts.list_users(ctx, who),
            lambda: audit_log.search(ctx, who),
            lambda: retention.preview(ctx, who),
            lambda: retention.set_retention_days(ctx, who, 10),
            lambda: accounts.create_user(ctx, who, "x", "examinator", "wachtwoord-123"),
        ):
            with pytest.raises(ServiceError):
                call()
