"""Measure suggestions against ground-truth tags: precision and recall per item and overall.

A suggestion matches an expected tag when item and polarity are equal and its time range
overlaps the expected turn's range (for chat/e-mail the turn index i stands for [i, i+1)).
Matching is lenient on both sides: a suggestion is correct if it overlaps any expected tag
of its item/polarity, and an expected tag is found if any such suggestion overlaps it.
Pure: works on the ground-truth dicts of ``sample_audio/<id>.json``, reads no files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .suggestions import Suggestion
from .tags import Polarity
from .transcript import Segment, Word


@dataclass(frozen=True)
class ExpectedTag:
    start: float
    end: float
    item: str
    polarity: str
    turn: int
    note: str = ""


def _turn_range(turn: Mapping[str, Any], index: int) -> tuple[float, float]:
    start, end = turn.get("start"), turn.get("end")
    if start is None or end is None:
        return float(index), float(index + 1)
    return float(start), float(end)


def segments_from_ground_truth(data: Mapping[str, Any]) -> list[Segment]:
    """The ground-truth turns as Segments (text turns use their index as time)."""
    return [
        Segment(*_turn_range(t, i), speaker=str(t.get("speaker") or "spreker"), text=str(t.get("text", "")).strip())
        for i, t in enumerate(data.get("turns") or [])
    ]


UNSURE = 0.3  # word probability of a word marked "~" in a tuning text (the recogniser guessed)


def segments_as_recognised(data: Mapping[str, Any]) -> list[Segment]:
    """Turns written as a recogniser would write them (tuning texts): segments with timed words,
    so the rules treat them as recognised speech. "~woord" marks a word of low probability."""
    out = []
    for i, (start, end), t in ((i, _turn_range(t, i), t) for i, t in enumerate(data.get("turns") or [])):
        raw = str(t.get("text", "")).split()
        step = (end - start) / max(len(raw), 1)
        words = tuple(
            Word(start + k * step, start + (k + 1) * step, " " + w.lstrip("~"), UNSURE if w.startswith("~") else 0.9)
            for k, w in enumerate(raw)
        )
        text = " ".join(w.lstrip("~") for w in raw)
        out.append(Segment(start, end, speaker=str(t.get("speaker") or "spreker"), text=text, words=words))
    return out


def expected_from_ground_truth(data: Mapping[str, Any]) -> list[ExpectedTag]:
    turns = data.get("turns") or []
    out = []
    for tag in data.get("expected_tags") or []:
        i = int(tag["turn"])
        if not 0 <= i < len(turns):
            raise ValueError(f"{data.get('id', '?')}: expected tag verwijst naar beurt {i}, er zijn er {len(turns)}")
        start, end = _turn_range(turns[i], i)
        out.append(ExpectedTag(start, end, str(tag["item"]), Polarity.parse(tag["polarity"]).value, i, str(tag.get("note", ""))))
    return out


def _overlaps(a_start: float, a_end: float, b_start: float, b_end: float) -> bool:
    return min(a_end, b_end) - max(a_start, b_start) > 0


def matches(s: Suggestion, e: ExpectedTag) -> bool:
    return s.item == e.item and s.polarity == e.polarity and _overlaps(s.start, s.end, e.start, e.end)


@dataclass
class Counts:
    suggested: int = 0
    correct: int = 0  # suggestions that match some expected tag
    expected: int = 0
    found: int = 0  # expected tags matched by some suggestion

    def add(self, other: "Counts") -> None:
        self.suggested += other.suggested
        self.correct += other.correct
        self.expected += other.expected
        self.found += other.found

    @property
    def precision(self) -> float | None:
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


@dataclass
class EvalResult:
    per_item: dict[str, Counts] = field(default_factory=dict)
    false_positives: list[Suggestion] = field(default_factory=list)
    missed: list[ExpectedTag] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for c in self.per_item.values():
            total.add(c)
        return total

    def merge(self, other: "EvalResult") -> None:
        for item, c in other.per_item.items():
            self.per_item.setdefault(item, Counts()).add(c)
        self.false_positives.extend(other.false_positives)
        self.missed.extend(other.missed)


def evaluate(suggestions: Iterable[Suggestion], expected: Iterable[ExpectedTag]) -> EvalResult:
    """Compare one conversation's suggestions with its expected tags."""
    suggestions, expected = list(suggestions), list(expected)
    per_item: dict[str, Counts] = defaultdict(Counts)
    result = EvalResult()
    for s in suggestions:
        per_item[s.item].suggested += 1
        if any(matches(s, e) for e in expected):
            per_item[s.item].correct += 1
        else:
            result.false_positives.append(s)
    for e in expected:
        per_item[e.item].expected += 1
        if any(matches(s, e) for s in suggestions):
            per_item[e.item].found += 1
        else:
            result.missed.append(e)
    result.per_item = dict(per_item)
    return result


def format_table(result: EvalResult) -> str:
    """A Markdown table of precision/recall per item plus the overall row."""

    def pct(v: float | None) -> str:
        return "–" if v is None else f"{v:.2f}"

    lines = ["| item | voorgesteld | juist | verwacht | gevonden | precisie | recall |", "|---|---:|---:|---:|---:|---:|---:|"]
    for item in sorted(result.per_item):  # item codes sort correctly as text
        c = result.per_item[item]
        lines.append(f"| {item} | {c.suggested} | {c.correct} | {c.expected} | {c.found} | {pct(c.precision)} | {pct(c.recall)} |")
    o = result.overall
    lines.append(f"| **totaal** | {o.suggested} | {o.correct} | {o.expected} | {o.found} | {pct(o.precision)} | {pct(o.recall)} |")
    return "\n".join(lines)
