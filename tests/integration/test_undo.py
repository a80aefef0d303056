"""The undo of a score, a correction and a new tag (#19.4): audited, and never over a newer change."""

import pytest

from ksf_review.adapters.storage.models import AuditEvent
from ksf_review.services import conversations as convs
from ksf_review.services import exams, scoring, tagging, undo
from ksf_review.services import suggestions as sugg
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import Conflict
from ksf_review.services.users import get_or_create_user
from tests.conftest import make_wav


@pytest.fixture
def conv(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=9).read_bytes())
    jobs.run_pending(ctx)
    return c


@pytest.fixture
def colleague(ctx):
    return get_or_create_user(ctx, "coord", "coordinator", "Coördinator")


def _undo_events(ctx) -> list[tuple[str, str, str]]:
    with ctx.db.unit_of_work() as s:
        return [(e.object_type, e.object_id, e.detail) for e in s.query(AuditEvent).filter(AuditEvent.action == "undo")]


def test_a_score_is_undone_to_what_it_was_and_audited(ctx, user, conv):
    first = scoring.set_item_score(ctx, user, conv.exam_id, "1.1a", "behaald")
    second = scoring.set_item_score(ctx, user, conv.exam_id, "1.1a", "nvt", "geen begroeting nodig", "x", expected_version=first.version)
    undo.undo(
        ctx,
        user,
        "score_set",
        {"exam_id": conv.exam_id, "item": "1.1a", "version": second.version, "before": {"status": "behaald", "reason": "", "comment": ""}},
        "score 1.1a",
    )
    back = scoring.get_scores(ctx, user, conv.exam_id)["1.1a"]
    assert (back.status, back.reason, back.comment) == ("behaald", "", "")
    assert _undo_events(ctx) == [("exam", str(conv.exam_id), "score 1.1a")]
    # a first score is undone to no score at all
    other = scoring.set_item_score(ctx, user, conv.exam_id, "1.1b", "behaald")
    undo.undo(ctx, user, "score_set", {"exam_id": conv.exam_id, "item": "1.1b", "version": other.version, "before": None}, "score 1.1b")
    assert scoring.get_scores(ctx, user, conv.exam_id)["1.1b"].status is None


def test_a_score_undo_never_overwrites_a_colleagues_newer_score(ctx, user, colleague, conv):
    mine = scoring.set_item_score(ctx, user, conv.exam_id, "1.1a", "behaald")
    scoring.set_item_score(ctx, colleague, conv.exam_id, "1.1a", "niet_behaald", expected_version=mine.version)
    with pytest.raises(Conflict, match="^Niet ongedaan gemaakt: deze toetsterm is intussen door iemand anders gescoord"):
        undo.undo(ctx, user, "score_set", {"exam_id": conv.exam_id, "item": "1.1a", "version": mine.version, "before": None}, "score 1.1a")
    assert scoring.get_scores(ctx, user, conv.exam_id)["1.1a"].status == "niet_behaald"
    assert _undo_events(ctx) == []


def test_a_correction_is_undone_and_a_newer_one_is_kept(ctx, user, colleague, conv):
    original = edits.segment_details(ctx, user, conv.id)[1]
    saved = edits.edit_segment(
        ctx, user, conv.id, 1, text="Ik heb een vraag over mijn jaarnota.", speaker="mevrouw", expected_version=original.version
    )
    undo.undo(
        ctx,
        user,
        "segment_edited",
        {"conv_id": conv.id, "index": 1, "version": saved.version, "before": {"text": original.text, "speaker": original.speaker}},
        "correctie regel 2",
    )
    back = edits.segment_details(ctx, user, conv.id)[1]
    assert (back.text, back.speaker) == (original.text, original.speaker)
    assert _undo_events(ctx) == [("conversation", str(conv.id), "correctie regel 2")]
    # someone corrected the line after my correction: my undo is refused
    mine = edits.edit_segment(ctx, user, conv.id, 1, text="Mijn versie.", expected_version=back.version)
    edits.edit_segment(ctx, colleague, conv.id, 1, text="Hun versie.", expected_version=mine.version)
    with pytest.raises(Conflict, match="^Niet ongedaan gemaakt: deze regel is intussen"):
        undo.undo(
            ctx,
            user,
            "segment_edited",
            {"conv_id": conv.id, "index": 1, "version": mine.version, "before": {"text": original.text}},
            "correctie regel 2",
        )
    assert edits.segment_details(ctx, user, conv.id)[1].text == "Hun versie."


def test_a_new_tag_changed_by_a_colleague_is_not_deleted_by_the_undo(ctx, user, colleague, conv):
    made = tagging.add_tags(ctx, user, conv.id, 1.0, 2.0, ["1.1a", "1.1b"], "+")
    tagging.update_tag(ctx, colleague, made[1].id, made[1].version, note="belangrijk")
    data = {"conv_id": conv.id, "ids": [t.id for t in made], "versions": [t.version for t in made]}
    with pytest.raises(Conflict, match="^Niet ongedaan gemaakt: deze markering is intussen"):
        undo.undo(ctx, user, "tags_added", data, "markering 1.1a, 1.1b")
    assert [t.note for t in tagging.list_tags(ctx, user, conv.id)] == ["", "belangrijk"]  # both kept


CHAT = """K: Ik ben echt boos, ik heb al drie keer gebeld!
M: Als ik u goed begrijp wilt u dat de storing vandaag wordt opgelost, klopt dat?
K: Ja."""


def test_an_accepted_suggestion_is_undone_to_an_open_suggestion(ctx, user, colleague):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_text_conversation(ctx, user, exam.id, CHAT, channel="chat")
    summary = next(p for p in sugg.proposals(ctx, user, c.id) if p.suggestion.item == "1.1b")
    tag = sugg.accept(ctx, user, c.id, summary)
    assert summary.key not in {p.key for p in sugg.proposals(ctx, user, c.id)}
    data = {"conv_id": c.id, "ids": [tag.id], "versions": [tag.version], "key": summary.key, "assessment_id": None}
    undo.undo(ctx, user, "suggestion_accepted", data, "suggestie 1.1b geaccepteerd")
    assert tagging.list_tags(ctx, user, c.id) == []
    assert summary.key in {p.key for p in sugg.proposals(ctx, user, c.id)}  # proposed again
    assert _undo_events(ctx) == [("conversation", str(c.id), "suggestie 1.1b geaccepteerd")]
    # a tag a colleague changed since stays, and so does the decision
    tag = sugg.accept(ctx, user, c.id, summary)
    tagging.update_tag(ctx, colleague, tag.id, tag.version, note="belangrijk")
    data |= {"ids": [tag.id], "versions": [tag.version]}
    with pytest.raises(Conflict, match="^Niet ongedaan gemaakt"):
        undo.undo(ctx, user, "suggestion_accepted", data, "suggestie 1.1b geaccepteerd")
    assert [t.note for t in tagging.list_tags(ctx, user, c.id)] == ["belangrijk"]
    assert summary.key not in {p.key for p in sugg.proposals(ctx, user, c.id)}


def test_the_undo_of_a_keyboard_tag_puts_keys_1_to_9_back(ctx, user, conv):
    """A keyboard tag put its toetsterm first on keys 1-9; its undo takes it off again, as stored."""
    from ksf_review.services.users import push_recent_item, recent_items

    push_recent_item(ctx, user, "1.3a", "+")
    before, after = push_recent_item(ctx, user, "1.2c", "-")
    assert (before, after) == ((("1.3a", "+"),), (("1.2c", "-"), ("1.3a", "+")))
    tag = tagging.add_tag(ctx, user, conv.id, 1.0, 2.0, "1.2c", "-")
    data = {"conv_id": conv.id, "ids": [tag.id], "versions": [tag.version], "recent": (before, after)}
    undo.undo(ctx, user, "tags_added", data, "markering 1.2c")
    assert tagging.list_tags(ctx, user, conv.id) == []
    assert recent_items(ctx, user) == (("1.3a", "+"),)


def test_the_undo_of_a_keyboard_tag_keeps_a_toetsterm_used_since(ctx, user, conv):
    """Another tab tagged with the keys after it: that list is newer than the undone tag's, and stays."""
    from ksf_review.services.users import push_recent_item, recent_items

    before, after = push_recent_item(ctx, user, "1.2c", "-")
    tag = tagging.add_tag(ctx, user, conv.id, 1.0, 2.0, "1.2c", "-")
    push_recent_item(ctx, user, "3.1", "+")  # elsewhere, meanwhile
    undo.undo(ctx, user, "tags_added", {"conv_id": conv.id, "ids": [tag.id], "versions": [tag.version], "recent": (before, after)}, "x")
    assert recent_items(ctx, user) == (("3.1", "+"), ("1.2c", "-"))
