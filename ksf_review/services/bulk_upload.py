"""Many exams at once: a zip of recordings plus a CSV that names each recording's candidate.

The CSV (one in the zip, any name ending in .csv; comma or semicolon separated, UTF-8) has a
row per recording with the columns ``kandidaat`` and ``bestand`` (the file's name in the zip,
with or without its folder) and optionally ``titel``. Each candidate gets one new exam with
its conversations. Every recording goes through the same path as a single upload
(``add_audio_conversation``: size limit, audio guard, duplicate check), so one bad file is
refused with its reason while the others are stored; the summary lists both. The zip is
judged by its central directory first (entry count, unpacked size), like the library import,
and each entry is read with a byte limit, so a zip bomb is refused before it is unpacked.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..adapters.storage.models import User
from . import exams as exam_svc
from .context import AppContext, ServiceError
from .conversations import add_audio_conversation

MAX_BATCH_ENTRIES = 500  # files in the zip
MAX_BATCH_UNPACKED = 2 * 1024**3  # all entries together, unpacked
MAX_CSV_BYTES = 1024 * 1024
MAX_NAME = 200


@dataclass
class BulkResult:
    """What an import created and what it refused, in Dutch lines for the summary."""

    exams: list[tuple[int, str, int]] = field(default_factory=list)  # (exam id, candidate, conversations)
    created: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _skip(name: str) -> bool:
    """Folders and the clutter archivers add (macOS resource forks, hidden files)."""
    p = PurePosixPath(name)
    return name.endswith("/") or "__MACOSX" in p.parts or p.name.startswith(".")


def _open(data: bytes | BinaryIO) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    src = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ServiceError("Dit is geen geldig zipbestand (beschadigd of onvolledig). Er is niets aangemaakt.") from None
    infos = zf.infolist()
    if len(infos) > MAX_BATCH_ENTRIES:
        raise ServiceError(
            f"Het zipbestand bevat {len(infos)} bestanden; er mogen er hoogstens {MAX_BATCH_ENTRIES} in. Er is niets aangemaakt."
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_BATCH_UNPACKED:
        raise ServiceError(
            f"Het zipbestand is uitgepakt {total / 2**30:.1f} GB; hoogstens "
            f"{MAX_BATCH_UNPACKED / 2**30:.0f} GB is toegestaan. Er is niets aangemaakt."
        )
    return zf, {i.filename: i for i in infos if not _skip(i.filename)}


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, out, limit: int) -> None:
    """Stream one entry, never more than `limit` bytes (the directory's sizes can lie)."""
    written = 0
    with zf.open(info) as src:
        while chunk := src.read(1 << 16):
            written += len(chunk)
            if written > limit:
                raise ServiceError(f"'{info.filename}' is groter dan toegestaan.")
            out.write(chunk)


def _read_csv(zf: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]) -> list[dict[str, str]]:
    found = [n for n in entries if n.lower().endswith(".csv")]
    if len(found) != 1:
        raise ServiceError(
            (
                "Het zipbestand bevat geen CSV met kandidaten"
                if not found
                else f"Het zipbestand bevat {len(found)} CSV-bestanden; voeg er precies één toe"
            )
            + " (kolommen kandidaat en bestand). Er is niets aangemaakt."
        )
    buf = io.BytesIO()
    _copy(zf, entries[found[0]], buf, MAX_CSV_BYTES)
    try:
        text = buf.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(f"'{found[0]}' is geen UTF-8-tekst. Er is niets aangemaakt.") from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = {(c or "").strip().lower(): c for c in (reader.fieldnames or [])}
    if "kandidaat" not in columns or "bestand" not in columns:
        raise ServiceError(f"'{found[0]}' moet de kolommen kandidaat en bestand hebben (en mag titel hebben). Er is niets aangemaakt.")
    rows = []
    for row in reader:
        rows.append({k: (row.get(columns[k]) or "").strip() if k in columns else "" for k in ("kandidaat", "bestand", "titel")})
    if len(rows) > MAX_BATCH_ENTRIES:
        raise ServiceError(f"De CSV heeft meer dan {MAX_BATCH_ENTRIES} regels. Er is niets aangemaakt.")
    return rows


def _find(name: str, entries: dict[str, zipfile.ZipInfo]) -> zipfile.ZipInfo | None:
    """The entry by its full name, else by its file name alone when that is unambiguous."""
    if name in entries:
        return entries[name]
    matches = [i for n, i in entries.items() if PurePosixPath(n).name == PurePosixPath(name).name]
    return matches[0] if len(matches) == 1 else None


def _group_rows(rows: list[dict[str, str]], result: BulkResult) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """The CSV rows per candidate (with their line numbers); incomplete rows are refused."""
    per_candidate: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in enumerate(rows, 2):  # line 1 is the header
        if not row["kandidaat"] or not row["bestand"]:
            if any(row.values()):
                result.refused.append(f"CSV-regel {line}: kandidaat of bestand ontbreekt.")
            continue
        if len(row["kandidaat"]) > MAX_NAME:
            result.refused.append(f"CSV-regel {line}: de naam is langer dan {MAX_NAME} tekens.")
            continue
        per_candidate.setdefault(row["kandidaat"], []).append((line, row))
    return per_candidate


@dataclass
class _Import:
    """One zip being imported: what every recording needs, and the result so far."""

    ctx: AppContext
    actor: User
    zf: zipfile.ZipFile
    entries: dict[str, zipfile.ZipInfo]
    agent_channel: str | None
    result: BulkResult = field(default_factory=BulkResult)
    named: set[str] = field(default_factory=set)  # entries the CSV names

    @property
    def limit(self) -> int:
        return self.ctx.settings.max_upload_mb * 1024 * 1024

    def candidate(self, candidate: str, items: list[tuple[int, dict[str, str]]]) -> None:
        """One new exam with the candidate's recordings; none stays behind when all are refused."""
        exam_id, added = None, 0
        for line, row in items:
            exam_id, ok = self.recording(candidate, line, row, exam_id)
            added += ok
        if exam_id is not None:
            if added:
                self.result.exams.append((exam_id, candidate, added))
            else:  # every recording refused: no empty exam stays behind
                exam_svc.discard_empty_exam(self.ctx, self.actor, exam_id)

    def recording(self, candidate: str, line: int, row: dict[str, str], exam_id: int | None) -> tuple[int | None, bool]:
        """Store one recording (the exam is made with the first); (exam id, stored?)."""
        info = _find(row["bestand"], self.entries)
        if info is None:
            self.result.refused.append(f"{candidate}: '{row['bestand']}' (CSV-regel {line}) staat niet in de zip.")
            return exam_id, False
        self.named.add(info.filename)
        name = PurePosixPath(info.filename).name
        if info.file_size > self.limit:
            self.result.refused.append(
                f"{candidate}: '{name}' is te groot ({info.file_size / 1048576:.0f} MB); "
                f"het maximum is {self.ctx.settings.max_upload_mb} MB."
            )
            return exam_id, False
        tmp_dir = self.ctx.settings.data_dir / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=tmp_dir) as tmp:
            local = Path(tmp) / "opname"
            try:
                with open(local, "wb") as out:
                    _copy(self.zf, info, out, self.limit)
                if exam_id is None:
                    exam_id = exam_svc.create_exam(self.ctx, self.actor, candidate).id
                conv = add_audio_conversation(
                    self.ctx, self.actor, exam_id, name, local, title=row["titel"], agent_channel=self.agent_channel
                )
            except ServiceError as exc:
                self.result.refused.append(f"{candidate}: {exc}")
                return exam_id, False
            except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError):
                self.result.refused.append(f"{candidate}: '{name}' is beschadigd in de zip.")
                return exam_id, False
        self.result.created.append(f"{candidate}: gesprek '{conv.title}' ({name})")
        self.result.warnings.extend(conv.warnings)
        return exam_id, True


def import_exams_zip(ctx: AppContext, actor: User, data: bytes | BinaryIO, *, agent_channel: str | None = None) -> BulkResult:
    """One new exam per candidate in the CSV, each with its recordings; see the module doc."""
    zf, entries = _open(data)
    with zf:
        job = _Import(ctx, actor, zf, entries, agent_channel)
        for candidate, items in _group_rows(_read_csv(zf, entries), job.result).items():
            job.candidate(candidate, items)
        for n in entries:
            if n not in job.named and not n.lower().endswith(".csv"):
                job.result.refused.append(f"'{PurePosixPath(n).name}' staat niet in de CSV en is overgeslagen.")
    return job.result


def summary(result: BulkResult) -> str:
    """One Dutch sentence for the toast / heading."""
    n = sum(c for _, _, c in result.exams)
    return f"{len(result.exams)} examen(s) met samen {n} gesprek(ken) aangemaakt; {len(result.refused)} geweigerd of overgeslagen."
