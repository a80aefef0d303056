"""Segment edges on voiced frames: snapping, inventions dropped, no overlap, uncovered sound."""

import numpy as np

from ksf_review.adapters.engine.edges import refine as _refine
from ksf_review.adapters.engine.missed import uncovered
from ksf_review.adapters.engine.sound import measure, voiced_regions
from ksf_review.domain.transcript import Segment, Word

RATE = 16000


def _channel(*spans, seconds=8.0):
    """Int16 samples: a 200 Hz tone in each (start, end) span, near-silence elsewhere."""
    t = np.arange(int(seconds * RATE)) / RATE
    x = 0.001 * np.sin(2 * np.pi * 50 * t)
    for a, b in spans:
        m = (t >= a) & (t < b)
        x[m] = 0.3 * np.sin(2 * np.pi * 200 * t[m])
    return (x * 32767).astype(np.int16)


def refine(segments, samples, rate):
    return _refine(segments, measure(samples, rate))


def _seg(start, end, *words):
    step = (end - start) / len(words)
    ws = tuple(Word(round(start + i * step, 3), round(start + (i + 1) * step, 3), w, 0.9) for i, w in enumerate(words))
    return Segment(start, end, "klant", " ".join(words), 1, ws)


def test_voiced_regions_find_the_sound():
    regions = voiced_regions(_channel((1.0, 3.0), (5.0, 6.5)), RATE)
    assert [(round(a, 2), round(b, 2)) for a, b in regions] == [(1.0, 3.0), (5.0, 6.5)]


def test_edges_snap_to_the_voiced_frames():
    [seg] = refine([_seg(1.3, 2.7, "goedemiddag", "mevrouw")], _channel((1.0, 3.0)), RATE)
    assert (seg.start, seg.end) == (1.0, 3.0)
    assert seg.words[0].start == 1.0 and seg.words[-1].end == 3.0


def test_a_segment_over_silence_is_dropped_as_an_invention():
    out = refine([_seg(1.2, 2.8, "ja"), _seg(4.0, 4.8, "ondertiteling")], _channel((1.0, 3.0)), RATE)
    assert [s.text for s in out] == ["ja"]


def test_snapped_edges_of_one_speaker_never_overlap():
    # two segments inside one run of sound: snapping alone would stretch both over all of it
    out = refine([_seg(1.2, 2.0, "geen", "woord", "over"), _seg(2.1, 2.8, "communiceren")], _channel((1.0, 3.0)), RATE)
    assert [(s.start, s.end) for s in out] == [(1.0, 2.1), (2.1, 3.0)]
    assert all(w.end <= 2.1 for w in out[0].words)


def test_uncovered_sound_is_what_no_segment_reaches():
    regions = [(1.0, 3.0), (5.0, 6.5)]
    assert uncovered(regions, [_seg(1.0, 2.0, "ja")]) == [(2.0, 3.0), (5.0, 6.5)]
    assert uncovered(regions, [_seg(1.0, 2.7, "ja"), _seg(5.0, 6.5, "nee")]) == []  # 0.3 s left: too short
