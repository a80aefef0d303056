"""Example library: anonymised text and audio, roles, zip export/import, damaged zips refused."""

import io
import zipfile

import numpy as np
import pytest

from ksf_review.adapters.audio import decode_pcm16
from ksf_review.domain.transcript import Segment, Word
from ksf_review.services import conversations as convs
from ksf_review.services import exams, library, tagging
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.context import ServiceError
from ksf_review.services.users import get_or_create_user
from tests.conftest import make_wav

pytestmark = pytest.mark.slow

WORDS = [
    (0.5, 0.9, " Mijn"),
    (0.9, 1.3, " postcode"),
    (1.3, 1.6, " is"),
    (1.6, 2.2, " 1234"),
    (2.2, 2.6, " AB"),
    (2.6, 2.8, " en"),
    (2.8, 3.0, " mijn"),
    (3.0, 3.6, " telefoonnummer"),
    (3.6, 4.6, " 06-12345678."),
]


@pytest.fixture
def pii_engine(engine):
    words = tuple(Word(a, b, w, 0.9) for a, b, w in WORDS)
    engine.segments = [
        Segment(0.5, 4.6, "klant", "".join(w for _, _, w in WORDS).strip(), 1, words),
        Segment(5.0, 6.0, "medewerker", "Dank u wel.", 0, ()),
    ]
    return engine


@pytest.fixture
def coord(ctx):
    return get_or_create_user(ctx, "coord", "coordinator", "Coördinator")


def test_promote_anonymises_text_and_audio(ctx, user, coord, pii_engine, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=8, freq=300).read_bytes())
    jobs.run_pending(ctx)
    tag = tagging.add_tag(ctx, user, c.id, 0.5, 4.6, "3.1", "+", "klant geeft gegevens")
    with pytest.raises(ServiceError, match="coördinator"):
        library.preview(ctx, user, tag.id)
    pv = library.preview(ctx, coord, tag.id, before=0.5, after=0.5)
    assert "1234 AB" in pv.excerpt.texts_before[0]
    assert "[POSTCODE]" in pv.excerpt.texts_after[0] and "06-12345678" not in pv.excerpt.texts_after[0]
    clip = library.promote(ctx, coord, tag.id, description="Klant noemt postcode", before=0.5, after=0.5)
    assert clip.label == "goed" and clip.item == "3.1"
    assert "1234" not in clip.excerpt and "[TELEFOON]" in clip.excerpt
    pcm = decode_pcm16(clip.audio_path).astype(np.float32) / 32768
    # the postcode (1.6–2.6 s in the call = 1.6–2.6 in the clip that starts at 0.0) is bleeped:
    # energy at 1 kHz dominates there, and the original 300 Hz tone is gone
    seg = pcm[1, int(1.75 * 16000) : int(2.45 * 16000)]
    spec = np.abs(np.fft.rfft(seg))
    freqs = np.fft.rfftfreq(len(seg), 1 / 16000)
    assert abs(freqs[spec.argmax()] - 1000) < 30
    # outside the redacted words the original tone is still there
    clean = pcm[1, int(0.55 * 16000) : int(0.85 * 16000)]
    spec = np.abs(np.fft.rfft(clean))
    assert abs(np.fft.rfftfreq(len(clean), 1 / 16000)[spec.argmax()] - 600) < 30  # channel 2 tone = 2×300 Hz
    found = library.list_clips(ctx, user, item="3.1", text="postcode")
    assert [x.id for x in found] == [clip.id]
    assert library.list_clips(ctx, user, eindterm="1") == []


def test_text_example_and_zip_round_trip(ctx, user, coord, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_text_conversation(
        ctx,
        user,
        exam.id,
        "K: Ik ben Jan Jansen, mijn IBAN is NL91ABNA0417164300.\nM: Als ik u goed begrijp wilt u uw rekeningnummer wijzigen?",
        channel="chat",
    )
    tag = tagging.add_tag(ctx, user, c.id, 0, 2, "1.1b", "+")
    clip = library.promote(ctx, coord, tag.id, description="samenvatting in chat")
    assert clip.audio_path is None and "NL91" not in clip.excerpt and "[IBAN]" in clip.excerpt
    data = library.export_zip(ctx, coord, [clip.id])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {"manifest.json", "manifest.csv"} <= set(zf.namelist())
    assert library.import_zip(ctx, coord, data).examples == 1
    assert len(library.list_clips(ctx, coord, item="1.1b")) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "no-manifest", "bad-item", "missing-audio"])
def test_damaged_zip_is_refused_and_changes_nothing(ctx, coord, damage):
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as zf:
        manifest = {
            "format": "ksf-review-library",
            "version": 1,
            "examples": [{"item": "1.1b", "label": "goed", "description": "x", "excerpt": "y", "audio": None}],
        }
        if damage == "bad-item":
            manifest["examples"][0]["item"] = "9.9"
        if damage == "missing-audio":
            manifest["examples"][0]["audio"] = "audio/clip-1.ogg"
        import json

        if damage != "no-manifest":
            zf.writestr("manifest.json", json.dumps(manifest))
    data = good.getvalue()
    if damage == "truncate":
        data = data[: len(data) // 2]
    if damage == "garbage":
        data = b"PK\x03\x04" + bytes(range(256)) * 4
    with pytest.raises(ServiceError, match="niets geïmporteerd"):
        library.import_zip(ctx, coord, data)
    assert library.list_clips(ctx, coord) == []


def test_promote_decodes_only_the_clip_not_the_whole_call(ctx, user, coord, pii_engine, tmp_path, monkeypatch):
    """A 10-s example from a 10-minute call: memory for the window only, not for a decode of the call."""
    import tracemalloc

    from ksf_review.adapters.anonymisation import text as anon_text

    monkeypatch.setattr(anon_text, "_get_deduce", lambda: None)  # loading deduce is not what is measured
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "lang.wav", make_wav(tmp_path / "lang.wav", seconds=600, freq=300).read_bytes())
    jobs.run_pending(ctx)
    tag = tagging.add_tag(ctx, user, c.id, 0.5, 4.6, "3.1", "+")
    tracemalloc.start()
    try:
        clip = library.promote(ctx, coord, tag.id, before=0.5, after=5.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert clip.audio_path.exists() and clip.duration == pytest.approx(9.6)
    assert peak < 30 * 2**20, f"{peak / 2**20:.0f} MB"  # the clip itself ≈12 MB; a whole decode ≈80 MB
