"""Conversations in: audio uploads (probed, content-addressed, deduplicated) and text.

An upload is checked completely before anything is written to the database, so a bad
file leaves no trace; a second upload of the same recording in the same exam is refused
with the name of the conversation that already holds it.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import delete, func, select, update

from ..adapters.audio import AudioError, sha256_file
from ..adapters.audio_guard import probe_with_limit
from ..adapters.storage.models import (
    AudioAsset,
    Conversation,
    Exam,
    TextTurn,
    TranscriptionJob,
    User,
)
from ..adapters.storage.models import (
    Segment as SegmentRow,
)
from ..adapters.storage.models import (
    Transcript as TranscriptRow,
)
from ..domain.states import ExamStatus, JobState
from ..domain.transcript import Segment, Word
from ..domain.turns import LineWarning, Turn, TurnParseError, inspect_turns
from . import audit
from .access import ensure_conversation_read, ensure_conversation_write, ensure_exam_access, ensure_exam_write
from .context import AppContext, NotFound, ServiceError

CHANNELS = ("telefoon", "chat", "e-mail")


class DuplicateUpload(ServiceError):
    pass


@dataclass(frozen=True)
class ConversationView:
    id: int
    exam_id: int | None
    title: str
    channel: str
    occurred_at: datetime | None
    has_audio: bool
    audio_path: Path | None
    audio_format: str
    mimetype: str
    channels: int
    duration: float
    agent_channel: str
    speaker_names: dict
    job_status: str | None
    job_progress: float
    job_error: str | None
    job_eta: float | None
    job_id: int | None
    audio_sha256: str = ""
    warnings: tuple[str, ...] = ()
    no_speech: bool = False  # transcribed, and not one word of speech found
    no_speech_confirmed: bool = False  # the examiner said it counts all the same

    @property
    def is_text(self) -> bool:
        return not self.has_audio

    @property
    def counts(self) -> bool:
        """Counts toward the exam's minimum of conversations (a silent recording only once confirmed)."""
        return not self.no_speech or self.no_speech_confirmed


_MIME = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "flac": "audio/flac",
    "mov,mp4,m4a,3gp,3g2,mj2": "audio/mp4",
    "aac": "audio/aac",
    "matroska,webm": "audio/webm",
}
_EXT = {"wav": "wav", "mp3": "mp3", "ogg": "ogg", "flac": "flac", "mov,mp4,m4a,3gp,3g2,mj2": "m4a", "aac": "aac", "matroska,webm": "webm"}


def check_conversation_access(s, actor: User, conv: Conversation) -> None:
    """Read access (exam, or calibration participant); changes use `access.ensure_conversation_write`."""
    ensure_conversation_read(s, actor, conv)


def accessible_conversation(s, actor: User, conv_id: int) -> Conversation:
    """The conversation row, or NotFound/Forbidden (Dutch) when it is gone or not yours."""
    conv = s.get(Conversation, conv_id)
    if conv is None:
        raise NotFound(f"Gesprek {conv_id} bestaat niet (meer).")
    check_conversation_access(s, actor, conv)
    return conv


def _latest_job(s, conv_id: int) -> TranscriptionJob | None:
    return s.scalar(
        select(TranscriptionJob).where(TranscriptionJob.conversation_id == conv_id).order_by(TranscriptionJob.id.desc()).limit(1)
    )


def _turn_count(s, conv_id: int) -> int:
    """Counted in SQL: loading a long chat's turns only to count them cost seconds."""
    return s.scalar(select(func.count(TextTurn.id)).where(TextTurn.conversation_id == conv_id)) or 0


def _has_no_speech(s, conv: Conversation) -> bool:
    """A recording whose transcript exists but holds no spoken word (a beep, silence).

    Without a transcript (queued, failed, or removed by retention) nothing is known, so the
    recording is not flagged.
    """
    if conv.audio_id is None:
        return False
    transcripts = select(TranscriptRow.id).where(TranscriptRow.conversation_id == conv.id)
    if s.scalar(transcripts.limit(1)) is None:
        return False
    spoken = s.scalar(
        select(SegmentRow.id)
        .where(SegmentRow.transcript_id.in_(transcripts), func.trim(func.coalesce(SegmentRow.edited_text, SegmentRow.text)) != "")
        .limit(1)
    )
    return spoken is None


def counted_conversations(s, exam_id: int) -> int:
    """The exam's conversations that count toward its minimum (verdict, finalise warnings)."""
    convs = s.scalars(select(Conversation).where(Conversation.exam_id == exam_id)).all()
    return sum(1 for c in convs if c.no_speech_confirmed_at is not None or not _has_no_speech(s, c))


def conversation_view(ctx: AppContext, s, conv: Conversation) -> ConversationView:
    a = conv.audio
    job = _latest_job(s, conv.id) if a else None
    path = ctx.audio.local_path(a.stored_path) if a and a.deleted_at is None else None
    return ConversationView(
        id=conv.id,
        exam_id=conv.exam_id,
        title=conv.title,
        channel=conv.channel,
        occurred_at=conv.occurred_at,
        has_audio=a is not None,
        audio_path=path,
        audio_format=a.format if a else "",
        mimetype=_MIME.get(a.format, "audio/wav") if a else "",
        channels=a.channels if a else 0,
        duration=a.duration if a else float(_turn_count(s, conv.id)),
        agent_channel=conv.agent_channel,
        speaker_names=dict(conv.speaker_names or {}),
        job_status=job.status if job else None,
        job_progress=job.progress if job else 0.0,
        job_error=job.error if job else None,
        job_eta=job.eta_seconds if job else None,
        job_id=job.id if job else None,
        audio_sha256=a.sha256 if a else "",
        no_speech=_has_no_speech(s, conv),
        no_speech_confirmed=conv.no_speech_confirmed_at is not None,
    )


def _editable_exam(s, exam_id: int, actor: User) -> Exam:
    exam = s.get(Exam, exam_id)
    if exam is None:
        raise NotFound(f"Examen {exam_id} bestaat niet (meer).")
    ensure_exam_write(actor, exam)
    return exam


def add_audio_conversation(
    ctx: AppContext,
    actor: User,
    exam_id: int,
    filename: str,
    data: bytes | Path,
    *,
    title: str = "",
    agent_channel: str | None = None,
    occurred_at: datetime | None = None,
    source_ref: str = "",
) -> ConversationView:
    """Probe, store and register an uploaded recording, and queue its transcription."""
    agent_channel = agent_channel or ctx.settings.agent_channel
    if agent_channel not in ("left", "right"):
        raise ServiceError("Kies links of rechts als kanaal van de medewerker.")
    size = len(data) if isinstance(data, bytes) else Path(data).stat().st_size
    limit = ctx.settings.max_upload_mb * 1024 * 1024
    if size > limit:
        raise ServiceError(f"'{filename}' is te groot ({size / 1048576:.0f} MB); het maximum is {ctx.settings.max_upload_mb} MB.")
    tmp_dir = ctx.settings.data_dir / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            else:
                with open(data, "rb") as src:
                    while block := src.read(1 << 20):
                        out.write(block)
        try:
            info, warnings = probe_with_limit(tmp, Path(filename).name, ctx.settings.decode_timeout)
        except AudioError as exc:
            raise ServiceError(str(exc)) from exc
        if info.duration > ctx.settings.max_duration_hours * 3600:
            raise ServiceError(
                f"'{filename}' duurt {info.duration / 3600:.1f} uur; het maximum is "
                f"{ctx.settings.max_duration_hours} uur per opname. Knip de opname op in losse gesprekken."
            )
        if info.channels > 2:
            warnings.append(
                f"'{filename}' heeft {info.channels} kanalen; ze zijn samengevoegd en de sprekers "
                "worden aan hun stem onderscheiden. "
                "Zet medewerker en klant bij voorkeur op links en rechts van een stereobestand."
            )
        if info.duration > 90 * 60:
            warnings.append(f"'{filename}' is lang ({info.duration / 60:.0f} min); de transcriptie duurt even.")
        sha = sha256_file(tmp)
        with ctx.db.unit_of_work() as s:
            exam = _editable_exam(s, exam_id, actor)
            asset = s.scalar(select(AudioAsset).where(AudioAsset.sha256 == sha))
            if asset is not None:
                dup = s.scalar(select(Conversation).where(Conversation.exam_id == exam.id, Conversation.audio_id == asset.id))
                if dup is not None:
                    raise DuplicateUpload(f"Deze opname is al toegevoegd aan dit examen als gesprek '{dup.title}'. Er is niets gewijzigd.")
            _, rel = ctx.audio.put_file(tmp, _EXT.get(info.format, "bin"), sha)
            if asset is None:
                asset = AudioAsset(
                    sha256=sha,
                    stored_path=rel,
                    original_name=Path(filename).name[:300],
                    format=info.format,
                    channels=info.channels,
                    sample_rate=info.sample_rate,
                    duration=info.duration,
                    size=info.size,
                )
                s.add(asset)
            elif asset.deleted_at is not None:
                asset.deleted_at = None
                asset.stored_path = rel
            conv = Conversation(
                exam_id=exam.id,
                channel="telefoon",
                title=(title or Path(filename).stem)[:300],
                audio=asset,
                agent_channel=agent_channel,
                occurred_at=occurred_at,
                created_by_id=actor.id,
                source_ref=source_ref,
            )
            s.add(conv)
            s.flush()
            if exam.status == ExamStatus.DRAFT:
                exam.status = ExamStatus.IN_REVIEW
            from .transcription_jobs import attach_cached_or_queue

            attach_cached_or_queue(ctx, s, conv)
            audit.record(s, actor, "upload", "conversation", conv.id, f"{info.label}, {info.duration:.1f} s, sha256 {sha[:12]}")
            s.flush()
            return dataclasses.replace(conversation_view(ctx, s, conv), warnings=tuple(warnings))
    finally:
        tmp.unlink(missing_ok=True)


class NeedsConfirmation(ServiceError):
    """The text has lines that are not clearly a turn; the examiner must confirm the import."""

    def __init__(self, message: str, warnings: tuple[LineWarning, ...]):
        super().__init__(message)
        self.warnings = warnings


@dataclass(frozen=True)
class TextPreview:
    """What an import of a chat/e-mail would store, and the lines to look at first."""

    turns: int
    agent_turns: int
    customer_turns: int
    warnings: tuple[LineWarning, ...]


def size_text(n: int) -> str:
    """Bytes as Dutch kB/MB, rounded up (a text just over the limit never reads as the limit)."""
    if n >= 1048576:
        tenths = math.ceil(n / 104857.6)
        return (f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}") + " MB"
    return f"{math.ceil(n / 1024)} kB"


def _text_of(ctx: AppContext, text: str | bytes) -> str:
    """The text to import: at most `max_text_kb`, UTF-8 (checked before anything is parsed)."""
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    limit = ctx.settings.max_text_kb * 1024
    if size > limit:
        raise ServiceError(
            f"Dit gesprek is te groot ({size_text(size)}); een chat of e-mail mag hoogstens "
            f"{size_text(limit)} tekst zijn. "
            "Laat bijlagen en oude berichten weg, of verdeel het over meer gesprekken. Er is niets opgeslagen."
        )
    if isinstance(text, bytes):
        try:
            return text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceError("Het tekstbestand is geen UTF-8-tekst. Sla het op als UTF-8 en probeer opnieuw.")
    return text


def _parse_text(ctx: AppContext, text: str | bytes) -> tuple[list, list[LineWarning]]:
    try:
        return inspect_turns(_text_of(ctx, text))
    except TurnParseError as exc:
        raise ServiceError(str(exc)) from exc


def preview_text_conversation(ctx: AppContext, text: str | bytes) -> TextPreview:
    """Parse without storing: the turn counts and the lines the examiner should check."""
    turns, warnings = _parse_text(ctx, text)
    agents = sum(t.speaker == "medewerker" for t in turns)
    return TextPreview(len(turns), agents, len(turns) - agents, tuple(warnings))


def describe_warnings(warnings) -> list[str]:
    """One Dutch line per warning, with its line number."""
    return [f"Regel {w.line}: “{w.text if len(w.text) <= 80 else w.text[:79] + '…'}” {w.message}." for w in warnings]


def add_text_conversation(
    ctx: AppContext,
    actor: User,
    exam_id: int,
    text: str | bytes,
    *,
    channel: str = "chat",
    title: str = "",
    occurred_at: datetime | None = None,
    source_ref: str = "",
    confirmed: bool = False,
) -> ConversationView:
    """Store a chat or e-mail; lines that are not clearly a turn need `confirmed=True`."""
    if channel not in ("chat", "e-mail"):
        raise ServiceError("Een tekstgesprek is een chat of een e-mail.")
    turns, warnings = _parse_text(ctx, text)
    if warnings and not confirmed:
        raise NeedsConfirmation(
            f"{len(warnings)} regel(s) zijn niet duidelijk een beurt van medewerker (M:) of klant (K:). "
            "Controleer ze en voeg het gesprek daarna toe, of pas de tekst aan.",
            tuple(warnings),
        )
    with ctx.db.unit_of_work() as s:
        exam = _editable_exam(s, exam_id, actor)
        conv = Conversation(
            exam_id=exam.id,
            channel=channel,
            title=(title or channel.capitalize())[:300],
            occurred_at=occurred_at,
            created_by_id=actor.id,
            source_ref=source_ref,
        )
        conv.turns = [TextTurn(index=t.index, speaker=t.speaker, text=t.text, timestamp=t.timestamp) for t in turns]
        s.add(conv)
        if exam.status == ExamStatus.DRAFT:
            exam.status = ExamStatus.IN_REVIEW
        s.flush()
        detail = f"{channel}, {len(turns)} beurten"
        if warnings:
            detail += f", {len(warnings)} waarschuwing(en) bevestigd (regels {', '.join(str(w.line) for w in warnings[:20])})"
        audit.record(s, actor, "create", "conversation", conv.id, detail)
        return conversation_view(ctx, s, conv)


def list_conversations(ctx: AppContext, actor: User, exam_id: int) -> list[ConversationView]:
    with ctx.db.unit_of_work() as s:
        ensure_exam_access(actor, s.get(Exam, exam_id))
        convs = s.scalars(
            select(Conversation).where(Conversation.exam_id == exam_id).order_by(Conversation.occurred_at, Conversation.id)
        ).all()
        return [conversation_view(ctx, s, c) for c in convs]


def get_conversation(ctx: AppContext, actor: User, conv_id: int) -> ConversationView:
    with ctx.db.unit_of_work() as s:
        conv = accessible_conversation(s, actor, conv_id)
        return conversation_view(ctx, s, conv)


def conversation_segments(
    ctx: AppContext, actor: User, conv_id: int, apply_names: bool = True, span: tuple[float, float] | None = None
) -> list[Segment]:
    """The conversation as segments: the transcript (corrections applied) or the text turns.

    `apply_names=False` keeps the role labels (medewerker/klant) instead of renamed speakers,
    for anything that leaves the exam (the example library). `span` (start, end): only the
    segments overlapping it (for text: the turns in it, read as plain rows, not ORM objects).
    """
    with ctx.db.unit_of_work() as s:
        conv = accessible_conversation(s, actor, conv_id)
        names = (conv.speaker_names or {}) if apply_names else {}
        if conv.audio_id is None:
            q = select(TextTurn.index, TextTurn.speaker, TextTurn.text).where(TextTurn.conversation_id == conv_id).order_by(TextTurn.index)
            if span is not None:
                q = q.where(TextTurn.index + 1 > span[0], TextTurn.index < span[1])
            return [dataclasses.replace(Turn(i, spk, text).as_segment(), speaker=names.get(spk, spk)) for i, spk, text in s.execute(q)]
        tr = s.scalar(select(TranscriptRow).where(TranscriptRow.conversation_id == conv_id).order_by(TranscriptRow.id.desc()).limit(1))
        if tr is None:
            return []
        key = (ctx.settings.database_url, transcript_revision(s, tr.id), tuple(sorted(names.items())))
        full = _SEGMENTS.get(key)
        if full is None:
            out = []
            for row in tr.segments:
                speaker = row.speaker_override or row.speaker
                out.append(
                    Segment(
                        start=row.start,
                        end=row.end,
                        speaker=names.get(speaker, speaker),
                        text=row.edited_text if row.edited_text is not None else row.text,
                        channel=row.channel,
                        words=tuple(Word.from_dict(w) for w in row.words or ()),
                    )
                )
            full = tuple(out)
            _SEGMENTS.put(key, full)
        if span is None:
            return list(full)
        return [sg for sg in full if sg.start < span[1] and sg.end > span[0]]


class RevisionCache:
    """A small process-wide LRU keyed by a transcript revision (segments are immutable).

    Building 1,000 segments with their words from the database costs ~0.3 s, deriving the
    suggestions from them ~4 s; both only change when the transcript does, and every page
    run of every examiner needs them (#14.9).
    """

    def __init__(self, size: int = 16):
        self.size, self._data, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


_SEGMENTS = RevisionCache()


def transcript_revision(s, transcript_id: int) -> tuple:
    """Changes whenever the transcript's segments do: its id, their number, last correction and versions."""
    n, last, versions = s.execute(
        select(func.count(SegmentRow.id), func.max(SegmentRow.edited_at), func.sum(SegmentRow.version)).where(
            SegmentRow.transcript_id == transcript_id
        )
    ).one()
    return (transcript_id, n, str(last), versions)


def segments_revision(ctx: AppContext, actor: User, conv_id: int) -> tuple | None:
    """The revision of the conversation's segments as `conversation_segments` returns them (None: no transcript)."""
    with ctx.db.unit_of_work() as s:
        conv = accessible_conversation(s, actor, conv_id)
        if conv.audio_id is None:
            return ("turns", ctx.settings.database_url, conv_id, _turn_count(s, conv_id), tuple(sorted((conv.speaker_names or {}).items())))
        tr_id = s.scalar(
            select(TranscriptRow.id).where(TranscriptRow.conversation_id == conv_id).order_by(TranscriptRow.id.desc()).limit(1)
        )
        if tr_id is None:
            return None
        return (ctx.settings.database_url, transcript_revision(s, tr_id), tuple(sorted((conv.speaker_names or {}).items())))


def confirm_no_speech(ctx: AppContext, actor: User, conv_id: int) -> ConversationView:
    """The examiner confirms that a recording without speech counts toward the exam all the same."""
    with ctx.db.unit_of_work() as s:
        conv = accessible_conversation(s, actor, conv_id)
        ensure_conversation_write(s, actor, conv)  # also: the exam is not finalised
        if not _has_no_speech(s, conv):
            raise ServiceError("In dit gesprek is spraak gevonden; er valt niets te bevestigen.")
        if conv.no_speech_confirmed_at is None:
            conv.no_speech_confirmed_at = datetime.now(timezone.utc)
            audit.record(s, actor, "confirm_no_speech", "conversation", conv.id, f"{conv.title}: telt mee zonder gevonden spraak")
        return conversation_view(ctx, s, conv)


def record_view(ctx: AppContext, actor: User, conv_id: int) -> None:
    """Log that `actor` opened a conversation (the page calls this once per opening)."""
    with ctx.db.unit_of_work() as s:
        conv = accessible_conversation(s, actor, conv_id)
        audit.record(s, actor, "view", "conversation", conv_id, conv.title)


def rename_conversation(ctx: AppContext, actor: User, conv_id: int, title: str) -> ConversationView:
    """A new title; refused on a finalised exam (reopen it first), logged with the old and new title."""
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError("Geef het gesprek een titel.")
    if len(title) > 300:
        raise ServiceError("Een titel is hoogstens 300 tekens.")
    with ctx.db.unit_of_work() as s:
        conv = accessible_conversation(s, actor, conv_id)
        ensure_conversation_write(s, actor, conv)
        old = conv.title
        if title != old:
            conv.title = title
            audit.record(s, actor, "rename", "conversation", conv.id, f"'{old}' → '{title}'")
        return conversation_view(ctx, s, conv)


def delete_conversation(ctx: AppContext, actor: User, conv_id: int) -> str:
    """Remove a conversation with its transcript, tags and jobs; returns its title.

    Refused on a finalised exam (reopen it first), while its transcription runs, and while a
    calibration session uses it. The audit trail keeps every event about it, plus this one with
    its title and exam (the name lookup shows it as *verwijderd* from then on). The recording
    is removed from storage when no other conversation holds it.
    """
    from ..adapters.storage.models import (
        AudioAsset,
        CalibrationConversation,
        CalibrationSession,
        LibraryClip,
        SuggestionDecision,
        Tag,
    )

    with ctx.db.unit_of_work() as s:
        conv = accessible_conversation(s, actor, conv_id)
        ensure_conversation_write(s, actor, conv)
        session_title = s.scalar(
            select(CalibrationSession.title)
            .join(CalibrationConversation, CalibrationConversation.session_id == CalibrationSession.id)
            .where(CalibrationConversation.conversation_id == conv.id)
            .limit(1)
        )
        if session_title is not None:
            raise ServiceError(f"Dit gesprek hoort bij kalibratiesessie '{session_title}'; verwijderen kan daarom niet.")
        if s.scalar(
            select(TranscriptionJob.id)
            .where(TranscriptionJob.conversation_id == conv.id, TranscriptionJob.status == JobState.RUNNING)
            .limit(1)
        ):
            raise ServiceError("De transcriptie van dit gesprek loopt nog; annuleer haar eerst of wacht tot ze klaar is.")
        title, exam_id, audio_id, orphan = conv.title, conv.exam_id, conv.audio_id, None
        n_tags = s.scalar(select(func.count(Tag.id)).where(Tag.conversation_id == conv.id)) or 0
        tr_ids = s.scalars(select(TranscriptRow.id).where(TranscriptRow.conversation_id == conv.id)).all()
        tag_ids = s.scalars(select(Tag.id).where(Tag.conversation_id == conv.id)).all()
        s.execute(update(LibraryClip).where(LibraryClip.source_conversation_id == conv.id).values(source_conversation_id=None))
        if tag_ids:
            s.execute(update(LibraryClip).where(LibraryClip.source_tag_id.in_(tag_ids)).values(source_tag_id=None))
        s.execute(delete(SegmentRow).where(SegmentRow.transcript_id.in_(tr_ids)))
        s.execute(delete(TranscriptRow).where(TranscriptRow.id.in_(tr_ids)))
        s.execute(delete(TranscriptionJob).where(TranscriptionJob.conversation_id == conv.id))
        s.execute(delete(Tag).where(Tag.conversation_id == conv.id))
        s.execute(delete(SuggestionDecision).where(SuggestionDecision.conversation_id == conv.id))
        s.execute(delete(TextTurn).where(TextTurn.conversation_id == conv.id))
        s.delete(conv)
        s.flush()
        if audio_id is not None and s.scalar(select(Conversation.id).where(Conversation.audio_id == audio_id).limit(1)) is None:
            asset = s.get(AudioAsset, audio_id)
            if asset is not None:
                if asset.deleted_at is None:
                    orphan = (asset.stored_path, asset.sha256)
                s.delete(asset)
        audit.record(
            s, actor, "delete", "conversation", conv_id, f"gesprek '{title}' van examen {exam_id} verwijderd, met {n_tags} markering(en)"
        )
    from ..adapters import suggestion_store

    suggestion_store.delete(ctx.settings.suggestions_dir, conv_id)  # they quote the transcript
    if orphan:  # only once the rows are gone for good
        from ..adapters.waveform import delete_peaks

        ctx.audio.delete(orphan[0])
        delete_peaks(ctx.settings.peaks_dir, orphan[1])
    return title
