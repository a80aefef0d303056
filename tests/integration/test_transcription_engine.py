"""The real engine on a sample call: exact speakers from channels, tight segment boundaries."""

import json
from pathlib import Path

import pytest

from ksf_review.adapters.transcription import WhisperEngine

pytestmark = pytest.mark.model
SAMPLES = Path(__file__).resolve().parents[2] / "sample_audio"
CALL = "partner-slecht"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    gt = json.loads((SAMPLES / f"{CALL}.json").read_text(encoding="utf-8"))
    engine = WhisperEngine(cache_dir=tmp_path_factory.mktemp("cache"), cpu_threads=2)
    seen = []
    transcript = engine.transcribe(SAMPLES / gt["audio"], progress=seen.append)
    return gt, transcript, seen


def test_speakers_come_from_channels(result):
    gt, tr, _ = result
    assert {s.speaker for s in tr.segments} == {"medewerker", "klant"}
    for s in tr.segments:
        assert (s.channel == 0) == (s.speaker == "medewerker")
        turn = max(gt["turns"], key=lambda t: min(t["end"], s.end) - max(t["start"], s.start))
        assert turn["speaker"] == s.speaker, (s, turn)


def test_segments_fit_for_tagging(result):
    _, tr, seen = result
    assert all(s.end - s.start <= 15.5 for s in tr.segments)
    assert all(w.start >= s.start - 0.01 and w.end <= s.end + 0.01 for s in tr.segments for w in s.words)
    assert [s.start for s in tr.segments] == sorted(s.start for s in tr.segments)
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_boundaries_within_half_a_second_of_real_speech(result):
    gt, tr, _ = result
    errors = []
    for turn in gt["turns"]:
        ch = 0 if turn["speaker"] == "medewerker" else 1
        segs = [s for s in tr.segments if s.channel == ch and s.start < turn["end"] and s.end > turn["start"]]
        if not segs:
            errors.append(f"geen segment voor beurt {turn['text'][:30]}")
            continue
        start_err = abs(min(s.start for s in segs) - turn["start"])
        end_err = abs(max(s.end for s in segs) - turn["end"])
        if start_err > 0.5 or end_err > 0.5:
            errors.append(f"{turn['start']:.2f}-{turn['end']:.2f}: start {start_err:.2f}, eind {end_err:.2f}")
    assert not errors, errors
