"""The rendered sample calls match their ground truth: stereo, right length, clean channels.

Decodes every call (ffprobe + faster_whisper.decode_audio, a few seconds in total) and checks
that the medewerker is only on the left channel and the klant only on the right, exactly in
the turn times the JSON states (within 0.05 s), so timing-based tests can trust them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_audio"
RATE = 16000
CALLS = sorted(
    d["id"]
    for d in (json.loads(p.read_text(encoding="utf-8")) for p in SAMPLE_DIR.glob("*.json") if p.name != "manifest.json")
    if d["channel"] == "telefoon"
)
TOLERANCE = 0.05  # seconds
SPEECH = 0.01  # |sample| above this is speech (files are normalised to a 0.8 peak)


def _doc(cid: str) -> dict:
    return json.loads((SAMPLE_DIR / f"{cid}.json").read_text(encoding="utf-8"))


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0


@pytest.fixture(scope="module")
def decoded():
    from faster_whisper import decode_audio

    cache = {}

    def get(cid: str):
        if cid not in cache:
            cache[cid] = decode_audio(str(SAMPLE_DIR / f"{cid}.ogg"), sampling_rate=RATE, split_stereo=True)
        return cache[cid]

    return get


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe not installed")
@pytest.mark.parametrize("cid", CALLS)
def test_call_is_stereo_ogg(cid):
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "a:0",
            "-show_entries",
            "stream=channels,codec_name",
            "-of",
            "json",
            str(SAMPLE_DIR / f"{cid}.ogg"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    stream = json.loads(out.stdout)["streams"][0]
    assert stream["channels"] == 2
    assert stream["codec_name"] in {"opus", "vorbis"}


@pytest.mark.parametrize("cid", CALLS)
def test_duration_matches_the_last_turn(cid, decoded):
    left, right = decoded(cid)
    assert len(left) == len(right)
    duration = len(left) / RATE
    last_end = _doc(cid)["turns"][-1]["end"]
    assert last_end <= duration <= last_end + 1.0


@pytest.mark.parametrize("cid", CALLS)
def test_each_speaker_is_on_its_own_channel_at_the_stated_times(cid, decoded):
    left, right = decoded(cid)
    channels = {"medewerker": left, "klant": right}
    for i, turn in enumerate(_doc(cid)["turns"]):
        own = channels[turn["speaker"]]
        other = channels["klant" if turn["speaker"] == "medewerker" else "medewerker"]
        s, e = int(turn["start"] * RATE), int(turn["end"] * RATE)
        assert _rms(other[s:e]) < 0.002, f"{cid} turn {i}: other channel not silent"
        assert _rms(own[s:e]) > 0.02, f"{cid} turn {i}: no speech on its own channel"
        lo = max(0, s - RATE // 2)
        loud = np.flatnonzero(np.abs(own[lo : e + RATE // 2]) > SPEECH) + lo
        assert abs(loud[0] / RATE - turn["start"]) <= TOLERANCE, f"{cid} turn {i}: start off"
        assert abs(loud[-1] / RATE - turn["end"]) <= TOLERANCE, f"{cid} turn {i}: end off"
