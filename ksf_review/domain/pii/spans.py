"""Personal-data spans: the labels (Dutch placeholder names), a span, and redaction.

Labels are the placeholder names shown to the curator (``NAAM`` → ``[NAAM]``). Their order
is their priority: the winner when two different labels overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

NAAM = "NAAM"
ADRES = "ADRES"
POSTCODE = "POSTCODE"
TELEFOON = "TELEFOON"
EMAIL = "E-MAIL"
IBAN = "IBAN"
GEBOORTEDATUM = "GEBOORTEDATUM"
DATUM = "DATUM"
KLANTNUMMER = "KLANTNUMMER"
BSN = "BSN"

#: all labels, highest priority first (the winner when two different labels overlap)
LABELS: tuple[str, ...] = (
    IBAN,
    EMAIL,
    BSN,
    TELEFOON,
    GEBOORTEDATUM,
    DATUM,
    POSTCODE,
    KLANTNUMMER,
    ADRES,
    NAAM,
)
PRIORITY = {label: len(LABELS) - i for i, label in enumerate(LABELS)}

#: Dutch descriptions for the curator UI
LABEL_DESCRIPTIONS = {
    NAAM: "naam",
    ADRES: "adres (straat en huisnummer)",
    POSTCODE: "postcode",
    TELEFOON: "telefoonnummer",
    EMAIL: "e-mailadres",
    IBAN: "rekeningnummer (IBAN)",
    GEBOORTEDATUM: "geboortedatum",
    DATUM: "datum",
    KLANTNUMMER: "klant-, polis-, contract- of ordernummer",
    BSN: "burgerservicenummer (BSN)",
}


@dataclass(frozen=True)
class PiiSpan:
    """A stretch of personal data: ``text[start_char:end_char]`` gets ``[label]``."""

    start_char: int
    end_char: int
    label: str
    text: str

    def __post_init__(self):
        if self.label not in PRIORITY:
            raise ValueError(f"onbekend label {self.label!r} (kies uit {', '.join(LABELS)})")
        if self.start_char < 0 or self.end_char <= self.start_char:
            raise ValueError(f"ongeldige tekenpositie {self.start_char}–{self.end_char}")

    @property
    def placeholder(self) -> str:
        return f"[{self.label}]"

    def overlaps(self, other: "PiiSpan") -> bool:
        return self.start_char < other.end_char and other.start_char < self.end_char

    @classmethod
    def of(cls, text: str, start: int, end: int, label: str) -> "PiiSpan":
        """Span over ``text[start:end]`` (the curator's "add" button uses this)."""
        return cls(start, end, label, text[start:end])


def merge_spans(spans: Sequence[PiiSpan], text: str | None = None) -> list[PiiSpan]:
    """Sort and merge overlapping spans (curator additions may overlap detections).

    A merged span takes the label with the highest priority among its parts.
    """
    ordered = sorted(spans, key=lambda s: (s.start_char, s.end_char))
    merged: list[PiiSpan] = []
    for span in ordered:
        if merged and span.start_char < merged[-1].end_char:
            prev = merged[-1]
            end = max(prev.end_char, span.end_char)
            label = max((prev.label, span.label), key=lambda lb: PRIORITY[lb])
            if text is not None:
                body = text[prev.start_char : end]
            else:
                body = prev.text + span.text[max(0, prev.end_char - span.start_char) :]
            merged[-1] = PiiSpan(prev.start_char, end, label, body)
        else:
            merged.append(span)
    return merged


def apply_redaction(text: str, spans: Sequence[PiiSpan]) -> str:
    """``text`` with every span replaced by its placeholder (overlaps merged first)."""
    out, cursor = [], 0
    for span in merge_spans([s for s in spans if s.start_char < len(text)], text):
        out.append(text[cursor : span.start_char])
        out.append(span.placeholder)
        cursor = max(cursor, min(span.end_char, len(text)))
    out.append(text[cursor:])
    return "".join(out)


def edit_spans(
    detected: Sequence[PiiSpan],
    added: Sequence[PiiSpan] = (),
    removed: Sequence[PiiSpan] = (),
) -> list[PiiSpan]:
    """Apply the curator's edits: drop detections that overlap a removed span, add the rest."""
    kept = [d for d in detected if not any(d.overlaps(r) for r in removed)]
    return sorted([*kept, *added], key=lambda s: (s.start_char, s.end_char))
