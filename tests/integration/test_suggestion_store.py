"""#14.9/#14.10: a conversation's suggestions are computed once per transcript revision, by the
worker after the transcription, and stored where every process reads them: the web process
shows them without running the rules (a 60-minute call: seconds of the interpreter that every
examiner's clicks share)."""

import dataclasses

import pytest

from ksf_review.adapters import suggestion_store
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import suggestions as sugg
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import build_context
from ksf_review.services.conversations import RevisionCache
from tests.conftest import make_wav


@pytest.fixture
def worker_ctx(settings, engine):
    """The worker child a web process starts on SQLite (#14.10): the same database and files."""
    c = build_context(dataclasses.replace(settings, worker_parent=12345), engine_factory=lambda: engine)
    yield c
    c.db.dispose()


@pytest.fixture
def seeded_audio(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "Sanne Test")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "j.wav", make_wav(tmp_path / "j.wav", seconds=9).read_bytes())
    jobs.run_pending(ctx)
    return conv.id


def _no_rules(monkeypatch):
    """From here on this process may not run the rules (as the web process need not)."""
    monkeypatch.setattr(sugg, "_FOUND", RevisionCache())  # another process: nothing in memory

    def fail(*a, **k):
        raise AssertionError("the rules ran in the web process")

    monkeypatch.setattr(sugg, "suggest", fail)


def test_the_worker_stores_the_suggestions_and_the_pages_read_them(ctx, worker_ctx, user, tmp_path, monkeypatch):
    exam = exams.create_exam(ctx, user, "Sanne Test")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "j.wav", make_wav(tmp_path / "j.wav", seconds=9).read_bytes())
    computed = []
    real = sugg.suggest
    monkeypatch.setattr(sugg, "suggest", lambda *a, **k: computed.append(1) or real(*a, **k))
    jobs.run_pending(worker_ctx)  # the worker transcribes, then computes and stores the suggestions
    assert computed == [1]
    _no_rules(monkeypatch)
    assert sugg.ensure_computing(ctx, user, conv.id)  # ready at once: no background thread
    props = sugg.proposals(ctx, user, conv.id)
    assert props and all(p.suggestion.evidence for p in props)


def test_a_correction_is_a_new_revision_and_the_old_file_goes(ctx, user, seeded_audio, monkeypatch):
    conv_id = seeded_audio
    sugg.proposals(ctx, user, conv_id)
    before = list(ctx.settings.suggestions_dir.glob(f"conv{conv_id}-*.json"))
    assert len(before) == 1
    edits.edit_segment(ctx, user, conv_id, 0, text="Goedemiddag, u spreekt met Jan van Energie Plus.")
    monkeypatch.setattr(sugg, "_FOUND", RevisionCache())
    sugg.proposals(ctx, user, conv_id)  # the new revision's suggestions (the rules run again)
    after = list(ctx.settings.suggestions_dir.glob(f"conv{conv_id}-*.json"))
    assert len(after) == 1 and after != before


def test_deleting_the_conversation_deletes_its_stored_suggestions(ctx, user, seeded_audio):
    sugg.proposals(ctx, user, seeded_audio)
    assert list(ctx.settings.suggestions_dir.glob(f"conv{seeded_audio}-*.json"))
    convs.delete_conversation(ctx, user, seeded_audio)
    assert not list(ctx.settings.suggestions_dir.glob(f"conv{seeded_audio}-*.json"))


def test_suggestions_of_another_rule_engine_are_not_read(tmp_path, monkeypatch):
    from ksf_review.domain.suggestions import Suggestion

    found = (Suggestion(1.0, 2.0, "1.1a", "+", "medewerker", "groet", "r1", 0, 0.8, "goedemiddag", "Goedemiddag.", ((0, 11),)),)
    suggestion_store.save(tmp_path, 7, ("rev", 1), None, found)
    assert suggestion_store.load(tmp_path, 7, ("rev", 1)) == found
    assert suggestion_store.load(tmp_path, 7, ("rev", 2)) is None
    monkeypatch.setattr(suggestion_store, "engine_version", lambda: "anders")
    assert suggestion_store.load(tmp_path, 7, ("rev", 1)) is None


def test_a_copied_data_folder_keeps_its_stored_suggestions(ctx, user, seeded_audio, settings, engine, tmp_path, monkeypatch):
    """The files sit beside the database in its data folder; a copy of the folder (a move, a
    restored backup, the benchmark's seeded database) reads them without running the rules."""
    import shutil

    want = [p.key for p in sugg.proposals(ctx, user, seeded_audio)]
    ctx.db.dispose()
    copy = tmp_path / "kopie"
    shutil.copytree(settings.data_dir, copy)
    moved = dataclasses.replace(settings, data_dir=copy, database_url=f"sqlite:///{copy / 'ksf_review.sqlite3'}")
    other = build_context(moved, engine_factory=lambda: engine)
    _no_rules(monkeypatch)
    try:
        assert [p.key for p in sugg.proposals(other, user, seeded_audio)] == want
    finally:
        other.db.dispose()
