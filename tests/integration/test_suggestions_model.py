"""Suggestions on the real bundled model's transcript of a sample call (#18): a floor on recall."""

import json
from pathlib import Path

import pytest

from ksf_review.adapters.transcription import WhisperEngine
from ksf_review.domain.suggestion_eval import evaluate, expected_from_ground_truth
from ksf_review.domain.suggestions import suggest

pytestmark = pytest.mark.model
SAMPLES = Path(__file__).resolve().parents[2] / "sample_audio"
CALL = "belmeniet-slecht"


def test_suggestions_on_the_apps_own_transcript_keep_a_floor_on_recall(tmp_path):
    gt = json.loads((SAMPLES / f"{CALL}.json").read_text(encoding="utf-8"))
    transcript = WhisperEngine(cache_dir=tmp_path / "cache", cpu_threads=2).transcribe(SAMPLES / gt["audio"])
    o = evaluate(suggest(transcript.segments, until=transcript.duration or None), expected_from_ground_truth(gt)).overall
    # measured 4 of 8 found, 4 of 6 right with the rules tuned on bench/suggestion_tuning (#18,
    # round 3: 4 of 8 right before; exact matching found 1); the floors leave one tag of room
    # for another CPU's transcript
    assert o.recall >= 0.375
    assert o.precision >= 0.5
