"""Large uncompressed recordings reach the browser as a small Ogg/Opus copy, deleted with them."""

import pytest

from ksf_review.adapters import audio, playback_copy
from ksf_review.adapters.audio_store import AudioStore
from ksf_review.adapters.playback_copy import PlaybackCopyError, copy_path, make_copy, playback_file
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(playback_copy, "MIN_BYTES", 1000)


def test_copy_keeps_channels_and_timing_and_is_much_smaller(tmp_path, small_threshold):
    (tmp_path / "ab").mkdir()
    original = make_wav(tmp_path / "ab" / "abc123.wav", seconds=6.0)
    copy = make_copy(original)
    assert copy == tmp_path / "ab" / "abc123.play.ogg" and copy.exists()
    info = audio.probe(copy)
    assert info.channels == 2 and abs(info.duration - 6.0) < 0.05
    assert copy.stat().st_size < original.stat().st_size / 5
    assert playback_file(original, "audio/wav") == (copy, "audio/ogg")
    assert make_copy(original) == copy  # made once
    assert not list(copy.parent.glob("*.part"))


def test_small_or_compressed_recordings_are_served_as_they_are(tmp_path):
    small = make_wav(tmp_path / "klein.wav")
    assert make_copy(small) is None and not copy_path(small).exists()
    assert playback_file(small, "audio/wav") == (small, "audio/wav")


def test_damaged_recording_gives_a_message_and_leaves_nothing(tmp_path, small_threshold):
    bad = tmp_path / "kapot.wav"
    bad.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 5000)
    with pytest.raises(PlaybackCopyError, match="afspeelkopie mislukt"):
        make_copy(bad)
    assert list(tmp_path.iterdir()) == [bad]
    assert playback_file(bad, "audio/wav") == (bad, "audio/wav")


def test_deleting_a_recording_deletes_its_playback_copy(tmp_path, small_threshold):
    store = AudioStore(tmp_path / "audio")
    sha, rel = store.put_file(make_wav(tmp_path / "a.wav", seconds=3.0), "wav")
    copy = make_copy(store.path(rel))
    assert copy.exists()
    store.delete(rel)
    assert not store.path(rel).exists() and not copy.exists()


def test_worker_makes_the_copy_before_transcribing(ctx, user, tmp_path, small_threshold):
    exam = exams.create_exam(ctx, user, "K")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav").read_bytes())
    assert jobs.run_pending(ctx) == 1
    view = convs.get_conversation(ctx, user, conv.id)
    assert view.job_status == "done"
    assert playback_file(view.audio_path, view.mimetype) == (copy_path(view.audio_path), "audio/ogg")


def test_a_failed_copy_does_not_stop_the_transcription(ctx, user, tmp_path, monkeypatch):
    def broken(path):
        raise PlaybackCopyError("afspeelkopie mislukt: geen encoder")

    monkeypatch.setattr(jobs, "make_copy", broken)
    exam = exams.create_exam(ctx, user, "K")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav").read_bytes())
    assert jobs.run_pending(ctx) == 1
    view = convs.get_conversation(ctx, user, conv.id)
    assert view.job_status == "done" and playback_file(view.audio_path, view.mimetype)[0] == view.audio_path
