"""The real engine on a mono mix of a sample call: two voices told apart, medewerker guessed."""

import json
from pathlib import Path

import numpy as np
import pytest

from ksf_review.adapters.audio import decode_pcm16
from ksf_review.adapters.transcription import WhisperEngine
from ksf_review.domain.diarization import word_accuracy
from ksf_review.domain.transcript import AGENT, CUSTOMER
from tests.conftest import write_wav

pytestmark = pytest.mark.model
SAMPLES = Path(__file__).resolve().parents[2] / "sample_audio"
CALL = "belmeniet-slecht"  # the shortest call (62 s), a short opening "Goedemorgen, Duinstroom Energie, met Mark."


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    gt = json.loads((SAMPLES / f"{CALL}.json").read_text(encoding="utf-8"))
    pcm = decode_pcm16(SAMPLES / gt["audio"]).astype(np.float32) / 32768.0
    mono = write_wav(tmp_path_factory.mktemp("mono") / f"{CALL}-mono.wav", np.clip(pcm.sum(axis=0), -1, 1))
    engine = WhisperEngine(cache_dir=tmp_path_factory.mktemp("cache"), cpu_threads=2)
    return gt, engine.transcribe(mono)


def test_mono_mix_reaches_the_word_accuracy_target(result):
    gt, tr = result
    turns = [(t["start"], t["end"], t["speaker"]) for t in gt["turns"]]
    words = [((w.start + w.end) / 2, s.speaker) for s in tr.segments for w in s.words]
    assert word_accuracy(turns, words) >= 0.95


def test_mono_speakers_are_named_like_stereo_and_the_medewerker_is_guessed_right(result):
    gt, tr = result
    assert tr.speaker_source == "voice"
    assert {s.speaker for s in tr.segments} == {AGENT, CUSTOMER}
    first = gt["turns"][0]
    opening = [s for s in tr.segments if s.start < first["end"] and s.end > first["start"]]
    assert opening and opening[0].speaker == AGENT
    assert all(seg["channel"] is None for seg in tr.to_dict()["segments"])
