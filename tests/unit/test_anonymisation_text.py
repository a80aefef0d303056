"""PII detection in Dutch customer-service text: figures on the gold set, and the rules' edges.

The fast tests use the regex backend only; the deduce backend takes ~8 s to load its lookup
lists (and minutes for the whole gold set), so its evaluation is in
tests/integration/test_anonymisation_deduce.py.
"""

import time
from pathlib import Path

import pytest

from ksf_review.adapters.anonymisation.evaluation import evaluate, load_gold
from ksf_review.adapters.anonymisation.text import (
    LABELS,
    PiiSpan,
    apply_redaction,
    bsn_is_valid,
    detect_pii,
    edit_spans,
    iban_is_valid,
    merge_spans,
    spoken_digits,
)

GOLD = Path(__file__).resolve().parents[1] / "data" / "pii_sentences.json"


@pytest.fixture(scope="module")
def sentences():
    return load_gold(GOLD)


def rules(text):
    return detect_pii(text, backend="rules")


# ---------------------------------------------------------------- the gold file itself


def test_gold_file_is_consistent(sentences):
    assert sum(1 for s in sentences if s["spans"]) >= 40
    assert sum(1 for s in sentences if not s["spans"]) >= 10
    for s in sentences:
        for g in s["spans"]:
            assert s["text"][g["start"] : g["end"]] == g["text"], s["id"]
            assert g["label"] in LABELS


# ---------------------------------------------------------------- figures


def test_rules_precision_recall(sentences):
    report = evaluate(sentences, rules)
    print("\nrules backend, all sentences\n" + report.table())
    # measured: label-matched P 1.00 / R 0.96, characters P 0.99 / R 0.98 (docs/anonymisation.md)
    assert report.overall.recall >= 0.94
    assert report.overall.precision >= 0.97
    assert report.char_recall >= 0.96
    assert report.char_precision >= 0.97
    for label in ("IBAN", "E-MAIL", "BSN", "TELEFOON", "POSTCODE", "KLANTNUMMER"):
        assert report.per_label[label].recall == 1.0, label


def test_rules_make_no_false_alarms_on_clean_sentences(sentences):
    clean = [s for s in sentences if not s["spans"]]
    noisy = {s["text"]: rules(s["text"]) for s in clean if rules(s["text"])}
    assert noisy == {}


# ---------------------------------------------------------------- rules, one by one


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mijn IBAN is NL91 ABNA 0417 1643 00.", ("NL91 ABNA 0417 1643 00", "IBAN")),
        ("iban nl91abna0417164300 graag", ("nl91abna0417164300", "IBAN")),
        ("Bel 06-12345678 maar", ("06-12345678", "TELEFOON")),
        ("op +31 (0)20 1234567 bereikbaar", ("+31 (0)20 1234567", "TELEFOON")),
        ("postcode 1234 ab toch", ("1234 ab", "POSTCODE")),
        ("mail naar a.b@c.nl graag", ("a.b@c.nl", "E-MAIL")),
        ("BSN 111222333 klopt", ("111222333", "BSN")),
        ("klantnummer: 12 34 56 78", ("12 34 56 78", "KLANTNUMMER")),
        ("geboren op 1-2-1999", ("1-2-1999", "GEBOORTEDATUM")),
        ("Mijn nummer is nul zes een twee drie vier vijf zes zeven acht", ("nul zes een twee drie vier vijf zes zeven acht", "TELEFOON")),
        # transcription-style: lower case, fillers, digits read out one by one
        ("ja goedemiddag met eh marieke de vries", ("marieke de vries", "NAAM")),
        ("dank u wel meneer jansen", ("jansen", "NAAM")),
        ("uh mijn postcode is 2 5 1 1 c v", ("2 5 1 1 c v", "POSTCODE")),
        ("rekeningnummer NL 91 ABNA 041 716 4300", ("NL 91 ABNA 041 716 4300", "IBAN")),
        ("geboren op twaalf maart negentienzeventig", ("twaalf maart negentienzeventig", "GEBOORTEDATUM")),
        ("mail naar m punt peters at kpn mail punt nl", ("m punt peters at kpn mail punt nl", "E-MAIL")),
    ],
)
def test_single_detections(text, expected):
    spans = rules(text)
    assert [(s.text, s.label) for s in spans] == [expected]
    assert all(text[s.start_char : s.end_char] == s.text for s in spans)


@pytest.mark.parametrize(
    "text",
    [
        "Klopt dat?",
        "Ik bel om 10 uur terug.",
        "Het bedrag is € 125,50.",
        "Het bedrag is 125000 euro.",
        "Dat was in 2019 en toen ging het mis.",
        "Bel ons gratis op 0800-0123.",
        "De levering is op 12 maart.",
        "Ik heb een twee drie keer gebeld.",  # too few spoken digits
        "Dat is artikel 6 van de AVG.",
        "ja met de afdeling schade graag",
        "dank u wel mevrouw fijne dag nog",
        "Ik heb het in het Bel-Me-Niet Register gezet.",
    ],
)
def test_traps_are_left_alone(text):
    assert rules(text) == []


def test_malformed_nl_iban_is_still_redacted_but_foreign_needs_checksum():
    assert [s.label for s in rules("NL91 ABNA 0417 1643 01")] == ["IBAN"]  # checksum wrong, NL form
    assert all(s.label != "IBAN" for s in rules("code DE00 1234 5678 9012 3456 78 ok"))
    assert [s.label for s in rules("DE89 3704 0044 0532 0130 00")] == ["IBAN"]


def test_cue_word_decides_the_label_of_a_number():
    assert rules("Mijn klantnummer is 0612345678")[0].label == "KLANTNUMMER"
    assert rules("Mijn nummer is 0612345678")[0].label == "TELEFOON"
    assert rules("dossiernummer 556677889")[0].label == "KLANTNUMMER"  # not elfproef-valid
    assert rules("nummer 111222333")[0].label == "BSN"  # elfproef-valid, no cue


def test_names_keep_the_honorific_outside_the_placeholder():
    text = "Dank u wel, mevrouw De Boer."
    assert apply_redaction(text, rules(text)) == "Dank u wel, mevrouw [NAAM]."
    assert rules("U spreekt met De klantenservice.") == []


def test_checksums():
    assert iban_is_valid("NL91 ABNA 0417 1643 00")
    assert not iban_is_valid("NL91 ABNA 0417 1643 01")
    assert bsn_is_valid("111222333") and bsn_is_valid("1234.56.782")
    assert not bsn_is_valid("123456789") and not bsn_is_valid("000000000")


def test_spoken_digits():
    assert spoken_digits("nul zes, twaalf, vierendertig, zesenvijftig") == "06123456"
    assert spoken_digits("één tweeëntwintig") == "122"
    assert spoken_digits("nul zes banaan") is None


# ---------------------------------------------------------------- redaction and curator edits


def test_apply_redaction_merges_overlaps_and_keeps_the_rest():
    text = "Jan Smit, NL91 ABNA 0417 1643 00, klopt dat?"
    spans = [
        PiiSpan.of(text, 0, 8, "NAAM"),
        PiiSpan.of(text, 10, 32, "IBAN"),
        PiiSpan.of(text, 20, 32, "TELEFOON"),  # overlapping, lower priority
    ]
    assert apply_redaction(text, spans) == "[NAAM], [IBAN], klopt dat?"
    merged = merge_spans(spans, text)
    assert [(m.label, m.text) for m in merged] == [("NAAM", "Jan Smit"), ("IBAN", "NL91 ABNA 0417 1643 00")]
    assert apply_redaction(text, []) == text


def test_curator_can_add_and_remove_spans():
    text = "Met Kees van de Pol, ik woon in Utrecht."
    detected = rules(text)
    assert [s.text for s in detected] == ["Kees van de Pol"]
    added = [PiiSpan.of(text, 32, 39, "ADRES")]
    assert apply_redaction(text, edit_spans(detected, added)) == "Met [NAAM], ik woon in [ADRES]."
    assert apply_redaction(text, edit_spans(detected, removed=detected)) == text


def test_pii_span_validates():
    with pytest.raises(ValueError):
        PiiSpan(3, 3, "NAAM", "")
    with pytest.raises(ValueError):
        PiiSpan(0, 3, "ONBEKEND", "abc")
    assert PiiSpan(0, 3, "E-MAIL", "a@b").placeholder == "[E-MAIL]"


# ---------------------------------------------------------------- robustness

PATHOLOGICAL = {  # inputs that made earlier rule sets backtrack or loop: each of n repeats
    "letters": lambda n: "A" * (2 * n),
    "name cue": lambda n: "Van " * n + "x",
    "capitals": lambda n: "Aaaa " * n,
    "spoken zero": lambda n: "nul " * n,
    "digits": lambda n: "1 " * n,
    "title": lambda n: "Mevrouw " + "aa " * n,
}


def _work(text: str) -> float:
    """The CPU time this thread spends on the rules (best of three): not the wall clock, so a
    loaded machine does not count, only what the rules do."""
    best = float("inf")
    for _ in range(3):
        t0 = time.thread_time()
        rules(text)
        best = min(best, time.thread_time() - t0)
    return best


@pytest.mark.parametrize("make", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_input_takes_linear_work(make):
    """Four times the input costs about four times the work (measured 3.6-4.1); quadratic rules
    (or regex backtracking) would cost sixteen times. A ratio, so it holds on any machine."""
    rules("warm up: Van Dijk, 1234 AB, nul zes")
    small, large = _work(make(300)), _work(make(1200))
    assert large <= 8 * max(small, 1e-4), (small, large)


def test_without_deduce_auto_falls_back_to_rules(monkeypatch):
    import ksf_review.adapters.anonymisation.text as mod

    monkeypatch.setattr(mod, "_deduce_instance", None)
    monkeypatch.setattr(mod, "_deduce_failed", True)
    text = "Met Kees, mijn IBAN is NL91 ABNA 0417 1643 00."
    assert detect_pii(text) == rules(text)
    with pytest.raises(RuntimeError):
        detect_pii(text, backend="deduce")
    with pytest.raises(ValueError):
        detect_pii(text, backend="spacy")


def test_redaction_properties():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=100, deadline=None)
    @given(st.text(alphabet="ab ,.", min_size=1, max_size=40), st.data())
    def check(text, data):
        n = len(text)
        raw = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, n)), max_size=5))
        spans = [PiiSpan.of(text, min(a, b - 1), max(a + 1, b), "NAAM") for a, b in raw if max(a + 1, b) <= n]
        merged = merge_spans(spans, text)
        for x, y in zip(merged, merged[1:]):
            assert x.end_char <= y.start_char  # sorted, no overlaps
        covered = {i for s in spans for i in range(s.start_char, s.end_char)}
        out = apply_redaction(text, spans)
        assert out.count("[NAAM]") == len(merged)
        assert out.replace("[NAAM]", "") == "".join(c for i, c in enumerate(text) if i not in covered)

    check()
