"""Services reach recordings only through the AudioStorage interface (ctx.audio): another store fits in."""

from pathlib import Path

from ksf_review.adapters.audio import sha256_file
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav


class ObjectStore:
    """Like an S3-compatible store: objects by key, a local cache for whoever needs a file."""

    def __init__(self, cache: Path):
        self.objects: dict[str, bytes] = {}
        self.cache = cache

    def put_file(self, src, ext, sha256=None):
        sha = sha256 or sha256_file(src)
        key = f"opnames/{sha}.{ext}"
        self.objects[key] = Path(src).read_bytes()
        return sha, key

    def exists(self, relpath):
        return relpath in self.objects

    def local_path(self, relpath):
        p = self.cache / relpath
        if not p.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(self.objects[relpath])
        return p

    def delete(self, relpath):
        return int(self.objects.pop(relpath, None) is not None)


def test_upload_transcription_and_playback_work_on_another_store(ctx, user, tmp_path):
    ctx.audio = ObjectStore(tmp_path / "cache")
    exam = exams.create_exam(ctx, user, "K")
    wav = make_wav(tmp_path / "x.wav").read_bytes()
    c = convs.add_audio_conversation(ctx, user, exam.id, "x.wav", wav)
    assert list(ctx.audio.objects.values()) == [wav]
    assert jobs.run_pending(ctx) == 1
    assert jobs.job_status(ctx, c.id).status == "done"
    assert convs.get_conversation(ctx, user, c.id).audio_path.read_bytes() == wav


def test_a_recording_missing_from_the_store_fails_the_job_in_dutch(ctx, user, tmp_path):
    ctx.audio = ObjectStore(tmp_path / "cache")
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "x.wav", make_wav(tmp_path / "x.wav").read_bytes())
    ctx.audio.objects.clear()
    jobs.run_pending(ctx)
    st = jobs.job_status(ctx, c.id)
    assert st.status == "failed" and "niet meer aanwezig in de opslag" in st.error
