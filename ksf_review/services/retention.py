"""Retention of recordings (AVG): audio and transcripts of finalised exams expire.

After the configured number of days from finalising, an exam's audio files, transcripts,
text turns, tag excerpts and every file derived from a recording (the player's compressed
copy, the waveform peaks) or its transcript (the stored suggestions) are deleted; scores, verdict, tag positions and the report's
numbers stay, and anonymised library clips are separate copies that stay too. A preview
lists exactly what a run would delete, and every deletion is in the audit log. The worker
runs it by itself once a day (`run_scheduled_retention`); the beheerder can run it at once.
Each run is logged with its counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ..adapters import suggestion_store
from ..adapters.storage.models import (
    AppSetting,
    AudioAsset,
    Conversation,
    Exam,
    Segment,
    Tag,
    TextTurn,
    Transcript,
    User,
)
from ..adapters.waveform import delete_peaks
from ..domain.roles import Role
from ..domain.states import ExamStatus
from . import audit
from .accounts import require_role
from .context import AppContext, ServiceError

KEY = "retention_days"
DEFAULT_DAYS = 365
LAST_RUN_KEY = "retention_last_run"
#: the worker's automatic run happens at most this often
RUN_EVERY = timedelta(days=1)


@dataclass(frozen=True)
class RetentionItem:
    exam_id: int
    candidate: str
    finalised_at: datetime
    conversation_id: int
    conversation_title: str
    has_audio: bool
    transcript_segments: int


def get_retention_days(ctx: AppContext) -> int:
    with ctx.db.unit_of_work() as s:
        row = s.get(AppSetting, KEY)
        return int(row.value) if row else DEFAULT_DAYS


def set_retention_days(ctx: AppContext, actor: User, days: int) -> None:
    require_role(actor, Role.BEHEERDER)
    if not 1 <= int(days) <= 3650:
        raise ServiceError("Kies een bewaartermijn tussen 1 en 3650 dagen.")
    with ctx.db.unit_of_work() as s:
        row = s.get(AppSetting, KEY) or AppSetting(key=KEY, value="")
        row.value, row.updated_at = str(int(days)), datetime.now(timezone.utc)
        s.add(row)
        audit.record(s, actor, "set_retention", "settings", KEY, f"{days} dagen")


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _expired(s, now: datetime, days: int) -> tuple[list[RetentionItem], set[int]]:
    """What has outlived the retention period, and every conversation id of those exams."""
    cutoff = now - timedelta(days=days)
    out, conv_ids = [], set()
    exams = s.scalars(select(Exam).where(Exam.status == ExamStatus.FINALISED, Exam.finalised_at.is_not(None))).all()
    for exam in exams:
        if _aware(exam.finalised_at) > cutoff:
            continue
        for conv in s.scalars(select(Conversation).where(Conversation.exam_id == exam.id)):
            conv_ids.add(conv.id)
            n = sum(len(t.segments) for t in s.scalars(select(Transcript).where(Transcript.conversation_id == conv.id)))
            live_audio = conv.audio is not None and conv.audio.deleted_at is None
            if live_audio or n or conv.turns:
                out.append(
                    RetentionItem(exam.id, exam.candidate.name, exam.finalised_at, conv.id, conv.title, live_audio, n or len(conv.turns))
                )
    return out, conv_ids


def preview(ctx: AppContext, actor: User, now: datetime | None = None) -> list[RetentionItem]:
    require_role(actor, Role.BEHEERDER)
    now = now or datetime.now(timezone.utc)
    days = get_retention_days(ctx)
    with ctx.db.unit_of_work() as s:
        return _expired(s, now, days)[0]


@dataclass(frozen=True)
class RetentionRun:
    """The counts of one run, as the audit log records them."""

    conversations: int
    recordings: int
    files: int
    segments: int


def _delete_expired(ctx: AppContext, actor: User | None, now: datetime) -> RetentionRun:
    """Delete everything derived from the expired recordings and texts, and log the run.

    Files go after the database commit, so a failed transaction never leaves live rows that
    point at deleted files.
    """
    days = get_retention_days(ctx)
    segments = 0
    doomed: list[tuple[str, str]] = []  # (stored_path, sha256) of recordings to remove
    with ctx.db.unit_of_work() as s:
        items, expired_ids = _expired(s, now, days)
        for it in items:
            conv = s.get(Conversation, it.conversation_id)
            tr_ids = s.scalars(select(Transcript.id).where(Transcript.conversation_id == conv.id)).all()
            s.execute(delete(Segment).where(Segment.transcript_id.in_(tr_ids)))
            s.execute(delete(Transcript).where(Transcript.id.in_(tr_ids)))
            s.execute(delete(TextTurn).where(TextTurn.conversation_id == conv.id))
            for tag in s.scalars(select(Tag).where(Tag.conversation_id == conv.id)):
                tag.excerpt = ""
            segments += it.transcript_segments
            if conv.audio is not None and conv.audio.deleted_at is None:
                asset: AudioAsset = conv.audio
                # the same recording in a conversation that has not expired (another exam, a
                # calibration session) keeps the file until that one expires too
                others = s.scalars(select(Conversation.id).where(Conversation.audio_id == asset.id)).all()
                if set(others) <= expired_ids:
                    doomed.append((asset.stored_path, asset.sha256))
                    asset.deleted_at = datetime.now(timezone.utc)
            audit.record(
                s,
                actor,
                "retention_delete",
                "conversation",
                conv.id,
                f"examen {it.exam_id}: audio {'ja' if it.has_audio else 'nee'}, {it.transcript_segments} segmenten/beurten",
            )
    for it in items:  # derived from the transcript (they quote it): not counted as a recording's files
        suggestion_store.delete(ctx.settings.suggestions_dir, it.conversation_id)
    files = 0
    for rel, sha in doomed:
        files += ctx.audio.delete(rel)
        files += delete_peaks(ctx.settings.peaks_dir, sha)
    result = RetentionRun(len(items), len(doomed), files, segments)
    with ctx.db.unit_of_work() as s:
        audit.record(
            s,
            actor,
            "retention_run",
            "settings",
            KEY,
            f"{'automatisch' if actor is None else 'handmatig'}, bewaartermijn {days} dagen: "
            f"{result.conversations} gesprek(ken), {result.recordings} opname(s), "
            f"{result.files} bestand(en), {result.segments} segmenten/beurten verwijderd",
        )
    return result


def run_retention(ctx: AppContext, actor: User, now: datetime | None = None) -> int:
    """The beheerder's button: delete what `preview` lists; returns the number of conversations cleared."""
    require_role(actor, Role.BEHEERDER)
    return _delete_expired(ctx, actor, now or datetime.now(timezone.utc)).conversations


def last_scheduled_run(ctx: AppContext) -> datetime | None:
    """When the automatic daily run last started (None: never)."""
    with ctx.db.unit_of_work() as s:
        row = s.get(AppSetting, LAST_RUN_KEY)
    try:
        return _aware(datetime.fromisoformat(row.value)) if row else None
    except ValueError:
        return None


def _claim_daily_run(ctx: AppContext, now: datetime) -> bool:
    """True for exactly one caller per day, however many processes ask at once.

    The last run's time lives in app_settings; a process claims the run by a conditional
    update of that value (or the first insert), so a second process sees rowcount 0 or a
    duplicate key and skips.
    """
    try:
        with ctx.db.unit_of_work() as s:
            row = s.get(AppSetting, LAST_RUN_KEY)
            if row is None:
                s.add(AppSetting(key=LAST_RUN_KEY, value=now.isoformat(), updated_at=now))
                s.flush()
                return True
            try:
                last = _aware(datetime.fromisoformat(row.value))
            except ValueError:
                last = None
            if last is not None and abs(now - last) < RUN_EVERY:
                return False
            res = s.execute(
                update(AppSetting)
                .where(AppSetting.key == LAST_RUN_KEY, AppSetting.value == row.value)
                .values(value=now.isoformat(), updated_at=now)
            )
            return res.rowcount == 1
    except IntegrityError:
        return False  # another process inserted the first claim at the same moment


def run_scheduled_retention(ctx: AppContext, now: datetime | None = None) -> RetentionRun | None:
    """The system's daily run (no actor): at most once per day across all processes.

    Returns the run's counts, or None when a run already happened within the last day.
    """
    now = now or datetime.now(timezone.utc)
    if not _claim_daily_run(ctx, now):
        return None
    return _delete_expired(ctx, None, now)
