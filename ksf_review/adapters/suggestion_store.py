"""The rules' suggestions of a transcript revision, stored as a file every process can read.

The rules take seconds over a 60-minute call. The worker computes them right after a
transcription (in its own process, #14.10) and stores them here, so the web process reads
them in milliseconds instead of computing them in a thread that shares its interpreter with
every examiner's clicks (#14.9). One file per conversation, revision and span:
``<dir>/conv<id>-<revision>-<span>.json``; a new revision replaces the conversation's older
files, and deleting a conversation (or its transcript, by retention) deletes its files: they
quote the transcript.

The name also carries a fingerprint of the domain's code and the bundled rule file, so
suggestions stored by an older version of the rules are never shown.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from ..domain.suggestions import Suggestion

_FORMAT = 1


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A fingerprint of what decides the suggestions: the domain's code (the rule engine and
    what it uses) and the bundled rule file. Any change there computes them again, once."""
    root = Path(__file__).resolve().parents[1]  # the ksf_review package
    h = hashlib.sha1(str(_FORMAT).encode())
    for part in [*sorted((root / "domain").rglob("*.py")), root / "data" / "suggestion_rules.json"]:
        h.update(str(part.relative_to(root)).encode())
        h.update(part.read_bytes())
    return h.hexdigest()[:12]


def _digest(value) -> str:
    return hashlib.sha1(repr(value).encode()).hexdigest()[:16]


def _path(folder: Path | str, conv_id: int, revision, span) -> Path:
    return Path(folder) / f"conv{int(conv_id)}-{_digest((revision, engine_version()))}-{_digest(span)}.json"


def load(folder: Path | str, conv_id: int, revision, span=None) -> tuple[Suggestion, ...] | None:
    """The stored suggestions of this revision (and span), or None when none are stored."""
    try:
        data = json.loads(_path(folder, conv_id, revision, span).read_text(encoding="utf-8"))
        return tuple(Suggestion(**{**d, "highlights": tuple(tuple(h) for h in d.get("highlights", ()))}) for d in data["suggestions"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(folder: Path | str, conv_id: int, revision, span, found) -> None:
    """Store the suggestions of a revision (atomically); the conversation's other revisions go."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = _path(folder, conv_id, revision, span)
    keep = target.name.rsplit("-", 1)[0] + "-"  # this revision's files (every span)
    for old in folder.glob(f"conv{int(conv_id)}-*.json"):
        if not old.name.startswith(keep):
            old.unlink(missing_ok=True)
    rows = [{**vars(sg), "highlights": [list(h) for h in sg.highlights]} for sg in found]
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".sugg-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"format": _FORMAT, "suggestions": rows}, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, target)  # atomic: another process never reads half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def delete(folder: Path | str, conv_id: int) -> int:
    """Delete every stored suggestion file of a conversation; returns how many."""
    n = 0
    for f in Path(folder).glob(f"conv{int(conv_id)}-*.json"):
        f.unlink(missing_ok=True)
        n += 1
    return n
