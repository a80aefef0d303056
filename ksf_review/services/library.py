"""The example library: anonymised, playable passages per toetsterm, shareable as a zip.

Nothing leaves an exam un-anonymised: promoting a tag detects personal data in the excerpt
(the curator can add or remove spans), and only the redacted text and the bleeped audio
clip are stored. An imported zip is anonymised again (its texts: another instance or a hand
may have left names in). Imports are checked completely before anything is written, so a
damaged zip changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from ..adapters.anonymisation import AnonymisedExcerpt, PiiSpan, anonymise_excerpt, anonymise_text, redact_file
from ..adapters.anonymisation.audio import window_envelope
from ..adapters.audio import AudioError, probe
from ..adapters.spreadsheet_safety import defuse
from ..adapters.storage.models import Conversation, LibraryClip, Tag, User
from ..domain.roles import MANAGERS
from ..domain.tags import TimeRange, format_time
from ..domain.transcript import Segment, speaker_label
from . import audit
from .accounts import require_role
from .context import AppContext, NotFound, ServiceError
from .conversations import CHANNELS, check_conversation_access, conversation_segments

log = logging.getLogger(__name__)

LABELS = {"goed": "goed voorbeeld", "slecht": "slecht voorbeeld"}
#: limits of an imported zip, checked before anything is unpacked
MAX_IMPORT_BYTES = 200 * 1024 * 1024  # the zip itself
MAX_IMPORT_UNPACKED = 500 * 1024 * 1024  # all entries together, unpacked
MAX_IMPORT_ENTRIES = 2000  # entries in the zip, and examples in the manifest
MAX_IMPORT_CLIP = 50 * 1024 * 1024  # one audio clip
MAX_MANIFEST_BYTES = 5 * 1024 * 1024
MAX_IMPORT_TEXT = 20_000  # characters of a description or excerpt
MAX_IMPORT_DURATION = 3600.0  # seconds
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ClipView:
    id: int
    item: str
    label: str
    channel: str
    description: str
    excerpt: str
    audio_path: Path | None
    start: float
    end: float
    created_at: datetime

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class PromotionPreview:
    tag_id: int
    item: str
    polarity: str
    range: TimeRange
    has_audio: bool
    excerpt: AnonymisedExcerpt


def _library_dir(ctx: AppContext) -> Path:
    d = ctx.settings.data_dir / "library"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _view(ctx: AppContext, c: LibraryClip) -> ClipView:
    path = (_library_dir(ctx) / c.audio_path) if c.audio_path else None
    return ClipView(c.id, c.item_code, c.label, c.channel, c.description, c.excerpt, path, c.start, c.end, c.created_at)


def _excerpt_text(segments: tuple[Segment, ...], texts: tuple[str, ...]) -> str:
    return "\n".join(f"{speaker_label(s.speaker)}: {t}" for s, t in zip(segments, texts))  # "Klant", as the transcript says


def preview(
    ctx: AppContext,
    actor: User,
    tag_id: int,
    before: float = 2.0,
    after: float = 2.0,
    extra_spans: dict[int, list[PiiSpan]] | None = None,
    removed_spans: dict[int, list[PiiSpan]] | None = None,
    *,
    conversation_id: int | None = None,
) -> PromotionPreview:
    """What promoting this tag would store: padded range, excerpt before/after anonymisation.

    `conversation_id` is the conversation the curator sees: a tag of any other conversation
    is refused, so a picker left behind after switching exam can never store the wrong passage.
    """
    require_role(actor, *MANAGERS)
    with ctx.db.unit_of_work() as s:
        tag = s.get(Tag, tag_id)
        if tag is None:
            raise NotFound("Deze markering bestaat niet meer.")
        if conversation_id is not None and tag.conversation_id != conversation_id:
            raise ServiceError("Deze markering hoort niet bij het gekozen gesprek. Kies de markering opnieuw.")
        conv = s.get(Conversation, tag.conversation_id)
        check_conversation_access(s, actor, conv)
        has_audio = conv.audio is not None and conv.audio.deleted_at is None
        limit = conv.audio.duration if conv.audio else float(len(conv.turns))
        item, polarity, start, end, conv_id = tag.item_code, tag.polarity, tag.start, tag.end, conv.id
    if has_audio:
        rng = TimeRange(start, end).padded(max(0.0, before), max(0.0, after), limit)
    else:
        rng = TimeRange(start, end)
    segments = [sg for sg in conversation_segments(ctx, actor, conv_id, apply_names=False) if sg.start < rng.end and sg.end > rng.start]
    if not segments:
        raise ServiceError("Er is geen transcripttekst bij deze passage (nog niet getranscribeerd of verwijderd).")
    excerpt = anonymise_excerpt(segments, extra_spans, removed_spans)
    return PromotionPreview(tag_id, item, polarity, rng, has_audio, excerpt)


def preview_envelope(ctx: AppContext, actor: User, pv: PromotionPreview, buckets: int = 600):
    """Min/max envelope of the clip the preview would cut (for the waveform), None without audio."""
    require_role(actor, *MANAGERS)
    if not pv.has_audio:
        return None
    with ctx.db.unit_of_work() as s:
        tag = s.get(Tag, pv.tag_id)
        conv = s.get(Conversation, tag.conversation_id) if tag else None
        if conv is None or conv.audio is None or conv.audio.deleted_at is not None:
            return None
        check_conversation_access(s, actor, conv)
        src = ctx.audio.local_path(conv.audio.stored_path)
    try:
        return window_envelope(src, pv.range.start, pv.range.end, buckets)
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("no waveform for the library preview of tag %s: %s", pv.tag_id, exc)
        return None


def _write_clip(src: Path, rng: TimeRange, redact: list[TimeRange], dst: Path, mode: str) -> None:
    """Cut [rng] from src, bleep the (absolute) ranges in `redact`, write Ogg/Opus to dst.

    ffmpeg seeks to the window and decodes only that: a 10-s example from a 60-minute call
    costs a fraction of a second and a few hundred kB, not a decode of the whole call.
    """
    fd, tmp = tempfile.mkstemp(suffix=".wav", dir=dst.parent)
    os.close(fd)
    try:
        subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-ss",
                f"{rng.start:.3f}",
                "-t",
                f"{max(0.0, rng.end - rng.start):.3f}",
                "-i",
                str(src),
                "-ar",
                "16000",
                "-c:a",
                "pcm_s16le",
                tmp,
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shifted = [
            TimeRange(max(0.0, r.start - rng.start), max(0.0, min(r.end, rng.end) - rng.start))
            for r in redact
            if r.end > rng.start and r.start < rng.end
        ]
        redact_file(tmp, dst, shifted, mode=mode)
    except BaseException:
        dst.unlink(missing_ok=True)
        raise
    finally:
        os.unlink(tmp)


def promote(
    ctx: AppContext,
    actor: User,
    tag_id: int,
    *,
    label: str | None = None,
    description: str = "",
    before: float = 2.0,
    after: float = 2.0,
    extra_spans=None,
    removed_spans=None,
    mode: str = "bleep",
    conversation_id: int | None = None,
) -> ClipView:
    """Store an anonymised example from a tag; only the anonymised version is kept."""
    pv = preview(ctx, actor, tag_id, before, after, extra_spans, removed_spans, conversation_id=conversation_id)
    label = label or ("goed" if pv.polarity == "+" else "slecht")
    if label not in LABELS:
        raise ServiceError("Kies 'goed' of 'slecht' als label.")
    with ctx.db.unit_of_work() as s:
        tag = s.get(Tag, tag_id)
        conv = s.get(Conversation, tag.conversation_id)
        src = ctx.audio.local_path(conv.audio.stored_path) if pv.has_audio else None
        clip = LibraryClip(
            source_conversation_id=conv.id,
            source_tag_id=tag.id,
            item_code=pv.item,
            label=label,
            channel=conv.channel,
            description=description.strip(),
            excerpt=_excerpt_text(pv.excerpt.segments, pv.excerpt.texts_after),
            start=pv.range.start,
            end=pv.range.end,
            created_by_id=actor.id,
        )
        s.add(clip)
        s.flush()
        if src is not None:
            name = f"clip-{clip.id}.ogg"
            try:
                _write_clip(src, pv.range, list(pv.excerpt.time_ranges), _library_dir(ctx) / name, mode)
            except (AudioError, OSError, subprocess.SubprocessError) as exc:
                log.warning("library clip for tag %s failed: %s", tag_id, exc)
                raise ServiceError(
                    "Het audiofragment kon niet gemaakt worden (de opname is niet leesbaar). Er is niets opgeslagen."
                ) from None
            clip.audio_path = name
        audit.record(s, actor, "promote", "library", clip.id, f"tag {tag_id}, {pv.excerpt.span_count} persoonsgegevens verwijderd")
        return _view(ctx, clip)


def list_clips(
    ctx: AppContext, actor: User, *, eindterm: str = "", item: str = "", label: str = "", channel: str = "", text: str = ""
) -> list[ClipView]:
    rubric = ctx.rubrics.default()
    with ctx.db.unit_of_work() as s:
        q = select(LibraryClip).order_by(LibraryClip.item_code, LibraryClip.id)
        if item:
            q = q.where(LibraryClip.item_code == item)
        if label:
            q = q.where(LibraryClip.label == label)
        if channel:
            q = q.where(LibraryClip.channel == channel)
        if text:
            like = f"%{text}%"
            q = q.where(LibraryClip.excerpt.ilike(like) | LibraryClip.description.ilike(like))
        clips = [_view(ctx, c) for c in s.scalars(q)]
    if eindterm:
        clips = [c for c in clips if rubric.has_item(c.item) and rubric.item(c.item).eindterm == eindterm]
    return clips


def update_clip(
    ctx: AppContext, actor: User, clip_id: int, *, item: str | None = None, label: str | None = None, description: str | None = None
) -> ClipView:
    require_role(actor, *MANAGERS)
    with ctx.db.unit_of_work() as s:
        c = s.get(LibraryClip, clip_id)
        if c is None:
            raise NotFound("Dit voorbeeld bestaat niet meer.")
        if item is not None:
            if not ctx.rubrics.default().has_item(item):
                raise ServiceError(f"Onbekende toetsterm '{item}'.")
            c.item_code = item
        if label is not None:
            if label not in LABELS:
                raise ServiceError("Kies 'goed' of 'slecht' als label.")
            c.label = label
        if description is not None:
            c.description = description.strip()
        audit.record(s, actor, "update", "library", clip_id)
        return _view(ctx, c)


def delete_clip(ctx: AppContext, actor: User, clip_id: int) -> None:
    require_role(actor, *MANAGERS)
    with ctx.db.unit_of_work() as s:
        c = s.get(LibraryClip, clip_id)
        if c is None:
            return
        if c.audio_path:
            (_library_dir(ctx) / c.audio_path).unlink(missing_ok=True)
        audit.record(s, actor, "delete", "library", clip_id)
        s.delete(c)


def export_zip(ctx: AppContext, actor: User, clip_ids: list[int]) -> bytes:
    """Audio clips + manifest.json + manifest.csv (item, label, description, excerpt)."""
    clips = [c for c in list_clips(ctx, actor) if c.id in set(clip_ids)]
    buf = io.BytesIO()
    manifest = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for c in clips:
            audio = f"audio/clip-{c.id}.ogg" if c.audio_path and c.audio_path.exists() else None
            if audio:
                zf.write(c.audio_path, audio)
            manifest.append(
                {
                    "item": c.item,
                    "label": c.label,
                    "channel": c.channel,
                    "description": c.description,
                    "excerpt": c.excerpt,
                    "duration": round(c.duration, 3),
                    "audio": audio,
                }
            )
        zf.writestr(
            MANIFEST, json.dumps({"format": "ksf-review-library", "version": 1, "examples": manifest}, ensure_ascii=False, indent=1)
        )
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=["item", "label", "channel", "description", "excerpt", "duration", "audio"], delimiter=";")
        w.writeheader()
        w.writerows({k: defuse(v) for k, v in row.items()} for row in manifest)  # text, never a formula
        zf.writestr("manifest.csv", "\ufeff" + out.getvalue())
    with ctx.db.unit_of_work() as s:
        audit.record(s, actor, "export", "library", ",".join(map(str, clip_ids)), f"{len(clips)} voorbeelden")
    return buf.getvalue()


class _Refused(ServiceError):
    """An import refused before anything was stored (the message says so)."""

    def __init__(self, message: str):
        super().__init__(f"{message} Er is niets geïmporteerd.")


def _check_entries(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Refuse a zip by its central directory alone: too many entries, too large unpacked."""
    infos = zf.infolist()
    if len(infos) > MAX_IMPORT_ENTRIES:
        raise _Refused(f"Het zipbestand bevat {len(infos)} bestanden; er mogen er hoogstens {MAX_IMPORT_ENTRIES} in.")
    total = sum(i.file_size for i in infos)
    if total > MAX_IMPORT_UNPACKED:
        raise _Refused(f"Het zipbestand is uitgepakt {total / 2**20:.0f} MB; hoogstens {MAX_IMPORT_UNPACKED / 2**20:.0f} MB is toegestaan.")
    by_name: dict[str, zipfile.ZipInfo] = {}
    for i in infos:
        if i.filename in by_name:
            raise _Refused(f"Het zipbestand bevat '{i.filename}' twee keer.")
        by_name[i.filename] = i
    return by_name


def _copy_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, out, limit: int) -> None:
    """Stream one entry to `out` in chunks, never more than `limit` bytes (sizes can lie)."""
    written = 0
    with zf.open(info) as src:
        while chunk := src.read(1 << 16):
            written += len(chunk)
            if written > limit:
                raise _Refused(f"'{info.filename}' is groter dan het zipbestand opgeeft of dan is toegestaan.")
            out.write(chunk)


def _text_field(ex: dict, key: str, i: int, default: str = "") -> str:
    value = ex.get(key, default)
    if value is None:
        value = default
    if not isinstance(value, str) or len(value) > MAX_IMPORT_TEXT:
        raise _Refused(f"Voorbeeld {i} in manifest.json: '{key}' moet tekst zijn (hoogstens {MAX_IMPORT_TEXT} tekens).")
    return value


def _check_example(ex, i: int, rubric, by_name: dict[str, zipfile.ZipInfo]) -> dict:
    """One manifest entry, checked field by field; the values to store."""
    if not isinstance(ex, dict):
        raise _Refused(f"Voorbeeld {i} in manifest.json is geen object met velden.")
    item, label = ex.get("item"), ex.get("label")
    if not isinstance(item, str) or not rubric.has_item(item) or label not in LABELS:
        raise _Refused(f"Voorbeeld {i} in manifest.json heeft een onbekende toetsterm of label.")
    channel = _text_field(ex, "channel", i, "telefoon")
    if channel not in CHANNELS:
        raise _Refused(f"Voorbeeld {i} in manifest.json heeft een onbekend kanaal (kies uit {', '.join(CHANNELS)}).")
    duration = ex.get("duration")
    if duration is None:
        duration = 0.0
    if (
        isinstance(duration, bool)
        or not isinstance(duration, (int, float))
        or not math.isfinite(duration)
        or not 0 <= duration <= MAX_IMPORT_DURATION
    ):
        raise _Refused(f"Voorbeeld {i} in manifest.json heeft een ongeldige duur (een getal van 0 tot {MAX_IMPORT_DURATION:.0f} seconden).")
    audio = ex.get("audio")
    if audio is not None and audio != "":
        if not isinstance(audio, str) or not audio.startswith("audio/") or ".." in audio or audio not in by_name or by_name[audio].is_dir():
            raise _Refused(f"Voorbeeld {i}: audiobestand '{str(audio)[:80]}' ontbreekt in de zip.")
        if by_name[audio].file_size > MAX_IMPORT_CLIP:
            raise _Refused(f"Voorbeeld {i}: audiobestand '{audio}' is groter dan {MAX_IMPORT_CLIP / 2**20:.0f} MB.")
    else:
        audio = None
    return {
        "item": item,
        "label": label,
        "channel": channel,
        "duration": float(duration),
        "audio": audio,
        "description": _text_field(ex, "description", i),
        "excerpt": _text_field(ex, "excerpt", i),
    }


def _read_manifest(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo]) -> list:
    info = by_name.get(MANIFEST)
    if info is None:
        raise _Refused("Het zipbestand bevat geen manifest.json.")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _Refused(f"manifest.json is groter dan {MAX_MANIFEST_BYTES / 2**20:.0f} MB.")
    buf = io.BytesIO()
    _copy_entry(zf, info, buf, MAX_MANIFEST_BYTES)
    try:
        doc = json.loads(buf.getvalue().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Refused("manifest.json is geen geldige JSON (UTF-8).") from None
    examples = doc.get("examples") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("format") != "ksf-review-library" or not isinstance(examples, list):
        raise _Refused(
            'manifest.json is geen ksf-review-bibliotheek (verwacht een object met "format": "ksf-review-library" en een lijst "examples").'
        )
    if len(examples) > MAX_IMPORT_ENTRIES:
        raise _Refused(f"manifest.json bevat meer dan {MAX_IMPORT_ENTRIES} voorbeelden.")
    return examples


@dataclass(frozen=True)
class ImportReport:
    """What an import stored: examples, personal data removed from their texts, audio left out."""

    examples: int
    spans_removed: int = 0
    audio_dropped: int = 0

    def message(self) -> str:
        msg = f"{self.examples} voorbeeld(en) geïmporteerd."
        if self.spans_removed:
            msg += f" {self.spans_removed} persoonsgegeven(s) in de teksten vervangen door een aanduiding zoals [NAAM]."
        if self.audio_dropped:
            msg += (
                f" Van {self.audio_dropped} voorbeeld(en) is de audio niet overgenomen: de tekst bevatte nog persoonsgegevens,"
                " dus de opname waarschijnlijk ook (zonder woordtijden kan die niet opnieuw gepiept worden)."
            )
        return msg


def _anonymise_example(ex: dict) -> tuple[dict, int]:
    """An imported example's excerpt and description through the text anonymisation of "Opslaan in
    bibliotheek". Its audio cannot be bleeped again (a zip has no word times): when its text still
    held personal data, the recording most likely holds it too, so the example is kept without audio."""
    excerpt, n_excerpt = anonymise_text(ex["excerpt"])
    description, n_description = anonymise_text(ex["description"])
    ex = dict(ex, excerpt=excerpt, description=description)
    if n_excerpt:
        ex["audio"] = None
    return ex, n_excerpt + n_description


def import_zip(ctx: AppContext, actor: User, data: bytes | BinaryIO) -> ImportReport:
    """Import examples from a library zip; everything is validated before anything is stored.

    The zip is judged by its central directory first (entry count, unpacked size), so a small
    zip that unpacks to gigabytes is refused without unpacking it; entries are then read as
    streams with a byte limit. Texts are anonymised again (see `_anonymise_example`). Clips
    land in the library only after the database commit, and any failure removes what was
    staged: nothing is written unless the whole import succeeds.
    """
    require_role(actor, *MANAGERS)
    src = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    src.seek(0, io.SEEK_END)
    if src.tell() > MAX_IMPORT_BYTES:
        raise _Refused(f"Het zipbestand is groter dan {MAX_IMPORT_BYTES / 2**20:.0f} MB.")
    src.seek(0)
    rubric = ctx.rubrics.default()
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _Refused("Dit is geen geldig zipbestand (beschadigd of onvolledig).") from None
    moved: list[Path] = []
    try:
        with zf, tempfile.TemporaryDirectory(dir=_library_dir(ctx)) as tmp:
            by_name = _check_entries(zf)
            checked = [_check_example(ex, i, rubric, by_name) for i, ex in enumerate(_read_manifest(zf, by_name), 1)]
            anonymised = [_anonymise_example(ex) for ex in checked]
            examples = [ex for ex, _ in anonymised]
            spans_removed = sum(n for _, n in anonymised)
            audio_dropped = sum(1 for before, after in zip(checked, examples) if before["audio"] and not after["audio"])
            staged: list[tuple[dict, Path | None]] = []
            for i, ex in enumerate(examples, 1):
                local = None
                if ex["audio"]:
                    local = Path(tmp) / f"import-{i}.ogg"
                    with open(local, "wb") as out:
                        _copy_entry(zf, by_name[ex["audio"]], out, MAX_IMPORT_CLIP)
                    try:
                        probe(local, name=ex["audio"])
                    except AudioError as exc:
                        raise _Refused(f"Voorbeeld {i}: {exc}") from None
                staged.append((ex, local))
            with ctx.db.unit_of_work() as s:
                clips = []
                for ex, local in staged:
                    clip = LibraryClip(
                        item_code=ex["item"],
                        label=ex["label"],
                        channel=ex["channel"],
                        description=ex["description"],
                        excerpt=ex["excerpt"],
                        start=0.0,
                        end=ex["duration"],
                        created_by_id=actor.id,
                    )
                    s.add(clip)
                    clips.append((clip, local))
                s.flush()
                for clip, local in clips:
                    if local is not None:
                        clip.audio_path = f"clip-{clip.id}.ogg"
                audit.record(
                    s,
                    actor,
                    "import",
                    "library",
                    "",
                    f"{len(staged)} voorbeelden, {spans_removed} persoonsgegevens verwijderd, {audio_dropped} zonder audio",
                )
                s.flush()
                # last step before the commit: a failure here still rolls everything back
                for clip, local in clips:
                    if local is not None:
                        dst = _library_dir(ctx) / clip.audio_path
                        os.replace(local, dst)
                        moved.append(dst)
    except ServiceError:
        _unlink_all(moved)
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        # a damaged entry (bad CRC, truncated data, unsupported compression, encrypted)
        _unlink_all(moved)
        log.info("library import refused: %s", exc)
        raise _Refused("Het zipbestand is beschadigd of gebruikt een niet-ondersteunde compressie.") from None
    except Exception:
        _unlink_all(moved)
        raise
    return ImportReport(len(staged), spans_removed, audio_dropped)


def _unlink_all(paths: list[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def describe(clip: ClipView) -> str:
    return f"{clip.item} · {LABELS.get(clip.label, clip.label)} · {clip.channel} · {format_time(clip.duration)}"
