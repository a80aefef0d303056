"""The engine's steps one by one, and the pipeline around them with a stand-in decoder."""

import dataclasses
import logging
from types import SimpleNamespace as NS

import numpy as np
import pytest

from ksf_review.adapters.engine import EngineOptions, WhisperEngine, cache_key, pipeline, sound
from ksf_review.adapters.engine.decode import decode_windows, quiet_cut, windows
from ksf_review.adapters.engine.edges import extend_to_regions, refine, split_at_silence
from ksf_review.adapters.engine.missed import missed, worth_one_call
from ksf_review.domain.segmentation import no_overlap
from ksf_review.domain.transcript import Segment, Word
from tests.conftest import write_wav

RATE = 16000


def _loud(seconds, *quiet):
    """Int16 noise-like loud signal with near-silent (start, end) spans."""
    t = np.arange(int(seconds * RATE)) / RATE
    x = 0.3 * np.sin(2 * np.pi * 200 * t)
    for a, b in quiet:
        x[(t >= a) & (t < b)] *= 0.001
    return (x * 32767).astype(np.int16)


def _seg(start, end, *words, speaker="klant"):
    step = (end - start) / len(words)
    ws = tuple(Word(round(start + i * step, 3), round(start + (i + 1) * step, 3), " " + w, 0.9) for i, w in enumerate(words))
    return Segment(start, end, speaker, " ".join(words), 1, ws)


# -- decode windows ------------------------------------------------------------------------------


def test_quiet_cut_lands_in_the_quiet_moment_before_the_window_end():
    samples = _loud(30, (24.0, 24.6))
    cut = quiet_cut(samples, 0, 28 * RATE, RATE, search_s=10.0)
    assert 24.0 <= cut / RATE <= 24.6


def test_quiet_cut_looks_no_further_back_than_its_search():
    samples = _loud(30, (5.0, 5.6))  # quiet, but 23 s before the end
    cut = quiet_cut(samples, 0, 28 * RATE, RATE, search_s=10.0)
    assert 18.0 <= cut / RATE <= 28.0


def test_quiet_cut_keeps_the_end_of_a_tiny_window():
    assert quiet_cut(_loud(1), 0, int(0.3 * RATE), RATE) == int(0.3 * RATE)


def test_windows_cover_the_channel_back_to_back_at_quiet_places():
    samples = _loud(70, (27.0, 27.5), (55.0, 55.5))
    spans = windows(samples, RATE, window_s=30.0, search_s=5.0)
    assert spans[0][0] == 0 and spans[-1][1] == len(samples)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(e - s <= 30 * RATE for s, e in spans)
    assert 27.0 <= spans[0][1] / RATE <= 27.5 and 55.0 <= spans[1][1] / RATE <= 55.5


class _Decoder:
    """Hears one word 1.0-1.5 s into every piece of audio it is given."""

    def __init__(self):
        self.calls = []

    def transcribe(self, audio, **kwargs):
        self.calls.append((len(audio), kwargs))
        w = NS(start=1.0, end=1.5, word=" ja", probability=0.9)
        return [NS(start=1.0, end=1.5, text=" ja", no_speech_prob=0.1, avg_logprob=-0.2, words=[w])], None


def test_window_times_are_put_back_on_the_channel_timeline():
    samples = _loud(70, (27.0, 27.5), (55.0, 55.5))
    opts = EngineOptions(window_s=30.0, quiet_search_s=5.0)
    seen = []
    decoded = decode_windows(_Decoder(), samples, RATE, {}, opts, "klant", 1, seen.append)
    starts = [s for s, _ in windows(samples, RATE, 30.0, 5.0)]
    assert [d.segment.start for d in decoded] == [round(s / RATE + 1.0, 3) for s in starts]
    assert [d.segment.words[0].end for d in decoded] == [round(s / RATE + 1.5, 3) for s in starts]
    assert seen == sorted(seen) and seen[-1] == 1.0


# -- find what was missed ------------------------------------------------------------------------


def test_gaps_are_capped_per_channel():
    regions = [(float(i), i + 0.8) for i in range(0, 20, 2)]
    assert len(missed(regions, [], EngineOptions(max_gaps=3))) == 3
    assert missed(regions, [], EngineOptions(max_gaps=3)) == regions[:3]


def test_only_long_enough_gaps_get_a_call_of_their_own_and_only_so_many():
    gaps = [(0.0, 0.7), (2.0, 3.5), (5.0, 5.9), (7.0, 8.2), (10.0, 12.0)]
    assert worth_one_call(gaps, EngineOptions()) == [(2.0, 3.5), (7.0, 8.2), (10.0, 12.0)]
    assert worth_one_call(gaps, EngineOptions(max_single=2)) == [(2.0, 3.5), (7.0, 8.2)]


# -- refine edges --------------------------------------------------------------------------------


def test_a_region_edge_within_the_limit_is_reached_by_its_first_and_last_segment():
    segs = [_seg(2.0, 3.0, "ja"), _seg(3.2, 4.0, "klopt")]
    out = extend_to_regions(segs, [(1.0, 5.5)], limit=3.0)
    assert [(s.start, s.end) for s in out] == [(1.0, 3.0), (3.2, 5.5)]


def test_a_region_edge_beyond_the_limit_is_left_alone():
    segs = [_seg(5.0, 6.0, "ja")]
    assert extend_to_regions(segs, [(1.0, 10.0)], limit=3.0) == segs
    assert extend_to_regions(segs, [(20.0, 21.0)], limit=3.0) == segs  # another region: untouched


def _voiced(seconds, *spans, frame=0.01):
    v = np.zeros(int(seconds / frame), dtype=bool)
    for a, b in spans:
        v[int(a / frame) : int(b / frame)] = True
    return v


def test_a_silence_of_a_second_inside_a_segment_splits_it_between_its_words():
    seg = Segment(
        1.0, 5.0, "klant", "ja dat klopt", 1, (Word(1.0, 1.5, " ja", 0.9), Word(3.0, 3.5, " dat", 0.9), Word(3.6, 5.0, " klopt", 0.9))
    )
    parts = split_at_silence(seg, _voiced(6, (1.0, 1.6), (2.9, 5.0)), gap=1.0)
    assert [p.text for p in parts] == ["ja", "dat klopt"]
    assert [(p.start, p.end) for p in parts] == [(1.0, 1.5), (3.0, 5.0)]


def test_words_timed_after_the_end_of_the_audio_stay_inside_their_segment():
    """A loop at the end of a mono call had words at 63.78 s in a 63.6-s recording; snapping the
    segment's end to the last voiced frame left them ending (62.99) before they started."""
    words = [Word(60.9, 61.1, " Ik", 0.9)] + [Word(63.78, 64.0, " heb", 0.9)] * 3 + [Word(64.0, 64.2, " gemeld.", 0.9)]
    s = Segment(60.9, 64.2, "spreker", "Ik heb heb heb gemeld.", 0, tuple(words))
    sound = NS(voiced=_voiced(63.6, (60.9, 63.0)), regions=[], frame=0.01)
    [out] = refine([s], sound)
    assert out.end <= 63.1
    assert all(out.start <= w.start <= w.end <= out.end for w in out.words)


def test_a_short_silence_inside_a_segment_keeps_it_whole():
    seg = _seg(1.0, 3.0, "ja", "klopt")
    assert split_at_silence(seg, _voiced(6, (1.0, 1.8), (2.4, 3.0)), gap=1.0) == [seg]


# -- assign speakers: one person says one thing at a time ----------------------------------------


def test_a_fragment_on_top_of_a_segment_of_the_same_speaker_is_merged_into_it():
    """The telephone-band case: "Je" at 1.8-2.9 s over a longer segment starting at 1.8 s."""
    long = Segment(
        1.8,
        6.0,
        "klant",
        "Je moet even kijken",
        0,
        (Word(1.8, 2.1, " Je", 0.9), Word(2.2, 2.9, " moet", 0.9), Word(3.0, 4.0, " even", 0.9), Word(4.1, 6.0, " kijken", 0.9)),
    )
    fragment = Segment(1.8, 2.9, "klant", "Je", 0, (Word(1.8, 2.9, " Je", 0.5),))
    other = Segment(2.0, 3.0, "medewerker", "Ja", 0, (Word(2.0, 3.0, " Ja", 0.9),))
    out = no_overlap([fragment, long, other])
    assert [(s.speaker, s.start, s.end, s.text) for s in out] == [
        ("klant", 1.8, 6.0, "Je moet even kijken"),
        ("medewerker", 2.0, 3.0, "Ja"),
    ]


def test_an_end_that_ran_into_the_next_segment_is_moved_back():
    first = Segment(1.0, 3.5, "klant", "ja", 1, (Word(1.0, 2.0, " ja", 0.9),))
    second = _seg(3.0, 4.0, "klopt")
    out = no_overlap([second, first])
    assert [(s.start, s.end) for s in out] == [(1.0, 3.0), (3.0, 4.0)]


def test_segments_of_one_speaker_never_overlap_after_no_overlap():
    rng = np.random.default_rng(7)
    segs = []
    for _ in range(60):
        a = float(rng.uniform(0, 50))
        segs.append(
            _seg(round(a, 2), round(a + float(rng.uniform(0.3, 4)), 2), "woord", "twee", speaker=str(rng.choice(["klant", "medewerker"])))
        )
    out = no_overlap(segs)
    for who in ("klant", "medewerker"):
        mine = [s for s in out if s.speaker == who]
        assert all(a.end <= b.start for a, b in zip(mine, mine[1:]))
    heard = {(w.start, w.end, w.word) for s in segs for w in s.words}
    assert {(w.start, w.end, w.word) for s in out for w in s.words} <= heard  # words kept, none invented


# -- options and cache key -----------------------------------------------------------------------


def test_options_are_frozen_and_survive_the_settings_dict():
    opts = EngineOptions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.beam_size = 5  # type: ignore[misc]
    assert EngineOptions.from_dict(opts.as_dict()) == opts
    assert EngineOptions.from_dict(dict(opts.as_dict(), diarization=None)).diarization is None
    with pytest.raises(TypeError):
        EngineOptions.from_dict({"beam": 3})


@pytest.mark.parametrize(
    "change",
    [
        {"tokens_per_s": 12},
        {"quiet_search_s": 10.0},
        {"edge_search_s": 0.5},
        {"max_gaps": 100},
        {"margin_db": 25.0},
        {"max_segment_s": 12.0},
        {"version": 99},
    ],
)
def test_every_tuning_value_and_the_version_are_part_of_the_cache_key(change):
    base = WhisperEngine()
    retuned = WhisperEngine(options=dataclasses.replace(EngineOptions(), **change))
    assert cache_key("sha", "m", base.settings, "left") != cache_key("sha", "m", retuned.settings, "left")
    assert base.settings["version"] == EngineOptions().version


# -- the pipeline with a stand-in model ----------------------------------------------------------


def test_the_pipeline_measures_sound_once_per_channel_and_logs_every_step(tmp_path, monkeypatch, caplog):
    t = np.arange(8 * RATE) / RATE
    tone = np.where((t > 1) & (t < 2.5), 0.3 * np.sin(2 * np.pi * 200 * t), 0.0005 * np.sin(2 * np.pi * 50 * t))
    wav = write_wav(tmp_path / "call.wav", np.stack([tone, tone[::-1]], axis=1))
    monkeypatch.setattr(pipeline, "load_model", lambda *a, **k: _Decoder())
    counted = []
    real = sound.voiced_frames
    monkeypatch.setattr(sound, "voiced_frames", lambda *a, **k: counted.append(1) or real(*a, **k))
    caplog.set_level(logging.INFO, logger="ksf_review.adapters.engine")
    engine = WhisperEngine(options=EngineOptions(batch_size=0))
    tr = engine.transcribe(wav)
    assert len(counted) == 2  # once per channel
    text = caplog.text
    for step in (
        "decode windows channel 0",
        "clean channel 1",
        "find what was missed channel 0",
        "re-listen channel 1",
        "refine edges channel 0",
        "assign speakers",
    ):
        assert step in text
    assert "calls" in text and "segments" in text
    assert {s.speaker for s in tr.segments} == {"medewerker", "klant"}
    assert tr.settings == engine.settings


@pytest.mark.parametrize("channels", [1, 2])
def test_progress_keeps_a_share_for_the_speaker_step_of_a_mono_call(tmp_path, monkeypatch, channels):
    t = np.arange(8 * RATE) / RATE
    tone = np.where((t > 1) & (t < 2.5), 0.3 * np.sin(2 * np.pi * 200 * t), 0.0005 * np.sin(2 * np.pi * 50 * t))
    wav = write_wav(tmp_path / "call.wav", np.stack([tone, tone[::-1]][:channels], axis=1))
    monkeypatch.setattr(pipeline, "load_model", lambda *a, **k: _Decoder())
    reported, at_speakers = [], []
    real = pipeline.assign_speakers
    monkeypatch.setattr(pipeline, "assign_speakers", lambda *a, **k: at_speakers.append(max(reported)) or real(*a, **k))
    WhisperEngine(options=EngineOptions(batch_size=0)).transcribe(wav, progress=reported.append)
    assert reported == sorted(reported)  # never backwards
    assert reported[-1] == 1.0  # and done is done, once the speakers are known
    if channels == 1:  # voices are told apart after every word is heard: that step is still to come
        assert len(at_speakers) == 1 and 0.5 < at_speakers[0] <= 0.9
    else:  # the channels say who spoke: nothing left
        assert at_speakers == [pytest.approx(1.0)]


class _Listener:
    """A progress callback that also hears which step starts (as a transcription job's does)."""

    def __init__(self):
        self.heard = []

    def __call__(self, share):
        self.heard.append(share)

    def step(self, name):
        self.heard.append(name)


@pytest.mark.parametrize("channels", [1, 2])
def test_a_mono_call_names_its_speaker_step_where_the_bar_waits(tmp_path, monkeypatch, channels):
    t = np.arange(8 * RATE) / RATE
    tone = np.where((t > 1) & (t < 2.5), 0.3 * np.sin(2 * np.pi * 200 * t), 0.0005 * np.sin(2 * np.pi * 50 * t))
    wav = write_wav(tmp_path / "call.wav", np.stack([tone, tone[::-1]][:channels], axis=1))
    monkeypatch.setattr(pipeline, "load_model", lambda *a, **k: _Decoder())
    listener, at_speakers = _Listener(), []
    heard = listener.heard
    real = pipeline.assign_speakers
    monkeypatch.setattr(pipeline, "assign_speakers", lambda *a, **k: at_speakers.append(heard[-2:]) or real(*a, **k))
    WhisperEngine(options=EngineOptions(batch_size=0)).transcribe(wav, progress=listener)
    if channels == 1:  # every word heard, then named: the page shows "sprekers herkennen" at 88 %
        assert at_speakers == [[pytest.approx(1 - pipeline.SPEAKER_STEP_SHARE), "speakers"]]
    else:  # the channels say who spoke: no step to wait for
        assert "speakers" not in heard
    assert heard[-1] == 1.0


class _ShortClipDecoder:
    """A clip's speech 0.5-6.2 s, heard as a sure segment and an unsure tail it decoded twice."""

    def __init__(self):
        self.calls = []

    def transcribe(self, audio, **kwargs):
        self.calls.append((len(audio), kwargs))
        sure = [NS(start=0.5 + i, end=1.4 + i, word=f" w{i}", probability=0.9) for i in range(5)]
        tail = [NS(start=5.5, end=5.6, word=" op", probability=0.01), NS(start=5.6, end=6.1, word=" muziek.", probability=0.5)]
        return [
            NS(start=0.5, end=5.4, text=" w0 w1 w2 w3 w4", no_speech_prob=0.01, avg_logprob=-0.77, words=sure),
            NS(start=5.4, end=6.1, text=" op muziek.", no_speech_prob=0.26, avg_logprob=-1.35, words=tail),
        ], None


def test_a_clip_of_one_window_is_decoded_sequentially_and_its_unsure_tail_is_dropped_not_relistened(tmp_path, monkeypatch):
    """Decoded as a plain faster-whisper call does (the model itself, no batched pipeline); a segment
    below log_prob_threshold is dropped, and its stretch is not re-listened for another guess."""
    t = np.arange(8 * RATE) / RATE
    voice = np.where((t > 0.5) & (t < 6.2), 0.3 * np.sin(2 * np.pi * 200 * t), 0.0)
    wav = write_wav(tmp_path / "clip.wav", voice[:, None])
    model = _ShortClipDecoder()
    monkeypatch.setattr(pipeline, "load_model", lambda *a, **k: model)
    tr = WhisperEngine().transcribe(wav)
    assert len(model.calls) == 1 and "batch_size" not in model.calls[0][1] and model.calls[0][1]["beam_size"] == 5
    assert " ".join(s.text for s in tr.segments) == "w0 w1 w2 w3 w4"


def _decoded(start, end, logprob):
    from ksf_review.adapters.engine.decode import Decoded

    return Decoded(_seg(start, end, "a", "b"), 0.01, logprob)


def test_only_an_unsure_tail_of_a_short_channel_is_dropped():
    heard, unsure = pipeline._heard([_decoded(0.5, 5.4, -0.77), _decoded(5.4, 6.1, -1.35)], 7.4, EngineOptions())
    assert [s.start for s in heard] == [0.5] and [s.start for s in unsure] == [5.4]
    # an unsure utterance of its own is kept: a short clip's only speech would otherwise be lost
    heard, unsure = pipeline._heard([_decoded(0.3, 2.8, -1.2)], 3.2, EngineOptions())
    assert len(heard) == 1 and not unsure
    heard, unsure = pipeline._heard([_decoded(0.5, 3.0, -0.5), _decoded(3.8, 5.0, -1.2)], 7.4, EngineOptions())
    assert len(heard) == 2 and not unsure  # after a pause: its own utterance
    # the batched path (a long channel) has its own filters: unchanged
    heard, unsure = pipeline._heard([_decoded(0.5, 5.4, -0.77), _decoded(5.4, 6.1, -1.35)], 61.7, EngineOptions())
    assert len(heard) == 2 and not unsure
