"""The quote rule (domain/quote.py): corrected words, timed by the recognised ones."""

from ksf_review.domain.quote import quote, shown_words
from ksf_review.domain.transcript import Segment, Word


def seg(text_recognised: str, start: float = 10.0, step: float = 0.5, text: str | None = None) -> Segment:
    words, t = [], start
    for w in text_recognised.split():
        words.append(Word(t, t + step - 0.1, " " + w))
        t += step
    return Segment(start, t, "klant", text if text is not None else text_recognised, 1, tuple(words))


def test_uncorrected_segment_quotes_recognised_words_in_range():
    s = seg("mijn naam is bakker van de energie")
    assert quote([s], 11.0, 12.0) == "is bakker"


def test_corrected_word_is_quoted_not_the_recognised_one():
    s = seg("mijn naam is baker van de energie", text="mijn naam is Bakker van de energie")
    assert quote([s], 10.0, 20.0) == "mijn naam is Bakker van de energie"
    assert quote([s], 11.0, 12.0) == "is Bakker"


def test_corrected_line_with_more_and_fewer_words_keeps_timing():
    s = seg("ik heb een vraag over de af rekening", text="ik heb een vraag over de jaarafrekening")
    assert quote([s], 12.5, 14.0) == "de jaarafrekening"
    assert quote([s], 10.0, 11.0) == "ik heb"
    s2 = seg("ja ja dat klopt", text="ja dat klopt precies")
    assert quote([s2], 10.0, 20.0) == "ja dat klopt precies"
    ws = shown_words(s2)
    assert [w.word for w in ws] == ["ja", "dat", "klopt", "precies"]
    assert all(a.start <= b.start for a, b in zip(ws, ws[1:]))


def test_text_turn_without_words_is_quoted_whole():
    turn = Segment(2.0, 3.0, "klant", "Mijn pakket is niet aangekomen", 1)
    assert quote([turn], 2.0, 3.0) == "Mijn pakket is niet aangekomen"
    assert quote([turn], 0.0, 2.0) == ""


def test_quote_is_limited():
    s = seg(" ".join(["woord"] * 200))
    assert len(quote([s], 0, 1000, limit=50)) == 50
