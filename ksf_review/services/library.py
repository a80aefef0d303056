"""The example library: anonymised, playable passages per toetsterm, shareable as a zip.

Nothing leaves an exam un-anonymised: promoting a tag detects personal data in the excerpt
(the curator can add or remove spans), and only the redacted text and the bleeped audio
clip are stored. Imports are checked completely before anything is written, so a damaged
zip changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import wave
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from ..adapters.anonymisation import AnonymisedExcerpt, PiiSpan, anonymise_excerpt, redact_file
from ..adapters.audio import AudioError, decode_pcm16, probe
from ..adapters.storage.models import Conversation, LibraryClip, Tag, User
from ..domain.rubric import default_rubric
from ..domain.tags import TimeRange, format_time
from ..domain.transcript import Segment
from . import audit
from .accounts import require_role
from .context import AppContext, NotFound, ServiceError
from .conversations import check_conversation_access, conversation_segments

LABELS = {"goed": "goed voorbeeld", "slecht": "slecht voorbeeld"}
MAX_IMPORT_BYTES = 200 * 1024 * 1024
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
    return ClipView(c.id, c.item_code, c.label, c.channel, c.description, c.excerpt, path, c.start, c.end,
                    c.created_at)


def _excerpt_text(segments: tuple[Segment, ...], texts: tuple[str, ...]) -> str:
    return "\n".join(f"{s.speaker}: {t}" for s, t in zip(segments, texts))


def preview(ctx: AppContext, actor: User, tag_id: int, before: float = 2.0, after: float = 2.0,
            extra_spans: dict[int, list[PiiSpan]] | None = None,
            removed_spans: dict[int, list[PiiSpan]] | None = None) -> PromotionPreview:
    """What promoting this tag would store: padded range, excerpt before/after anonymisation."""
    require_role(actor, "coordinator", "beheerder")
    with ctx.db.unit_of_work() as s:
        tag = s.get(Tag, tag_id)
        if tag is None:
            raise NotFound("Deze markering bestaat niet meer.")
        conv = s.get(Conversation, tag.conversation_id)
        check_conversation_access(s, actor, conv)
        has_audio = conv.audio is not None and conv.audio.deleted_at is None
        limit = conv.audio.duration if conv.audio else float(len(conv.turns))
        item, polarity, start, end, conv_id = tag.item_code, tag.polarity, tag.start, tag.end, conv.id
    if has_audio:
        rng = TimeRange(start, end).padded(max(0.0, before), max(0.0, after), limit)
    else:
        rng = TimeRange(start, end)
    segments = [sg for sg in conversation_segments(ctx, actor, conv_id, apply_names=False)
                if sg.start < rng.end and sg.end > rng.start]
    if not segments:
        raise ServiceError("Er is geen transcripttekst bij deze passage (nog niet getranscribeerd of verwijderd).")
    excerpt = anonymise_excerpt(segments, extra_spans, removed_spans)
    return PromotionPreview(tag_id, item, polarity, rng, has_audio, excerpt)


def _write_clip(src: Path, rng: TimeRange, redact: list[TimeRange], dst: Path, mode: str) -> None:
    """Cut [rng] from src, bleep the (absolute) ranges in `redact`, write Ogg/Opus to dst."""
    pcm = decode_pcm16(src)
    a, b = int(rng.start * 16000), int(rng.end * 16000)
    clip = pcm[:, a:b]
    fd, tmp = tempfile.mkstemp(suffix=".wav", dir=dst.parent)
    os.close(fd)
    try:
        with wave.open(tmp, "wb") as w:
            w.setnchannels(clip.shape[0])
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(clip.T.copy().tobytes())
        shifted = [TimeRange(max(0.0, r.start - rng.start), max(0.0, min(r.end, rng.end) - rng.start))
                   for r in redact if r.end > rng.start and r.start < rng.end]
        redact_file(tmp, dst, shifted, mode=mode)
    finally:
        os.unlink(tmp)


def promote(ctx: AppContext, actor: User, tag_id: int, *, label: str | None = None, description: str = "",
            before: float = 2.0, after: float = 2.0, extra_spans=None, removed_spans=None,
            mode: str = "bleep") -> ClipView:
    """Store an anonymised example from a tag; only the anonymised version is kept."""
    pv = preview(ctx, actor, tag_id, before, after, extra_spans, removed_spans)
    label = label or ("goed" if pv.polarity == "+" else "slecht")
    if label not in LABELS:
        raise ServiceError("Kies 'goed' of 'slecht' als label.")
    with ctx.db.unit_of_work() as s:
        tag = s.get(Tag, tag_id)
        conv = s.get(Conversation, tag.conversation_id)
        src = ctx.audio.path(conv.audio.stored_path) if pv.has_audio else None
        clip = LibraryClip(source_conversation_id=conv.id, source_tag_id=tag.id, item_code=pv.item, label=label,
                           channel=conv.channel, description=description.strip(),
                           excerpt=_excerpt_text(pv.excerpt.segments, pv.excerpt.texts_after),
                           start=pv.range.start, end=pv.range.end, created_by_id=actor.id)
        s.add(clip)
        s.flush()
        if src is not None:
            name = f"clip-{clip.id}.ogg"
            try:
                _write_clip(src, pv.range, list(pv.excerpt.time_ranges), _library_dir(ctx) / name, mode)
            except (AudioError, OSError) as exc:
                raise ServiceError(f"Het audiofragment kon niet gemaakt worden: {exc}") from exc
            clip.audio_path = name
        audit.record(s, actor, "promote", "library", clip.id,
                     f"tag {tag_id}, {pv.excerpt.span_count} persoonsgegevens verwijderd")
        return _view(ctx, clip)


def list_clips(ctx: AppContext, actor: User, *, eindterm: str = "", item: str = "", label: str = "",
               channel: str = "", text: str = "") -> list[ClipView]:
    rubric = default_rubric()
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


def update_clip(ctx: AppContext, actor: User, clip_id: int, *, item: str | None = None, label: str | None = None,
                description: str | None = None) -> ClipView:
    require_role(actor, "coordinator", "beheerder")
    with ctx.db.unit_of_work() as s:
        c = s.get(LibraryClip, clip_id)
        if c is None:
            raise NotFound("Dit voorbeeld bestaat niet meer.")
        if item is not None:
            if not default_rubric().has_item(item):
                raise ServiceError(f"Onbekend checklistitem '{item}'.")
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
    require_role(actor, "coordinator", "beheerder")
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
            manifest.append({"item": c.item, "label": c.label, "channel": c.channel, "description": c.description,
                             "excerpt": c.excerpt, "duration": round(c.duration, 3), "audio": audio})
        zf.writestr(MANIFEST, json.dumps({"format": "ksf-review-library", "version": 1, "examples": manifest},
                                         ensure_ascii=False, indent=1))
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=["item", "label", "channel", "description", "excerpt", "duration", "audio"],
                           delimiter=";")
        w.writeheader()
        w.writerows(manifest)
        zf.writestr("manifest.csv", "\ufeff" + out.getvalue())
    with ctx.db.unit_of_work() as s:
        audit.record(s, actor, "export", "library", ",".join(map(str, clip_ids)), f"{len(clips)} voorbeelden")
    return buf.getvalue()


def import_zip(ctx: AppContext, actor: User, data: bytes) -> int:
    """Import examples from a library zip; everything is validated before anything is stored."""
    require_role(actor, "coordinator", "beheerder")
    if len(data) > MAX_IMPORT_BYTES:
        raise ServiceError("Het zipbestand is te groot.")
    rubric = default_rubric()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ServiceError("Dit is geen geldig zipbestand (beschadigd of onvolledig). Er is niets geïmporteerd.") from exc
    if bad:
        raise ServiceError(f"Het zipbestand is beschadigd ({bad}). Er is niets geïmporteerd.")
    try:
        doc = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise ServiceError("Het zipbestand bevat geen manifest.json. Er is niets geïmporteerd.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ServiceError(f"manifest.json is ongeldig: {exc}. Er is niets geïmporteerd.") from exc
    examples = doc.get("examples") if isinstance(doc, dict) else None
    if doc.get("format") != "ksf-review-library" or not isinstance(examples, list):
        raise ServiceError("manifest.json is geen ksf-review-bibliotheek. Er is niets geïmporteerd.")
    names = set(zf.namelist())
    staged = []
    with tempfile.TemporaryDirectory(dir=_library_dir(ctx)) as tmp:
        for i, ex in enumerate(examples, 1):
            if not isinstance(ex, dict) or not rubric.has_item(str(ex.get("item"))) or ex.get("label") not in LABELS:
                raise ServiceError(f"Voorbeeld {i} in manifest.json heeft een onbekend item of label. "
                                   "Er is niets geïmporteerd.")
            audio = ex.get("audio")
            local = None
            if audio:
                if audio not in names or not audio.startswith("audio/") or ".." in audio:
                    raise ServiceError(f"Voorbeeld {i}: audiobestand '{audio}' ontbreekt in de zip. "
                                       "Er is niets geïmporteerd.")
                local = Path(tmp) / f"import-{i}.ogg"
                local.write_bytes(zf.read(audio))
                try:
                    probe(local, name=audio)
                except AudioError as exc:
                    raise ServiceError(f"Voorbeeld {i}: {exc} Er is niets geïmporteerd.") from exc
            staged.append((ex, local))
        with ctx.db.unit_of_work() as s:
            for ex, local in staged:
                dur = float(ex.get("duration") or 0.0)
                clip = LibraryClip(item_code=ex["item"], label=ex["label"], channel=str(ex.get("channel", "telefoon")),
                                   description=str(ex.get("description", "")), excerpt=str(ex.get("excerpt", "")),
                                   start=0.0, end=dur, created_by_id=actor.id)
                s.add(clip)
                s.flush()
                if local is not None:
                    name = f"clip-{clip.id}.ogg"
                    os.replace(local, _library_dir(ctx) / name)
                    clip.audio_path = name
            audit.record(s, actor, "import", "library", "", f"{len(staged)} voorbeelden")
    return len(staged)


def describe(clip: ClipView) -> str:
    return f"{clip.item} · {LABELS.get(clip.label, clip.label)} · {clip.channel} · {format_time(clip.duration)}"
