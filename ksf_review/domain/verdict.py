"""Item scores → verdict: points per eindterm, the cesuur, and Dutch explanations.

The exam passes only when every eindterm reaches its minimum (≥17/20, 1/1, 2/2 for the
default checklist). Anything unfinished — an unscored item, n.v.t. without a reason, fewer
than three conversations — makes the verdict *onvolledig*, never *gezakt*, so a candidate
never fails on paperwork. The n.v.t. policy is an explicit parameter recorded per exam.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Mapping

from .rubric import Rubric

MIN_CONVERSATIONS = 3


class ScoreStatus(StrEnum):
    """A checklist item's score; a StrEnum, so it equals the string stored in the database."""

    BEHAALD = "behaald"
    NIET_BEHAALD = "niet_behaald"
    NVT = "nvt"

    @property
    def label(self) -> str:
        return {"behaald": "behaald", "niet_behaald": "niet behaald", "nvt": "n.v.t."}[self.value]


class NvtPolicy(StrEnum):
    """How an item marked n.v.t. (with reason) counts."""

    COUNTS_AS_ACHIEVED = "nvt-behaald"
    COUNTS_AS_NOT_ACHIEVED = "nvt-niet-behaald"

    @property
    def label(self) -> str:
        if self is NvtPolicy.COUNTS_AS_ACHIEVED:
            return "n.v.t. (met reden) telt als behaald"
        return "n.v.t. telt als niet behaald"


class VerdictStatus(StrEnum):
    GESLAAGD = "geslaagd"
    GEZAKT = "gezakt"
    ONVOLLEDIG = "onvolledig"


class VerdictInputError(ValueError):
    """Scores that cannot be judged at all (unknown item, malformed value)."""


@dataclass(frozen=True)
class ItemScore:
    status: ScoreStatus
    reason: str = ""
    comment: str = ""

    @classmethod
    def parse(cls, value) -> "ItemScore":
        """Accept 'behaald' or {'status': 'nvt', 'reason': '…'} (the CLI/JSON forms)."""
        if isinstance(value, ItemScore):
            return value
        if isinstance(value, str):
            return cls(_parse_status(value))
        if isinstance(value, Mapping):
            if "status" not in value:
                raise VerdictInputError("score zonder 'status'")
            reason = value.get("reason") or ""
            comment = value.get("comment") or ""
            if not isinstance(reason, str) or not isinstance(comment, str):
                raise VerdictInputError("'reason' en 'comment' moeten tekst zijn")
            return cls(_parse_status(value["status"]), reason.strip(), comment.strip())
        raise VerdictInputError(f"onbekende scorewaarde: {value!r}")


def _parse_status(raw) -> ScoreStatus:
    if not isinstance(raw, str):
        raise VerdictInputError(f"onbekende score: {raw!r}")
    norm = raw.strip().lower().replace(" ", "_").replace(".", "")
    aliases = {"behaald": "behaald", "niet_behaald": "niet_behaald", "nvt": "nvt"}
    if norm not in aliases:
        raise VerdictInputError(f"onbekende score {raw!r} (gebruik behaald, niet_behaald of nvt)")
    return ScoreStatus(aliases[norm])


@dataclass(frozen=True)
class EindtermResult:
    code: str
    title: str
    points: int
    max: int
    minimum: int
    critical: bool
    met: bool
    complete: bool


@dataclass(frozen=True)
class Verdict:
    status: VerdictStatus
    total: int
    max: int
    eindtermen: tuple[EindtermResult, ...]
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    item_points: Mapping[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        if self.status is VerdictStatus.GESLAAGD:
            return f"Geslaagd: {self.total} van {self.max} punten, alle eindtermen behaald."
        if self.status is VerdictStatus.GEZAKT:
            return f"Gezakt: {self.total} van {self.max} punten. " + " ".join(self.problems)
        return "Onvolledig: " + " ".join(self.problems)

    def to_dict(self) -> dict:
        return {
            "status": self.status.value,
            "total": self.total,
            "max": self.max,
            "eindtermen": {e.code: {"points": e.points, "max": e.max, "minimum": e.minimum, "met": e.met} for e in self.eindtermen},
            "problems": list(self.problems),
            "notes": list(self.notes),
        }


def compute_verdict(
    rubric: Rubric,
    scores: Mapping[str, ItemScore | str | dict | None],
    conversations: int,
    policy: NvtPolicy | str = NvtPolicy.COUNTS_AS_ACHIEVED,
) -> Verdict:
    """Apply the cesuur of `rubric` to `scores` (item code → score; missing = unscored)."""
    policy = NvtPolicy(policy)
    unknown = sorted(c for c in scores if not rubric.has_item(c))
    if unknown:
        raise VerdictInputError(f"onbekende itemcode(s): {', '.join(unknown)}")
    parsed = {c: ItemScore.parse(v) for c, v in scores.items() if v is not None}

    incomplete: list[str] = []
    notes: list[str] = []
    item_points: dict[str, int] = {}
    unscored = [it.code for it in rubric.items if it.code not in parsed]
    if unscored:
        incomplete.append(
            f"Nog niet gescoord: {', '.join(unscored)}. Een checklist wordt pas beoordeeld als elke toetsterm een score heeft."
        )
    for it in rubric.items:
        s = parsed.get(it.code)
        if s is None:
            item_points[it.code] = 0
        elif s.status is ScoreStatus.BEHAALD:
            item_points[it.code] = it.points
        elif s.status is ScoreStatus.NIET_BEHAALD:
            item_points[it.code] = 0
        elif not s.reason:
            item_points[it.code] = 0
            incomplete.append(f"Toetsterm {it.code} staat op n.v.t. zonder reden; vul een reden in.")
        elif policy is NvtPolicy.COUNTS_AS_ACHIEVED:
            item_points[it.code] = it.points
            notes.append(f"Toetsterm {it.code} n.v.t. (telt als behaald): {s.reason}")
        else:
            item_points[it.code] = 0
            notes.append(f"Toetsterm {it.code} n.v.t. (telt als niet behaald): {s.reason}")
    if conversations < MIN_CONVERSATIONS:
        incomplete.append(f"Er zijn {conversations} gesprek(ken); de praktijktoets vraagt er minimaal {MIN_CONVERSATIONS}.")

    results = []
    failed: list[str] = []
    for e in rubric.eindtermen:
        items = rubric.items_of(e.code)
        points = sum(item_points[it.code] for it in items)
        complete = all(it.code in parsed for it in items)
        met = points >= e.minimum
        results.append(EindtermResult(e.code, e.title, points, e.max, e.minimum, e.critical, met, complete))
        if not met:
            kind = " (kritisch)" if e.critical else ""
            failed.append(f"Eindterm {e.code}{kind} niet behaald: {points} van {e.max} punten, minimaal {e.minimum} vereist.")

    total = sum(r.points for r in results)
    if incomplete:
        status = VerdictStatus.ONVOLLEDIG
        problems = incomplete
    elif failed:
        status = VerdictStatus.GEZAKT
        problems = failed
    else:
        status = VerdictStatus.GESLAAGD
        problems = []
    return Verdict(
        status=status,
        total=total,
        max=rubric.max_points,
        eindtermen=tuple(results),
        problems=tuple(problems),
        notes=tuple(notes),
        item_points=item_points,
    )


def cesuur_explanation(rubric: Rubric) -> str:
    parts = []
    for e in rubric.eindtermen:
        crit = ", kritisch" if e.critical else ""
        parts.append(f"eindterm {e.code} minimaal {e.minimum} van {e.max}{crit}")
    return (
        "Geslaagd als " + "; ".join(parts) + ". Haalt de kandidaat een kritische eindterm niet volledig, "
        "dan is hij gezakt, ongeacht de andere punten."
    )
