"""#14.13 with the real bundled model: the anonymised clip no longer says the removed name.

The first 30 s of the sample call *jaarafrekening-goed* (espeak-ng voices): the customer says
"Goedemorgen, met mevrouw Bakker." and the model hears "Mogen op je met m'n rauw pakken." —
the examiner corrects the line to what was said, tags it and promotes it to the library. The
clip is transcribed with the same model; the un-anonymised cut of the same range is
transcribed too, so the test shows that the model does hear the name there.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

from ksf_review.adapters.anonymisation import text as anon_text
from ksf_review.adapters.transcription import WhisperEngine
from ksf_review.services import conversations as convs
from ksf_review.services import exams, library, tagging, transcript_edits
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import build_context
from ksf_review.services.users import ensure_default_user, get_or_create_user
from tests.conftest import have

pytestmark = [pytest.mark.model, pytest.mark.slow]
SAMPLES = Path(__file__).resolve().parents[2] / "sample_audio"
CALL = "jaarafrekening-goed"
SAID = "Goedemorgen, met mevrouw Bakker."
#: the name, and what the model makes of it in this recording ("rauw pakken")
HEARD_AS = ("bakker", "baker", "pakken", "bakken")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def whisper(tmp_path_factory):
    return WhisperEngine(cache_dir=tmp_path_factory.mktemp("model"), cpu_threads=2)


def test_anonymised_clip_does_not_say_the_removed_name(settings, whisper, tmp_path, monkeypatch):
    if not have("ffmpeg"):
        pytest.skip("ffmpeg ontbreekt")
    monkeypatch.setattr(anon_text, "_get_deduce", lambda: None)  # the rules find "mevrouw Bakker"; deduce is not under test
    gt = json.loads((SAMPLES / f"{CALL}.json").read_text(encoding="utf-8"))
    turn = next(t for t in gt["turns"] if t["speaker"] == "klant")
    assert turn["text"].startswith(SAID)
    call = tmp_path / "call.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(SAMPLES / gt["audio"]), "-t", "30", str(call)], check=True)

    ctx = build_context(settings, engine_factory=lambda: whisper)
    try:
        user = ensure_default_user(ctx)
        coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
        exam = exams.create_exam(ctx, user, "Kandidaat Model")
        conv = convs.add_audio_conversation(ctx, user, exam.id, "call.wav", call.read_bytes())
        jobs.run_pending(ctx)
        segs = convs.conversation_segments(ctx, user, conv.id)
        index, seg = next((i, s) for i, s in enumerate(segs)
                          if s.speaker == "klant" and abs(s.start - turn["start"]) < 1.0)
        transcript_edits.edit_segment(ctx, user, conv.id, index, text=SAID)
        tag = tagging.add_tag(ctx, user, conv.id, seg.start, seg.end, "1.1a", "+", "begroeting")
        pv = library.preview(ctx, coord, tag.id, before=0.3, after=0.3)
        assert "[NAAM]" in pv.excerpt.texts_after[0] and "Bakker" not in pv.excerpt.texts_after[0]
        clip = library.promote(ctx, coord, tag.id, before=0.3, after=0.3)

        plain = tmp_path / "plain.wav"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", f"{clip.start:.3f}", "-t", f"{clip.duration:.3f}",
                        "-i", str(call), str(plain)], check=True)
        heard_plain = words(" ".join(s.text for s in whisper.transcribe(plain).segments))
        heard_clip = words(" ".join(s.text for s in whisper.transcribe(clip.audio_path).segments))
    finally:
        ctx.db.dispose()
    # the same model hears the name (or its usual mishearing) in the un-anonymised cut …
    assert any(w in heard_plain for w in HEARD_AS), heard_plain
    # … and nothing of it in the anonymised clip
    assert not [w for w in heard_clip if w in HEARD_AS], (heard_clip, pv.excerpt.time_ranges)
