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
