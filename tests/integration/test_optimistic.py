"""Two examiners saving one row at once (services/optimistic.py): the later save is refused with its
own Dutch message, stores nothing and audits nothing, whether the colleague saved before the form
was sent (a stale `expected_version`) or between this save's read and its write (the row's version
counter at the flush)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from ksf_review.adapters.storage.models import AuditEvent, ItemScore, Tag
from ksf_review.adapters.storage.models import Segment as SegmentRow
from ksf_review.services import conversations as convs
from ksf_review.services import exams, scoring, tagging
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import Conflict
from ksf_review.services.optimistic import check_version, versioned_unit
from tests.conftest import make_wav


@pytest.fixture
def colleague_saves_meanwhile(ctx):
    """`arm(Model, id)`: the next flush that writes that row is preceded by a colleague's save of
    it (another connection raises its version), after this use case read it."""
    armed: dict = {}

    def before_flush(session, _flush_context, _instances):
        target = armed.get("row")
        if target and any(isinstance(o, target[0]) and o.id == target[1] for o in session.dirty):
            model, row_id = armed.pop("row")
            with ctx.db.engine.begin() as conn:
                conn.execute(update(model).where(model.id == row_id).values(version=model.version + 1))

    event.listen(Session, "before_flush", before_flush)
    yield lambda model, row_id: armed.update(row=(model, row_id))
    event.remove(Session, "before_flush", before_flush)
    assert not armed, "the use case never wrote the row"


@pytest.fixture
def call(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=9, channels=1).read_bytes())
    jobs.run_pending(ctx)
    return exam, conv


def _audited(ctx, action: str) -> int:
    with ctx.db.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def _version(ctx, model, row_id: int) -> int:
    with ctx.db.unit_of_work() as s:
        return s.get(model, row_id).version


def test_score_saved_meanwhile_is_not_overwritten(ctx, user, call, colleague_saves_meanwhile):
    exam, _ = call
    first = scoring.set_item_score(ctx, user, exam.id, "3.1", "behaald", expected_version=0)
    with ctx.db.unit_of_work() as s:
        row_id = s.scalar(select(ItemScore.id).where(ItemScore.item_code == "3.1"))
    audited = _audited(ctx, "score")
    colleague_saves_meanwhile(ItemScore, row_id)
    with pytest.raises(Conflict, match="^Deze toetsterm is intussen"):
        scoring.set_item_score(ctx, user, exam.id, "3.1", "niet_behaald", expected_version=first.version)
    assert scoring.get_scores(ctx, user, exam.id)["3.1"].status == "behaald"
    assert _audited(ctx, "score") == audited


def test_tag_saved_meanwhile_is_not_overwritten(ctx, user, call, colleague_saves_meanwhile):
    _, conv = call
    tag = tagging.add_tag(ctx, user, conv.id, 0.5, 2.0, "1.1a", "+", "eerst")
    audited = _audited(ctx, "update")
    colleague_saves_meanwhile(Tag, tag.id)
    with pytest.raises(Conflict, match="^Deze markering is intussen"):
        tagging.update_tag(ctx, user, tag.id, tag.version, note="later")
    assert tagging.list_tags(ctx, user, conv.id)[0].note == "eerst"
    assert _audited(ctx, "update") == audited


def test_line_corrected_meanwhile_is_not_overwritten(ctx, user, call, colleague_saves_meanwhile):
    _, conv = call
    seen = edits.segment_details(ctx, user, conv.id)[1]
    colleague_saves_meanwhile(SegmentRow, seen.id)
    with pytest.raises(Conflict, match="^Deze regel is intussen"):
        edits.edit_segment(ctx, user, conv.id, 1, text="Mijn correctie.", expected_version=seen.version)
    assert edits.segment_details(ctx, user, conv.id)[1].text == seen.text
    assert _audited(ctx, "edit_segment") == 0


def test_speaker_swap_during_a_correction_is_refused(ctx, user, call, colleague_saves_meanwhile):
    _, conv = call
    assert edits.speakers_guessed(ctx, user, conv.id)
    first = edits.segment_details(ctx, user, conv.id)[0]
    colleague_saves_meanwhile(SegmentRow, first.id)
    with pytest.raises(Conflict, match="^Deze regel is intussen"):
        edits.swap_speakers(ctx, user, conv.id)
    assert [d.speaker for d in edits.segment_details(ctx, user, conv.id)][0] == first.speaker  # nothing swapped
    assert _audited(ctx, "swap_speakers") == 0
    assert _version(ctx, SegmentRow, first.id) == first.version + 1  # the colleague's save stands


def test_stale_delete_of_a_tag_keeps_it(ctx, user, call):
    _, conv = call
    tag = tagging.add_tag(ctx, user, conv.id, 0.5, 2.0, "1.1a", "+")
    tagging.update_tag(ctx, user, tag.id, tag.version, note="door een collega")
    with pytest.raises(Conflict, match="^Deze markering is intussen"):
        tagging.delete_tag(ctx, user, tag.id, expected_version=tag.version)
    assert [t.note for t in tagging.list_tags(ctx, user, conv.id)] == ["door een collega"]
    assert _audited(ctx, "delete") == 0


def test_check_version_and_versioned_unit(ctx):
    class Row:
        version = 2

    check_version(Row(), None, "niet gecontroleerd")
    check_version(Row(), 2, "dezelfde versie")
    with pytest.raises(Conflict, match="^Iemand anders was eerder.$"):
        check_version(Row(), 1, "Iemand anders was eerder.")
    from sqlalchemy.orm.exc import StaleDataError

    with pytest.raises(Conflict, match="^Tegelijk opgeslagen.$"):
        with versioned_unit(ctx, "Tegelijk opgeslagen.") as s:
            assert isinstance(s, Session)
            raise StaleDataError("UPDATE matched 0 rows")
