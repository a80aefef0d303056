import pytest

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import ServiceError
from tests.conftest import make_wav


@pytest.fixture
def conv(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=9).read_bytes())
    jobs.run_pending(ctx)
    return c


def test_edit_keeps_timing_and_original(ctx, user, conv):
    before = convs.conversation_segments(ctx, user, conv.id)
    d = edits.edit_segment(ctx, user, conv.id, 1, text="Ik heb een vraag over mijn jaarnota.")
    after = convs.conversation_segments(ctx, user, conv.id)
    assert after[1].text == "Ik heb een vraag over mijn jaarnota."
    assert (after[1].start, after[1].end) == (before[1].start, before[1].end)
    assert d.original_text == before[1].text and d.edited_by
    detail = edits.segment_details(ctx, user, conv.id)[1]
    assert detail.original_text == "Ik heb een vraag over mijn jaarafrekening." and detail.edited_at
    with pytest.raises(ServiceError, match="leeg"):
        edits.edit_segment(ctx, user, conv.id, 1, text="   ")


def test_rename_speaker_everywhere(ctx, user, conv):
    edits.rename_speaker(ctx, user, conv.id, "klant", "mevrouw Jansen")
    speakers = [s.speaker for s in convs.conversation_segments(ctx, user, conv.id)]
    assert speakers == ["medewerker", "mevrouw Jansen", "medewerker"]
    edits.rename_speaker(ctx, user, conv.id, "klant", "klant")
    assert convs.conversation_segments(ctx, user, conv.id)[1].speaker == "klant"


def test_change_speaker_of_one_segment(ctx, user, conv):
    edits.edit_segment(ctx, user, conv.id, 0, speaker="klant")
    assert convs.conversation_segments(ctx, user, conv.id)[0].speaker == "klant"
    assert edits.segment_details(ctx, user, conv.id)[0].original_speaker == "medewerker"


def test_stale_correction_is_refused_on_any_database(any_ctx, tmp_path):
    """Two examiners correct the same line: the one who saw an older version is refused (#15.7)."""
    from ksf_review.services.context import Conflict
    from ksf_review.services.users import ensure_default_user, get_or_create_user

    ctx = any_ctx
    user = ensure_default_user(ctx)
    other = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=9).read_bytes())
    jobs.run_pending(ctx)
    seen = edits.segment_details(ctx, user, c.id)[1]
    seen_by_other = edits.segment_details(ctx, other, c.id)[1]
    assert seen.version == seen_by_other.version == 1
    first = edits.edit_segment(ctx, user, c.id, 1, text="Eerste correctie.", expected_version=seen.version)
    assert first.version == 2
    with pytest.raises(Conflict, match="niets overschreven"):
        edits.edit_segment(ctx, other, c.id, 1, text="Tweede correctie.", expected_version=seen_by_other.version)
    assert edits.segment_details(ctx, user, c.id)[1].text == "Eerste correctie."
    with pytest.raises(Conflict):
        edits.edit_segment(ctx, other, c.id, 1, speaker="medewerker", expected_version=seen_by_other.version)
    current = edits.segment_details(ctx, other, c.id)[1]
    assert (current.text, current.version) == ("Eerste correctie.", 2)
    edits.edit_segment(ctx, other, c.id, 1, text="Tweede correctie.", expected_version=current.version)
    assert edits.segment_details(ctx, user, c.id)[1].text == "Tweede correctie."
    assert edits.segment_details(ctx, user, c.id)[0].version == 1  # a version per line: others untouched


def test_concurrent_correction_is_refused_by_the_row_version(ctx, user, conv):
    """Both read version 1; the second UPDATE finds the row changed (StaleDataError → Conflict)."""
    from sqlalchemy import select

    from ksf_review.adapters.storage.models import Segment as SegmentRow
    from ksf_review.services.context import Conflict

    with ctx.db.unit_of_work() as s:
        row = s.scalars(select(SegmentRow).where(SegmentRow.index == 1)).one()
        edits.edit_segment(ctx, user, conv.id, 1, text="Tussendoor gecorrigeerd.", expected_version=1)
        row.edited_text = "Overschreven?"
        with pytest.raises(Exception) as err:
            s.flush()
        s.rollback()
    assert "StaleData" in type(err.value).__name__ or isinstance(err.value, Conflict)
    assert edits.segment_details(ctx, user, conv.id)[1].text == "Tussendoor gecorrigeerd."


@pytest.fixture
def mono_conv(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "m.wav", make_wav(tmp_path / "m.wav", seconds=9, channels=1).read_bytes())
    jobs.run_pending(ctx)
    return c


def test_swap_speakers_keeps_tags_timings_text_and_names(ctx, user, mono_conv):
    """Sprekers omwisselen: medewerker and klant change places everywhere, nothing else changes."""
    from ksf_review.services import tagging

    conv = mono_conv
    assert edits.speakers_guessed(ctx, user, conv.id)
    tag = tagging.add_tag(ctx, user, conv.id, 0.5, 2.0, "1.1a", "+", note="begroeting")
    edits.edit_segment(ctx, user, conv.id, 2, text="Gecorrigeerd.")
    edits.edit_segment(ctx, user, conv.id, 1, speaker="medewerker")  # an examiner's correction
    edits.rename_speaker(ctx, user, conv.id, "klant", "mevrouw Jansen")
    before = convs.conversation_segments(ctx, user, conv.id, apply_names=False)
    assert edits.swap_speakers(ctx, user, conv.id) == 3
    after = convs.conversation_segments(ctx, user, conv.id, apply_names=False)
    swap = {"medewerker": "klant", "klant": "medewerker"}
    assert [swap[s.speaker] for s in before] == [s.speaker for s in after]
    assert [(s.start, s.end, s.text) for s in before] == [(s.start, s.end, s.text) for s in after]
    assert [d.original_speaker for d in edits.segment_details(ctx, user, conv.id)] == [
        "medewerker",
        "klant",
        "medewerker",
    ]  # the recognised speakers stay beside the correction
    named = convs.conversation_segments(ctx, user, conv.id)
    assert named[0].speaker == "mevrouw Jansen"  # the name belongs to the role
    tags = tagging.list_tags(ctx, user, conv.id)
    assert [(t.id, t.start, t.end, t.item, t.note) for t in tags] == [(tag.id, 0.5, 2.0, "1.1a", "begroeting")]
    edits.swap_speakers(ctx, user, conv.id)
    assert convs.conversation_segments(ctx, user, conv.id, apply_names=False) == before


def test_stereo_speakers_are_not_a_guess(ctx, user, conv):
    assert not edits.speakers_guessed(ctx, user, conv.id)
