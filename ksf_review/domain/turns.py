"""Chat and e-mail conversations as text: one turn per line with a speaker prefix.

Accepted lines: `M: …` / `K: …`, `Medewerker: …` / `Klant: …`, `Agent:` / `Customer:`,
optionally preceded by a time `[10:02]` or `10:02`. A line without a prefix continues the
previous turn (e-mails span several lines). Text with no recognisable turn is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .transcript import AGENT, CUSTOMER, Segment

_SPEAKERS = {
    "m": AGENT, "medewerker": AGENT, "agent": AGENT, "mw": AGENT,
    "k": CUSTOMER, "klant": CUSTOMER, "customer": CUSTOMER,
}
_LINE = re.compile(
    r"^\s*(?:\[?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)\]?\s*)?(?P<spk>[A-Za-z]+)\s*[:>]\s*(?P<text>.*)$"
)


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
        return Segment(start=float(self.index), end=float(self.index + 1), speaker=self.speaker,
                       text=self.text, channel=0 if self.speaker == AGENT else 1)


def parse_turns(text: str) -> list[Turn]:
    turns: list[dict] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _LINE.match(line)
        spk = _SPEAKERS.get(m.group("spk").lower()) if m else None
        if m and spk:
            turns.append({"speaker": spk, "text": m.group("text").strip(), "timestamp": m.group("ts") or ""})
        elif turns:
            turns[-1]["text"] = (turns[-1]["text"] + "\n" + line).strip()
    turns = [t for t in turns if t["text"]]
    if not turns:
        raise TurnParseError(
            "Geen gespreksbeurten herkend. Zet elke beurt op een eigen regel met 'M:' (medewerker) "
            "of 'K:' (klant) ervoor, bijvoorbeeld 'K: Ik wil mijn adres wijzigen.'"
        )
    return [Turn(i, t["speaker"], t["text"], t["timestamp"]) for i, t in enumerate(turns)]
