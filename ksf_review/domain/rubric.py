"""The checklist (rubric) as versioned data: parse, validate, look up items.

The official KSF form is not public, so the default checklist is a data file that an
organisation can replace without code changes. `adapters/rubric_files.py` reads the files;
this module gets their parsed JSON and never touches the disk or the environment.
Validation makes sure the points per eindterm add up to the eindterm maxima (20/1/2 for
the default) before a rubric is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_RUBRIC_ID = "ksf-default"
DEFAULT_RUBRIC_VERSION = "1"


class RubricError(ValueError):
    """A rubric file that cannot be used (message in Dutch)."""


@dataclass(frozen=True)
class Eindterm:
    code: str
    title: str
    max: int
    minimum: int
    critical: bool


@dataclass(frozen=True)
class Item:
    code: str
    eindterm: str
    toetsterm: str
    points: int
    text: str
    situational: bool = False
    subchecks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    label: str
    eindtermen: tuple[Eindterm, ...]
    items: tuple[Item, ...]
    is_default: bool = False

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def max_points(self) -> int:
        return sum(e.max for e in self.eindtermen)

    def item(self, code: str) -> Item:
        for it in self.items:
            if it.code == code:
                return it
        raise KeyError(code)

    def has_item(self, code: str) -> bool:
        return any(it.code == code for it in self.items)

    def items_of(self, eindterm: str) -> list[Item]:
        return [it for it in self.items if it.eindterm == eindterm]

    def eindterm(self, code: str) -> Eindterm:
        for e in self.eindtermen:
            if e.code == code:
                return e
        raise KeyError(code)


def parse_rubric(data: dict) -> Rubric:
    """Build and validate a Rubric from its JSON structure."""
    try:
        eindtermen = tuple(
            Eindterm(
                code=str(e["code"]),
                title=str(e["title"]),
                max=int(e["max"]),
                minimum=int(e["minimum"]),
                critical=bool(e.get("critical", False)),
            )
            for e in data["eindtermen"]
        )
        items = tuple(
            Item(
                code=str(i["code"]),
                eindterm=str(i["eindterm"]),
                toetsterm=str(i.get("toetsterm", i["code"])),
                points=int(i["points"]),
                text=str(i["text"]),
                situational=bool(i.get("situational", False)),
                subchecks=tuple(i.get("subchecks", ())),
            )
            for i in data["items"]
        )
        rubric = Rubric(
            id=str(data["id"]),
            version=str(data["version"]),
            label=str(data.get("label", data["id"])),
            eindtermen=eindtermen,
            items=items,
            is_default=bool(data.get("is_default", False)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RubricError(f"Checklistbestand is onvolledig of ongeldig: {exc!r}") from exc
    validate_rubric(rubric)
    return rubric


def validate_rubric(rubric: Rubric) -> None:
    codes = [it.code for it in rubric.items]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise RubricError(f"Checklist bevat dubbele itemcodes: {', '.join(dupes)}")
    known = {e.code for e in rubric.eindtermen}
    for it in rubric.items:
        if it.eindterm not in known:
            raise RubricError(f"Toetsterm {it.code} hoort bij onbekende eindterm {it.eindterm}")
        if it.points <= 0:
            raise RubricError(f"Toetsterm {it.code} heeft geen positief aantal punten")
    for e in rubric.eindtermen:
        total = sum(it.points for it in rubric.items_of(e.code))
        if total != e.max:
            raise RubricError(f"Eindterm {e.code}: de toetstermen tellen op tot {total} punten, verwacht {e.max}")
        if not 0 < e.minimum <= e.max:
            raise RubricError(f"Eindterm {e.code}: minimum {e.minimum} past niet bij maximum {e.max}")


def pick_rubric(rubrics: Mapping[str, Rubric], rubric_id: str = DEFAULT_RUBRIC_ID, version: str | None = None) -> Rubric:
    """That version of `rubric_id`, or its newest one, from the rubrics the app knows."""
    if version is not None:
        key = f"{rubric_id}@{version}"
        if key not in rubrics:
            raise RubricError(f"Onbekende checklist {key}")
        return rubrics[key]
    candidates = [r for r in rubrics.values() if r.id == rubric_id]
    if not candidates:
        raise RubricError(f"Onbekende checklist {rubric_id}")
    return max(candidates, key=lambda r: int(r.version) if r.version.isdigit() else 0)
