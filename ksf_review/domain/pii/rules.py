"""The regex rules: what a customer-service call adds and a general de-identifier misses.

IBANs (checked with mod-97), postcodes written in lower case by speech recognition,
customer/policy/order numbers after their cue word, ``+31``/``0031`` phone numbers,
spelled-out digits ("nul zes een twee ...") and spelled-out e-mail addresses
("info apenstaartje ..."). Each detector proposes candidates; ``resolve`` picks among them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from . import patterns as pat
from .cues import date_label, number_label, phone_allowed
from .names import NameLists, cued_names, lower_case_names
from .numbers import iban_is_valid, spoken_digits
from .spans import ADRES, EMAIL, IBAN, KLANTNUMMER, NAAM, POSTCODE, TELEFOON

Found = Iterator[tuple[int, int, str]]  # (start, end, label)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    label: str
    source: str  # "rules" or "deduce", for debugging and the evaluation


def _emails(text: str) -> Found:
    for m in [*pat.EMAIL.finditer(text), *pat.SPOKEN_EMAIL.finditer(text)]:
        yield m.start(), m.end(), EMAIL


def _ibans(text: str) -> Found:
    for m in pat.IBAN.finditer(text):
        compact = re.sub(r"\s", "", m.group(0)).upper()
        if iban_is_valid(compact) or pat.NL_IBAN_STRICT.fullmatch(compact):
            yield m.start(), m.end(), IBAN
    for m in pat.NL_IBAN_LOOSE.finditer(text):
        yield m.start(), m.end(), IBAN


def _phones(text: str) -> Found:
    for m in pat.PHONE.finditer(text):
        if phone_allowed(text, m.start(), m.group(0)):
            yield m.start(), m.end(), TELEFOON


def _dates(text: str) -> Found:
    for m in [*pat.DATE.finditer(text), *pat.SPOKEN_DATE.finditer(text)]:
        yield m.start(), m.end(), date_label(text, m.start(), m.end())


def _postcodes(text: str) -> Found:
    """Postcodes, and the house number said right after one ("1234 AB nummer 8")."""
    for m in pat.POSTCODE.finditer(text):
        letters = m.group(2)
        if letters.islower() and letters in pat.NOT_POSTCODE_LETTERS:
            continue
        if letters.isupper() and letters in ("SA", "SD", "SS"):
            continue  # never issued
        yield m.start(), m.end(), POSTCODE
        house = pat.NUMBER_AFTER_POSTCODE.match(text, m.end())
        if house:
            yield house.start(1), house.end(1), ADRES


def _addresses(text: str) -> Found:
    for m in pat.STREET.finditer(text):
        yield m.start(), m.end(), ADRES
    for m in pat.HOUSE_NUMBER_CUE.finditer(text):
        yield m.start(1), m.end(1), ADRES


def _is_amount(text: str, m: re.Match) -> bool:
    """'25 euro', '€ 25', '3 dagen': a number that is no identifier."""
    return bool(pat.AMOUNT_AFTER.match(text, m.end()) or re.search(r"€\s*$", text[max(0, m.start() - 3) : m.start()]))


def _digit_runs(text: str) -> Found:
    for m in pat.DIGIT_RUN.finditer(text):
        if _is_amount(text, m):
            continue
        label = number_label(text, m.start(), re.sub(r"\D", "", m.group(0)))
        if label:
            yield m.start(), m.end(), label


def _spoken(text: str) -> Found:
    """Postcodes read out digit by digit, and numbers of six digits or more said in words."""
    for m in pat.SPACED_POSTCODE.finditer(text):
        yield m.start(1), m.end(1), POSTCODE
    for m in pat.SPOKEN_NUMBER.finditer(text):
        digits = spoken_digits(m.group(0))
        if not digits or len(digits) < 6:
            continue
        yield m.start(), m.end(), number_label(text, m.start(), digits) or KLANTNUMMER


_DETECTORS: tuple[Callable[[str], Found], ...] = (
    _emails,
    _ibans,
    _phones,
    _dates,
    _postcodes,
    _addresses,
    _digit_runs,
    _spoken,
)


def rule_candidates(text: str, names: NameLists = NameLists()) -> list[Candidate]:
    """Every rule's proposals for ``text`` (overlapping; ``resolve`` chooses)."""
    out = [Candidate(s, e, label, "rules") for detect in _DETECTORS for s, e, label in detect(text)]
    out += [Candidate(s, e, NAAM, "rules") for s, e in lower_case_names(text, names)]
    out += [Candidate(s, e, NAAM, "rules") for s, e in cued_names(text)]
    return out
