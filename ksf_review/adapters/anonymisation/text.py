"""Find personal data in Dutch customer-service text: ``deduce`` plus the domain's rules.

Two layers, because neither is enough alone:

* ``deduce`` (a maintained Dutch de-identification library, built for medical text) finds
  names, streets, dates, phone numbers, e-mail addresses and BSNs with large lookup lists.
  Loading it takes several seconds (it unpickles its lists), so it is loaded once, lazily.
  This module wraps it: loading, and translating its annotations into candidates.
* The regex rules (``ksf_review.domain.pii``) catch what a customer-service call adds and
  deduce misses; deduce's name lists let them find names speech recognition wrote in
  lower case.

Every detector proposes candidate spans; overlaps are resolved by label priority, so an
IBAN beats the "phone number" deduce sees inside it.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from typing import Callable

from ksf_review.domain.pii import (
    LABEL_DESCRIPTIONS,
    LABELS,
    NameLists,
    PiiSpan,
    apply_redaction,
    bsn_is_valid,
    edit_spans,
    iban_is_valid,
    merge_spans,
    resolve,
    rule_candidates,
    spoken_digits,
)
from ksf_review.domain.pii import patterns as pat
from ksf_review.domain.pii.cues import date_label, number_label, phone_allowed
from ksf_review.domain.pii.names import strip_name_prefixes
from ksf_review.domain.pii.rules import Candidate
from ksf_review.domain.pii.spans import ADRES, BSN, EMAIL, NAAM, POSTCODE, TELEFOON

__all__ = [
    "LABELS",
    "LABEL_DESCRIPTIONS",
    "PiiSpan",
    "apply_redaction",
    "bsn_is_valid",
    "deduce_available",
    "deduce_loaded",
    "detect_pii",
    "edit_spans",
    "iban_is_valid",
    "merge_spans",
    "spoken_digits",
    "warm_up",
]

log = logging.getLogger(__name__)

_name_lists: NameLists | None = None


def _names() -> NameLists:
    """deduce's first names and surnames (empty without deduce)."""
    global _name_lists
    if _name_lists is None:
        first: list[str] = []
        last: list[str] = []
        try:
            from importlib import resources

            base = resources.files("deduce") / "data" / "lookup" / "src" / "names"
            first = (base / "lst_first_name" / "items.txt").read_text("utf-8").splitlines()
            last = (base / "lst_surname" / "items.txt").read_text("utf-8").splitlines()
        except Exception:  # pragma: no cover - deduce missing or laid out differently
            pass
        _name_lists = NameLists.from_lines(first, last)
    return _name_lists


# ---------------------------------------------------------------- deduce

_deduce_lock = threading.Lock()
_deduce_instance = None
_deduce_failed = False


def deduce_available() -> bool:
    """True when the deduce package can be imported (it is optional at run time)."""
    try:
        import deduce  # noqa: F401
    except Exception:  # pragma: no cover - depends on the environment
        return False
    return True


def _build_deduce():
    from deduce import Deduce

    return Deduce()


def load_out_of_collectors_way(build):
    """``build()`` with the garbage collector paused, then everything it kept frozen.

    deduce keeps ~4.5 million Python objects (its lookup tries) alive for the life of the
    process. Left in the collector's generations, every full collection walks all of them:
    Streamlit runs ``gc.collect(2)`` after every script run, so each click of every user
    cost seconds more once anyone had opened the Bibliotheek. ``gc.freeze()`` moves them
    to the permanent generation, which collections skip; pausing the collector while
    building avoids the repeated full collections the allocations would otherwise trigger.
    Frozen objects are never freed, which is what a process-wide model wants anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        model = build()
        gc.freeze()
        return model
    finally:
        if was_enabled:
            gc.enable()


def _get_deduce():
    """The shared Deduce instance, built on first use (takes ~5–30 s; a first install builds
    its lookup cache once, 1–5 min). None when deduce is missing or fails to load."""
    global _deduce_instance, _deduce_failed
    if _deduce_instance is not None or _deduce_failed:
        return _deduce_instance
    with _deduce_lock:
        if _deduce_instance is None and not _deduce_failed:
            try:
                _deduce_instance = load_out_of_collectors_way(_build_deduce)
            except Exception as exc:  # pragma: no cover - depends on the environment
                log.warning("deduce kon niet worden geladen, alleen regels worden gebruikt: %s", exc)
                _deduce_failed = True
    return _deduce_instance


def deduce_loaded() -> bool:
    """True once deduce is in memory (the page can then promise a quick preview)."""
    return _deduce_instance is not None


def warm_up() -> bool:
    """Load deduce now (call from a background thread or a cached resource in the UI)."""
    return _get_deduce() is not None


# ---------------------------------------------------------------- deduce's annotations

Span = tuple[int, int, str]  # (start, end, label)


def _person(text: str, start: int, end: int) -> Span | None:
    start, end = strip_name_prefixes(text, start, end)
    return (start, end, NAAM) if end > start else None


def _location(text: str, start: int, end: int) -> Span | None:
    """A postcode or a street; a bare place name ("Utrecht") identifies nobody: kept."""
    chunk = text[start:end]
    pc = pat.POSTCODE.search(chunk)
    if pc and pc.start() == 0:
        return start, start + pc.end(), POSTCODE
    if re.search(r"\d", chunk) or pat.STREET_WORD.search(chunk):
        return start, end, ADRES
    return None


def _date(text: str, start: int, end: int) -> Span | None:
    if re.search(r"\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2}\b", text[start:end]):
        return start, end, date_label(text, start, end)
    return None


def _phone(text: str, start: int, end: int) -> Span | None:
    return (start, end, TELEFOON) if phone_allowed(text, start, text[start:end]) else None


def _identifier(text: str, start: int, end: int) -> Span | None:
    label = number_label(text, start, re.sub(r"\D", "", text[start:end]))
    return (start, end, label) if label else None


#: deduce's tag → how it becomes a candidate; leeftijd, url, ziekenhuis, zorginstelling are
#: no personal data in this setting and are left out
_BY_TAG: dict[str, Callable[[str, int, int], Span | None]] = {
    "persoon": _person,
    "patient": _person,
    "locatie": _location,
    "datum": _date,
    "telefoonnummer": _phone,
    "emailadres": lambda text, start, end: (start, end, EMAIL),
    "bsn": lambda text, start, end: (start, end, BSN),
    "id": _identifier,
}


def _deduce_candidates(text: str) -> list[Candidate]:
    model = _get_deduce()
    if model is None:
        return []
    out: list[Candidate] = []
    for ann in model.deidentify(text).annotations:
        handle = _person if "naam" in ann.tag else _BY_TAG.get(ann.tag)
        found = handle(text, ann.start_char, ann.end_char) if handle else None
        if found:
            out.append(Candidate(*found, "deduce"))
    return out


def detect_pii(text: str, *, backend: str = "auto") -> list[PiiSpan]:
    """Personal data in ``text``, sorted, non-overlapping.

    backend: ``"auto"`` (deduce + rules when deduce is installed, rules otherwise),
    ``"deduce"`` (the same, but failing loudly without deduce) or ``"rules"`` (regex only,
    instant; misses names without a cue word and streets without a street suffix).
    """
    if backend not in ("auto", "deduce", "rules"):
        raise ValueError(f"onbekende backend {backend!r}")
    if not text or not text.strip():
        return []
    candidates = rule_candidates(text, _names())
    if backend != "rules":
        if backend == "deduce" and _get_deduce() is None:
            raise RuntimeError("deduce is niet geïnstalleerd of kon niet laden")
        candidates += _deduce_candidates(text)
    return resolve(text, candidates)
