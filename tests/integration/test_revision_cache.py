"""#14.9: segments, segment details and suggestions are built once per transcript revision.

Every page run of every examiner reads them; on a 60-minute call that cost ~0.3 s
(segments) and ~4 s (suggestions) per run. The cache must never show a stale transcript:
a correction or a renamed speaker is a new revision.
"""

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import suggestions as sugg
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav


def _call(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "Cache")
    c = convs.add_audio_conversation(ctx, user, exam.id, "c.wav", make_wav(tmp_path / "c.wav", 9).read_bytes())
    jobs.run_pending(ctx)
    return c


def test_suggestions_and_segments_are_computed_once_per_revision(ctx, user, tmp_path, monkeypatch):
    c = _call(ctx, user, tmp_path)
    runs = []
    real = sugg.suggest
    monkeypatch.setattr(sugg, "suggest", lambda segs, rules, **kw: runs.append(1) or real(segs, rules, **kw))
    built = []
    real_from_dict = convs.Word.from_dict
    monkeypatch.setattr(convs.Word, "from_dict", staticmethod(lambda d: built.append(1) or real_from_dict(d)))

    first = sugg.proposals(ctx, user, c.id)  # the worker computed them when the job finished
    assert [p.key for p in sugg.proposals(ctx, user, c.id)] == [p.key for p in first]
    segs = convs.conversation_segments(ctx, user, c.id)
    assert convs.conversation_segments(ctx, user, c.id) == segs
    assert runs == [] and built == []

    edits.edit_segment(ctx, user, c.id, 2, text="Als ik u goed begrijp wilt u uw termijnbedrag verlagen, klopt dat?")
    assert convs.conversation_segments(ctx, user, c.id)[2].text.startswith("Als ik u goed begrijp wilt u uw")
    assert edits.segment_details(ctx, user, c.id)[2].text.startswith("Als ik u goed begrijp wilt u uw")
    segs = convs.conversation_segments(ctx, user, c.id)
    assert len(built) == sum(len(s.words) for s in segs)  # a correction is a new revision: built once
    sugg.proposals(ctx, user, c.id)
    sugg.proposals(ctx, user, c.id)
    assert len(runs) == 1

    edits.rename_speaker(ctx, user, c.id, "medewerker", "Jan")
    assert convs.conversation_segments(ctx, user, c.id)[0].speaker == "Jan"


def test_cache_is_per_database(ctx, user, tmp_path):
    c = _call(ctx, user, tmp_path)
    rev = convs.segments_revision(ctx, user, c.id)
    assert rev is not None and ctx.settings.database_url in rev
