"""Checklist (rubric) files on disk: the shipped ones plus an organisation's own folder.

A rubric is data: an organisation loads the official form (or a new version) by dropping a
JSON file into `KSF_RUBRIC_DIR` (`Settings.rubric_dir`), without a restart: a folder is read
again only when a file in it changed. Exams keep the version they started with, so a new
version never changes them. The domain gets the parsed `Rubric`; it never reads files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..domain.rubric import DEFAULT_RUBRIC_ID, DEFAULT_RUBRIC_VERSION, Rubric, RubricError, parse_rubric, pick_rubric

SHIPPED_DIR = Path(str(resources.files("ksf_review"))) / "data" / "rubrics"


def load_rubric_file(path: str | Path) -> Rubric:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RubricError(f"Checklistbestand {path} kan niet gelezen worden: {exc}") from exc
    return parse_rubric(data)


@lru_cache(maxsize=8)
def _rubrics_in(folder: str, signature: tuple) -> dict[str, Rubric]:
    out: dict[str, Rubric] = {}
    for name, _ in signature:
        r = load_rubric_file(Path(folder) / name)
        out[r.key] = r
    return out


def _signature(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.json")))


@dataclass(frozen=True)
class RubricFiles:
    """The rubrics the app knows, keyed by 'id@version' (the organisation's folder wins)."""

    extra_dir: Path | None = None

    def all(self) -> dict[str, Rubric]:
        out = dict(_rubrics_in(str(SHIPPED_DIR), _signature(SHIPPED_DIR)))
        if self.extra_dir is not None and self.extra_dir.is_dir():
            out.update(_rubrics_in(str(self.extra_dir), _signature(self.extra_dir)))
        return out

    def get(self, rubric_id: str = DEFAULT_RUBRIC_ID, version: str | None = None) -> Rubric:
        """That version, or the newest version of `rubric_id` (RubricError in Dutch if unknown)."""
        return pick_rubric(self.all(), rubric_id, version)

    def default(self) -> Rubric:
        return self.all()[f"{DEFAULT_RUBRIC_ID}@{DEFAULT_RUBRIC_VERSION}"]


def default_rubric() -> Rubric:
    """The shipped default checklist (exports, tests and tools without an app context)."""
    return RubricFiles().default()
