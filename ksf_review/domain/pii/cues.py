"""Cue words near a value decide its label: "klantnummer 123456" is no phone number."""

from __future__ import annotations

import re

from . import patterns as pat
from .numbers import bsn_is_valid
from .spans import BSN, DATUM, GEBOORTEDATUM, KLANTNUMMER, TELEFOON


def cue_before(text: str, start: int, cues: str, window: int = pat.CUE_WINDOW) -> bool:
    before = text[max(0, start - window) : start]
    return re.search(cues, before, re.IGNORECASE) is not None


def date_label(text: str, start: int, end: int) -> str:
    """GEBOORTEDATUM when a birth cue is near (before, or just after: "... geboren")."""
    after = text[end : end + pat.CUE_AFTER_WINDOW]
    if cue_before(text, start, pat.BIRTH_CUES) or re.search(pat.BIRTH_CUES, after, re.IGNORECASE):
        return GEBOORTEDATUM
    return DATUM


def closest_cue(text: str, start: int) -> str | None:
    """Label implied by the nearest cue word before ``start`` (None when there is none)."""
    before = text[max(0, start - pat.CUE_WINDOW) : start].lower()
    best: tuple[int, str] | None = None
    for cues, label in ((pat.ID_CUES, KLANTNUMMER), (pat.BSN_CUES, BSN), (pat.PHONE_CUES, TELEFOON)):
        for m in re.finditer(cues, before, re.IGNORECASE):
            if best is None or m.end() > best[0]:
                best = (m.end(), label)
    return best[1] if best else None


def number_label(text: str, start: int, digits: str) -> str | None:
    """Label for a run of ``digits`` found at ``start`` (cue words first, then shape)."""
    cue = closest_cue(text, start)
    n = len(digits)
    if pat.SERVICE_NUMBER.match(digits) and cue != KLANTNUMMER:
        return None
    if cue == BSN:
        return BSN
    if cue == KLANTNUMMER and n >= 4:
        return KLANTNUMMER
    if cue == TELEFOON and n >= 9:
        return TELEFOON
    if n == 10 and digits.startswith("0") or digits.startswith(("31", "0031")) and n in (11, 13):
        return TELEFOON
    if n == 9 and bsn_is_valid(digits):
        return BSN
    if n >= 6:
        return KLANTNUMMER
    return None


def phone_allowed(text: str, start: int, value: str) -> bool:
    """A phone-shaped value is a person's number unless it is a service number or another
    cue (klantnummer, BSN) is closer."""
    return not pat.SERVICE_NUMBER.match(value) and closest_cue(text, start) in (None, TELEFOON)
