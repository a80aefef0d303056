"""Tags: time-ranged evidence for a checklist item, and the time-range maths they need.

A tag says "this passage (start–end seconds) is positive/negative evidence for item X".
Text conversations use turn indices as their timeline (turn i spans [i, i+1)), so the
same maths serves audio and chat/e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Polarity(StrEnum):
    POSITIVE = "+"
    NEGATIVE = "-"

    @property
    def label(self) -> str:
        return "positief" if self is Polarity.POSITIVE else "negatief"

    @classmethod
    def parse(cls, raw: str) -> "Polarity":
        v = str(raw).strip()
        if v in ("+", "pos", "positief", "positive"):
            return cls.POSITIVE
        if v in ("-", "−", "neg", "negatief", "negative"):
            return cls.NEGATIVE
        raise ValueError(f"onbekende polariteit {raw!r} (gebruik + of -)")


class TagOrigin(StrEnum):
    MANUAL = "manual"
    SUGGESTION = "suggestion-accepted"


@dataclass(frozen=True)
class TimeRange:
    start: float
    end: float

    def __post_init__(self):
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"ongeldig tijdsbereik {self.start:.2f}–{self.end:.2f}")

    @property
    def duration(self) -> float:
        return self.end - self.start

    def overlap(self, other: "TimeRange") -> float:
        return max(0.0, min(self.end, other.end) - max(self.start, other.start))

    def iou(self, other: "TimeRange") -> float:
        inter = self.overlap(other)
        union = self.duration + other.duration - inter
        return inter / union if union > 0 else (1.0 if self == other else 0.0)

    def padded(self, before: float, after: float, limit: float | None = None) -> "TimeRange":
        end = self.end + after
        if limit is not None:
            end = min(end, limit)
        return TimeRange(max(0.0, self.start - before), max(end, max(0.0, self.start - before)))


@dataclass(frozen=True)
class TagData:
    """A tag as plain data (what exporters, statistics and the report work on)."""

    start: float
    end: float
    item: str
    polarity: Polarity
    note: str = ""
    examiner: str = ""
    speaker: str = ""
    quote: str = ""  # the transcript words it covers, as corrected (domain.quote)

    @property
    def range(self) -> TimeRange:
        return TimeRange(self.start, self.end)


def format_time(seconds: float) -> str:
    """0:00-style clock for the UI and reports (m:ss, or h:mm:ss past an hour)."""
    seconds = max(0.0, float(seconds))
    total = int(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_turns(start: float, end: float) -> str:
    """A chat/e-mail range, 1-based as the transcript numbers its turns: turn i spans [i - 1, i),
    so [1, 2) is "beurt 2" (not "beurt 2–2") and [1, 3) is "beurt 2–3"."""
    first = int(start) + 1
    last = max(first, int(round(end)))
    return f"beurt {first}" if last == first else f"beurt {first}–{last}"


def format_clock(seconds: float) -> str:
    """Tag times to a tenth of a second, `m:ss.s` (or `h:mm:ss.s` past an hour) (#19.5).

    The inverse of parse_clock: what the edit form shows is what it reads back.
    """
    tenths = int(round(max(0.0, float(seconds)) * 10))
    whole, tenth = divmod(tenths, 10)
    h, rem = divmod(whole, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}.{tenth}" if h else f"{m}:{s:02d}.{tenth}"


def format_span(start: float, end: float, audio: bool = True) -> str:
    """A markering's range as every screen and the PDF report show it (one formatter, so the same
    markering reads the same everywhere): `m:ss.s–m:ss.s` in a recording, "beurt i–j" in a chat or e-mail."""
    return f"{format_clock(start)}–{format_clock(end)}" if audio else format_turns(start, end)


def parse_clock(text: str) -> float:
    """Read a time as typed: `m:ss.s`, `h:mm:ss.s`, or plain seconds; a decimal comma is fine.

    Raises ValueError with a Dutch message that says what is expected.
    """
    raw = str(text).strip().replace(",", ".")
    problem = f"'{text}' is geen tijd; schrijf minuten:seconden, bijv. 1:02.5"
    parts = raw.split(":")
    if not raw or len(parts) > 3:
        raise ValueError(problem)
    try:
        sec = float(parts[-1])
        units = [int(p) for p in parts[:-1]]
    except ValueError as exc:
        raise ValueError(problem) from exc
    if sec != sec or sec < 0 or any(u < 0 for u in units) or sec == float("inf"):
        raise ValueError(problem)
    if units and sec >= 60:
        raise ValueError(f"'{text}': de seconden moeten onder de 60 blijven")
    if len(units) == 2 and units[1] >= 60:
        raise ValueError(f"'{text}': de minuten moeten onder de 60 blijven")
    total = sec
    for i, u in enumerate(reversed(units)):
        total += u * 60 ** (i + 1)
    return round(total, 3)
