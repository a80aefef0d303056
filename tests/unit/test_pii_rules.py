"""The pure personal-data rules (``domain.pii``) and how deduce's findings become candidates.

The rules run without deduce; deduce's name lists are passed in. The adapter translates
deduce's annotation tags into labels (checked here with a stand-in model, no lookup lists).
"""

from types import SimpleNamespace

import pytest

from ksf_review.adapters.anonymisation import text as adapter
from ksf_review.domain.pii import NameLists, PiiSpan, apply_redaction, resolve, rule_candidates


def _found(text, names=NameLists()):
    return [(text[s.start_char : s.end_char], s.label) for s in resolve(text, rule_candidates(text, names))]


def test_lower_case_names_need_the_name_lists():
    text = "goedemiddag, u spreekt met jansen van de klantenservice"
    assert _found(text) == []
    names = NameLists.from_lines(["Piet", "de"], ["van der Jansen", "Jansen"])
    assert names.last == frozenset({"jansen"}) and "de" not in names.first  # frequent words are no names
    assert _found(text, names) == [("jansen", "NAAM")]


def test_rules_alone_find_numbers_by_their_cue():
    text = "Mijn klantnummer is 123456 en mijn IBAN NL91 ABNA 0417 1643 00."
    assert _found(text) == [("123456", "KLANTNUMMER"), ("NL91 ABNA 0417 1643 00", "IBAN")]


def test_redaction_lives_in_the_domain():
    text = "Bel 06-12345678"
    assert apply_redaction(text, [PiiSpan.of(text, 4, 15, "TELEFOON")]) == "Bel [TELEFOON]"


class _Model:
    """Stands in for deduce: returns fixed annotations (tag, start, end)."""

    def __init__(self, annotations):
        self._anns = [SimpleNamespace(tag=t, start_char=s, end_char=e) for t, s, e in annotations]

    def deidentify(self, text):
        return SimpleNamespace(annotations=self._anns)


@pytest.mark.parametrize(
    "text, tag, word, expected",
    [
        ("Dag mevrouw Jansen hoor", "persoon", "mevrouw Jansen", ("Jansen", "NAAM")),  # honorific stays out
        ("Dag mevrouw Jansen hoor", "achternaam_patient", "mevrouw Jansen", ("Jansen", "NAAM")),
        ("Ik woon in 1234 AB Utrecht", "locatie", "1234 AB Utrecht", ("1234 AB", "POSTCODE")),
        ("Ik woon in de Kerkstraat", "locatie", "Kerkstraat", ("Kerkstraat", "ADRES")),
        ("Ik woon in Utrecht", "locatie", "Utrecht", None),  # a place name identifies nobody
        ("geboren op 3-4-1970 ja", "datum", "3-4-1970", ("3-4-1970", "GEBOORTEDATUM")),
        ("tot maandag", "datum", "maandag", None),
        ("bel 0612345678 maar", "telefoonnummer", "0612345678", ("0612345678", "TELEFOON")),
        ("bel 0800 1234 maar", "telefoonnummer", "0800 1234", None),  # a service number
        ("mail a@b.nl", "emailadres", "a@b.nl", ("a@b.nl", "E-MAIL")),
        ("nummer 111222333", "bsn", "111222333", ("111222333", "BSN")),
        ("ordernummer 5566778 graag", "id", "5566778", ("5566778", "KLANTNUMMER")),
        ("ik ben 45 jaar", "leeftijd", "45 jaar", None),
    ],
)
def test_deduce_annotations_become_candidates(monkeypatch, text, tag, word, expected):
    start = text.index(word)
    monkeypatch.setattr(adapter, "_get_deduce", lambda: _Model([(tag, start, start + len(word))]))
    found = [(text[c.start : c.end], c.label) for c in adapter._deduce_candidates(text)]
    assert found == ([expected] if expected else [])
