"""`transcribe` CLI output: a mono call's speakers are written like stereo, plus how they were decided."""

import json

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.transcript import AGENT, CUSTOMER, Segment, Word
from ksf_review.services.batch_transcribe import transcribe_files


def _segments(channels=(0, 0)):
    return [
        Segment(0.0, 1.0, AGENT, "Goedemorgen", channels[0], (Word(0.0, 1.0, " Goedemorgen"),)),
        Segment(1.5, 2.0, CUSTOMER, "Hallo", channels[1], (Word(1.5, 2.0, " Hallo"),)),
    ]


def test_mono_call_json_has_speaker_per_segment_null_channel_and_voice_source(tmp_path):
    audio = tmp_path / "gesprek.wav"
    audio.write_bytes(b"x")
    engine = FakeEngine(segments=_segments(), speaker_source="voice")
    assert transcribe_files([audio], tmp_path / "out", engine=engine) == 0
    doc = json.loads((tmp_path / "out" / "gesprek.json").read_text(encoding="utf-8"))
    assert doc["speaker_source"] == "voice"
    assert [(s["speaker"], s["channel"]) for s in doc["segments"]] == [(AGENT, None), (CUSTOMER, None)]


def test_stereo_call_json_keeps_channels_and_says_channel(tmp_path):
    audio = tmp_path / "stereo.wav"
    audio.write_bytes(b"x")
    assert transcribe_files([audio], tmp_path / "out", engine=FakeEngine(segments=_segments((0, 1)))) == 0
    doc = json.loads((tmp_path / "out" / "stereo.json").read_text(encoding="utf-8"))
    assert doc["speaker_source"] == "channel"
    assert [(s["speaker"], s["channel"]) for s in doc["segments"]] == [(AGENT, 0), (CUSTOMER, 1)]
