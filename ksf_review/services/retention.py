"""Retention of recordings (AVG): audio and transcripts of finalised exams expire.

After the configured number of days from finalising, an exam's audio files, transcripts,
text turns and tag excerpts are deleted; scores, verdict, tag positions and the report's
numbers stay, and anonymised library clips are separate copies that stay too. A preview
lists exactly what a run would delete, and every deletion is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select

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
from . import audit
from .accounts import require_role
from .context import AppContext, ServiceError

KEY = "retention_days"
DEFAULT_DAYS = 365


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
    require_role(actor, "beheerder")
    if not 1 <= int(days) <= 3650:
        raise ServiceError("Kies een bewaartermijn tussen 1 en 3650 dagen.")
    with ctx.db.unit_of_work() as s:
        row = s.get(AppSetting, KEY) or AppSetting(key=KEY, value="")
        row.value, row.updated_at = str(int(days)), datetime.now(timezone.utc)
        s.add(row)
        audit.record(s, actor, "set_retention", "settings", KEY, f"{days} dagen")


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def preview(ctx: AppContext, actor: User, now: datetime | None = None) -> list[RetentionItem]:
    require_role(actor, "beheerder")
    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(days=get_retention_days(ctx))
    out = []
    with ctx.db.unit_of_work() as s:
        exams = s.scalars(select(Exam).where(Exam.status == "finalised", Exam.finalised_at.is_not(None))).all()
        for exam in exams:
            if _aware(exam.finalised_at) > cutoff:
                continue
            for conv in s.scalars(select(Conversation).where(Conversation.exam_id == exam.id)):
                n = sum(len(t.segments) for t in s.scalars(select(Transcript).where(Transcript.conversation_id == conv.id)))
                live_audio = conv.audio is not None and conv.audio.deleted_at is None
                if live_audio or n or conv.turns:
                    out.append(RetentionItem(exam.id, exam.candidate.name, exam.finalised_at, conv.id, conv.title,
                                             live_audio, n or len(conv.turns)))
    return out


def run_retention(ctx: AppContext, actor: User, now: datetime | None = None) -> int:
    """Delete what `preview` lists; returns the number of conversations cleared."""
    items = preview(ctx, actor, now)
    with ctx.db.unit_of_work() as s:
        for it in items:
            conv = s.get(Conversation, it.conversation_id)
            tr_ids = s.scalars(select(Transcript.id).where(Transcript.conversation_id == conv.id)).all()
            s.execute(delete(Segment).where(Segment.transcript_id.in_(tr_ids)))
            s.execute(delete(Transcript).where(Transcript.id.in_(tr_ids)))
            s.execute(delete(TextTurn).where(TextTurn.conversation_id == conv.id))
            for tag in s.scalars(select(Tag).where(Tag.conversation_id == conv.id)):
                tag.excerpt = ""
            if conv.audio is not None and conv.audio.deleted_at is None:
                asset: AudioAsset = conv.audio
                others = s.scalar(select(Conversation.id).join(Exam, Exam.id == Conversation.exam_id)
                                  .where(Conversation.audio_id == asset.id, Conversation.id != conv.id,
                                         Exam.status != "finalised").limit(1))
                if others is None:
                    ctx.audio.delete(asset.stored_path)
                    asset.deleted_at = datetime.now(timezone.utc)
            audit.record(s, actor, "retention_delete", "conversation", conv.id,
                         f"examen {it.exam_id}: audio {'ja' if it.has_audio else 'nee'}, "
                         f"{it.transcript_segments} segmenten/beurten")
    return len(items)
