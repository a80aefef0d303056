"""Character spans → audio time ranges, and the anonymise_excerpt API on top of it."""

import pytest

from ksf_review.adapters.anonymisation import AnonymisedExcerpt, PiiSpan, anonymise_excerpt
from ksf_review.adapters.anonymisation.timing import (
    DEFAULT_MARGIN,
    merge_ranges,
    span_time_range,
    spans_to_time_ranges,
    word_char_ranges,
)
from ksf_review.domain.tags import TimeRange
from ksf_review.domain.transcript import Segment, Word


def timed_segment(text: str, start: float = 10.0, step: float = 0.5, speaker: str = "klant") -> Segment:
    """Whisper-style words (leading space) every ``step`` seconds, each 0.4 s long."""
    words = tuple(Word(start + i * step, start + i * step + 0.4, " " + tok) for i, tok in enumerate(text.split()))
    return Segment(start, start + len(words) * step, speaker, text, 0, words)


def test_words_are_located_in_the_text():
    seg = timed_segment("Met Jan, 06-12345678.")
    assert word_char_ranges(seg.text, seg.words) == [(0, 3), (4, 8), (9, 21)]
    # a word the text does not contain is skipped, the rest still line up
    words = (Word(0, 1, "Met"), Word(1, 2, "xyz"), Word(2, 3, "06-12345678."))
    assert word_char_ranges(seg.text, words) == [(0, 3), None, (9, 21)]


def test_span_maps_to_the_words_it_touches_plus_margin():
    seg = timed_segment("Ja met Sanne de Boer hoor")  # words at 10.0, 10.5, 11.0, 11.5, 12.0, 12.5
    span = PiiSpan.of(seg.text, 7, 20, "NAAM")  # "Sanne de Boer" = words 2..4
    r = span_time_range(seg, span, margin=0.05)
    assert r.start == pytest.approx(11.0 - 0.05)
    assert r.end == pytest.approx(12.4 + 0.05)
    partial = PiiSpan.of(seg.text, 9, 10, "NAAM")  # one letter inside "Sanne": whole word
    assert span_time_range(seg, partial, margin=0.0) == TimeRange(11.0, 11.4)


def test_without_word_timings_the_position_is_proportional():
    text = "0123456789" * 2  # 20 characters over 10..12 s
    seg = Segment(10.0, 12.0, "klant", text)
    r = span_time_range(seg, PiiSpan.of(text, 5, 10, "KLANTNUMMER"), fallback_margin=0.0)
    assert (r.start, r.end) == pytest.approx((10.5, 11.0))
    r = span_time_range(seg, PiiSpan.of(text, 0, 5, "KLANTNUMMER"), fallback_margin=0.3)
    assert r.start == 9.7 and r.end == pytest.approx(10.8)


def test_span_under_unplaced_words_uses_the_gap_between_neighbours():
    text = "Ik heet Jan Smit echt"
    words = (Word(0.0, 0.2, "Ik"), Word(0.3, 0.5, "heet"), Word(0.6, 0.8, "Jen"), Word(0.9, 1.1, "Smid"), Word(1.2, 1.4, "echt"))
    seg = Segment(0.0, 1.5, "klant", text, 0, words)
    r = span_time_range(seg, PiiSpan.of(text, 8, 16, "NAAM"), margin=0.0)
    assert (r.start, r.end) == pytest.approx((0.5, 1.2))


def test_ranges_are_merged_across_segments():
    a = timed_segment("Met Jan Smit", start=0.0)
    b = timed_segment("Jan Smit zegt u?", start=1.6)
    ranges = spans_to_time_ranges([a, b], [[PiiSpan.of(a.text, 4, 12, "NAAM")], [PiiSpan.of(b.text, 0, 8, "NAAM")]], margin=0.05)
    assert [(r.start, r.end) for r in ranges] == [pytest.approx((0.45, 2.55))]
    assert merge_ranges([TimeRange(3, 4), TimeRange(0, 1), TimeRange(0.5, 2)]) == [TimeRange(0, 2), TimeRange(3, 4)]
    with pytest.raises(ValueError):
        spans_to_time_ranges([a], [])


def test_anonymise_excerpt_end_to_end():
    segs = [
        timed_segment("Goedemiddag, u spreekt met Kees.", start=0.0, speaker="medewerker"),
        timed_segment("Mijn IBAN is NL91 ABNA 0417 1643 00, klopt dat?", start=3.0),
        Segment(9.0, 10.0, "medewerker", "Dank u wel."),
    ]
    ex = anonymise_excerpt(segs, backend="rules")
    assert isinstance(ex, AnonymisedExcerpt)
    assert ex.texts_before == tuple(s.text for s in segs)
    assert ex.texts_after == (
        "Goedemiddag, u spreekt met [NAAM].",
        "Mijn IBAN is [IBAN], klopt dat?",
        "Dank u wel.",
    )
    assert ex.labels_found == {"NAAM": 1, "IBAN": 1}
    # "Kees." is word 4 (2.0–2.4 s); the IBAN is words 3..7 of segment 2 (4.5–6.9 s); plus the margin
    m = DEFAULT_MARGIN
    assert [(r.start, r.end) for r in ex.time_ranges] == [
        pytest.approx((2.0 - m, 2.4 + m)),
        pytest.approx((4.5 - m, 6.9 + m)),
    ]
    assert ex.anonymised_segments[1].text == "Mijn IBAN is [IBAN], klopt dat?"
    assert ex.anonymised_segments[1].words == ()


def test_anonymise_excerpt_applies_curator_edits():
    segs = [timed_segment("Met Kees, ik woon in Utrecht.", start=0.0)]
    first = anonymise_excerpt(segs, backend="rules")
    kees = first.spans[0][0]
    edited = anonymise_excerpt(
        segs,
        extra_spans={0: [PiiSpan.of(segs[0].text, 21, 28, "ADRES")]},
        removed_spans={0: [kees]},
        backend="rules",
    )
    assert edited.texts_after == ("Met Kees, ik woon in [ADRES].",)
    assert len(edited.time_ranges) == 1 and edited.time_ranges[0].start == pytest.approx(2.5 - DEFAULT_MARGIN)
    with pytest.raises(IndexError):
        anonymise_excerpt(segs, extra_spans={3: []}, backend="rules")


def test_a_corrected_word_is_timed_by_the_words_it_replaced():
    """#14.13: "een baker" corrected to "mevrouw Bakker"; the name was spoken over both recognised words."""
    recognised = "Goedemorgen, met een baker. Ik heb gisteren een brief gekregen."
    times = [(2.5, 2.9), (2.95, 3.2), (3.2, 3.46), (3.46, 4.16), (4.4, 4.6), (4.6, 4.9), (4.9, 5.4), (5.4, 5.6), (5.6, 6.0), (6.0, 6.6)]
    words = tuple(Word(a, b, " " + w) for (a, b), w in zip(times, recognised.split()))
    seg = Segment(2.5, 7.0, "klant", "Goedemorgen, met mevrouw Bakker. Ik heb gisteren een brief gekregen.", 1, words)
    at = seg.text.index("Bakker")
    r = span_time_range(seg, PiiSpan.of(seg.text, at, at + 6, "NAAM"), margin=0.0)
    assert r.start <= 3.2 and r.end >= 4.16  # the whole stretch of "een baker"
    assert r.end <= 4.4  # and not the next, correctly recognised word
    # a recognised word is never placed on a later, unrelated occurrence ("een" in "gisteren een")
    ranges = word_char_ranges(seg.text, words)
    assert ranges[2] is None and ranges[7] == (seg.text.index(" een ") + 1, seg.text.index(" een ") + 4)


def test_an_inserted_word_is_timed_by_the_gap_it_was_spoken_in():
    words = (Word(0.0, 0.3, " met"), Word(0.9, 1.2, " hier"))
    seg = Segment(0.0, 1.5, "klant", "met Visser hier", 1, words)
    r = span_time_range(seg, PiiSpan.of(seg.text, 4, 10, "NAAM"), margin=0.0)
    assert (r.start, r.end) == pytest.approx((0.3, 0.9))
