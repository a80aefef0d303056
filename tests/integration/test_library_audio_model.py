"""#14.13 with the real bundled model: the anonymised clip no longer says the removed name.

The opening of two sample calls (espeak-ng voices), where the model mishears the customer's
name ("mevrouw Bakker" → "m'n rauw pakken"; "Anja Smit" → "aan jou, smid"): the examiner
corrects the lines to what was said, tags them and promotes the passage to the library. The
clip is transcribed with the same model; the un-anonymised cut of the same range is
transcribed too, so the test shows that the model does hear the names there.
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
#: (call, seconds to keep, {approximate start of a customer segment: the corrected line},
#:  the names and what the model makes of them in this recording)
CASES = {
    # "Goedemorgen, met mevrouw Bakker." is heard as "Mogen op je met m'n rauw pakken."
    "bakker": ("jaarafrekening-goed", 30, {8.0: "Goedemorgen, met mevrouw Bakker."}, ("bakker", "baker", "pakken", "bakken")),
    # "Met Peter Smit." / "Ik bel namens mijn vrouw, Anja Smit." heard as "Met Peter, smid." /
    # "Ik meld amens mijn vrouw, aan jou, smid."
    "smit": ("partner-goed", 24, {8.9: "Met Peter Smit.", 10.6: "Ik bel namens mijn vrouw, Anja Smit."}, ("peter", "smit", "smid", "anja")),
}


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def whisper(tmp_path_factory):
    return WhisperEngine(cache_dir=tmp_path_factory.mktemp("model"), cpu_threads=2)


@pytest.mark.parametrize("case", list(CASES))
def test_anonymised_clip_does_not_say_the_removed_names(case, settings, whisper, tmp_path, monkeypatch):
    if not have("ffmpeg"):
        pytest.skip("ffmpeg ontbreekt")
    monkeypatch.setattr(anon_text, "_get_deduce", lambda: None)  # the rules find these names; deduce is not under test
    name, seconds, corrections, heard_as = CASES[case]
    gt = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    call = tmp_path / "call.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(SAMPLES / gt["audio"]), "-t", str(seconds), str(call)], check=True)

    ctx = build_context(settings, engine_factory=lambda: whisper)
    try:
        user = ensure_default_user(ctx)
        coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
        exam = exams.create_exam(ctx, user, "Kandidaat Model")
        conv = convs.add_audio_conversation(ctx, user, exam.id, "call.wav", call.read_bytes())
        jobs.run_pending(ctx)
        segs = convs.conversation_segments(ctx, user, conv.id)
        edited = []
        for at, text in corrections.items():
            index, seg = next((i, s) for i, s in enumerate(segs) if s.speaker == "klant" and abs(s.start - at) < 1.0)
            transcript_edits.edit_segment(ctx, user, conv.id, index, text=text)
            edited.append(seg)
        tag = tagging.add_tag(ctx, user, conv.id, edited[0].start, edited[-1].end, "1.1a", "+", "begroeting")
        pv = library.preview(ctx, coord, tag.id, before=0.3, after=0.3)
        after = " ".join(pv.excerpt.texts_after)
        assert "[NAAM]" in after and not set(words(after)) & set(heard_as), after
        clip = library.promote(ctx, coord, tag.id, before=0.3, after=0.3)

        plain = tmp_path / "plain.wav"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-ss", f"{clip.start:.3f}", "-t", f"{clip.duration:.3f}", "-i", str(call), str(plain)],
            check=True,
        )
        heard_plain = words(" ".join(s.text for s in whisper.transcribe(plain).segments))
        heard_clip = words(" ".join(s.text for s in whisper.transcribe(clip.audio_path).segments))
    finally:
        ctx.db.dispose()
    # the same model hears the names (or its usual mishearings) in the un-anonymised cut …
    assert set(heard_plain) & set(heard_as), heard_plain
    # … and nothing of them in the anonymised clip
    assert not [w for w in heard_clip if w in heard_as], (heard_clip, pv.excerpt.time_ranges)
