"""Chat and e-mail conversations as text: one turn per line with a speaker prefix.

Accepted lines: `M: …` / `K: …`, `Medewerker: …` / `Klant: …`, `Agent:` / `Customer:`,
optionally preceded by a time `[10:02]` or `10:02`. A line without a prefix continues the
previous turn (e-mails span several lines). Text with no recognisable turn is refused.

A line that *looks* like a turn but has a prefix we do not know (`Jan: …`, `Klant Visser: …`)
is most likely a turn of its own, typed another way: it is kept with the previous turn, as
any continuation line, but reported with its line number (`inspect_turns`) so the examiner
decides before the import. Lines before the first turn are reported too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .transcript import AGENT, CUSTOMER, Segment

_SPEAKERS = {
    "m": AGENT,
    "medewerker": AGENT,
    "agent": AGENT,
    "mw": AGENT,
    "k": CUSTOMER,
    "klant": CUSTOMER,
    "customer": CUSTOMER,
}
_LINE = re.compile(r"^\s*(?:\[?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)\]?\s*)?(?P<spk>[A-Za-z]+)\s*[:>]\s*(?P<text>.*)$")


#: a line that starts like a turn (one to three words, then a colon) but not with a known speaker
_UNKNOWN_PREFIX = re.compile(r"^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s*)?(?P<label>[^\W\d_][\w.'-]*(?:\s[\w.'()-]+){0,2})\s*:(?!//)")


class TurnParseError(ValueError):
    """No usable turns in the text (message in Dutch)."""


@dataclass(frozen=True)
class Turn:
    index: int
    speaker: str
    text: str
    timestamp: str = ""

    def as_segment(self) -> Segment:
        """Text conversations use the turn index as their timeline: turn i spans [i, i+1)."""
        return Segment(
            start=float(self.index),
            end=float(self.index + 1),
            speaker=self.speaker,
            text=self.text,
            channel=0 if self.speaker == AGENT else 1,
        )


@dataclass(frozen=True)
class LineWarning:
    """A line the examiner should look at before importing (1-based line number)."""

    line: int
    text: str
    message: str


def inspect_turns(text: str) -> tuple[list[Turn], list[LineWarning]]:
    """The turns, and the lines that were not clearly a turn (unknown prefix, or before any turn)."""
    turns: list[dict] = []
    warnings: list[LineWarning] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = _LINE.match(line)
        spk = _SPEAKERS.get(m.group("spk").lower()) if m else None
        if m and spk:
            turns.append({"speaker": spk, "text": m.group("text").strip(), "timestamp": m.group("ts") or ""})
            continue
        unknown = _UNKNOWN_PREFIX.match(line)
        if not turns:
            warnings.append(LineWarning(number, line, "staat vóór de eerste beurt en wordt niet overgenomen"))
            continue
        if unknown:
            warnings.append(
                LineWarning(
                    number,
                    line,
                    f"begint met de onbekende spreker '{unknown.group('label')}:' en wordt "
                    "aan de vorige beurt toegevoegd (gebruik M: of K:)",
                )
            )
        turns[-1]["text"] = (turns[-1]["text"] + "\n" + line).strip()
    turns = [t for t in turns if t["text"]]
    if not turns:
        raise TurnParseError(
            "Geen gespreksbeurten herkend. Zet elke beurt op een eigen regel met 'M:' (medewerker) "
            "of 'K:' (klant) ervoor, bijvoorbeeld 'K: Ik wil mijn adres wijzigen.'"
        )
    return [Turn(i, t["speaker"], t["text"], t["timestamp"]) for i, t in enumerate(turns)], warnings


def parse_turns(text: str) -> list[Turn]:
    return inspect_turns(text)[0]


def turn_pages(lengths: list[int], max_turns: int = 200, max_chars: int = 40_000) -> list[tuple[int, int]]:
    """Split turns (their text lengths) into pages [first, end) of at most `max_turns` turns and
    about `max_chars` characters, so a long chat opens as quickly as a short one.

    A page always holds at least one turn, so a single turn longer than `max_chars` is a page.
    """
    pages: list[tuple[int, int]] = []
    first, chars = 0, 0
    for i, n in enumerate(lengths):
        if i > first and (i - first >= max_turns or chars + n > max_chars):
            pages.append((first, i))
            first, chars = i, 0
        chars += n
    if lengths:
        pages.append((first, len(lengths)))
    return pages
