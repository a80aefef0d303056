"""Transcript corrections that never lose timing: renamed speakers, corrected text.

The recognised text stays beside the correction (with who and when), so the original can
always be shown and an audit can see what the examiner changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from ..adapters.storage.models import Conversation, User
from ..adapters.storage.models import Segment as SegmentRow
from ..adapters.storage.models import Transcript as TranscriptRow
from ..domain.transcript import AGENT, CUSTOMER
from . import audit
from .access import ensure_conversation_read, ensure_conversation_write
from .context import AppContext, Conflict, NotFound, ServiceError
from .conversations import RevisionCache, transcript_revision
from .optimistic import check_version, versioned_unit
from .tagging import requote_tags


@dataclass(frozen=True)
class SegmentDetail:
    id: int
    index: int
    start: float
    end: float
    speaker: str
    original_speaker: str
    text: str
    original_text: str
    edited_by: str | None
    edited_at: datetime | None
    version: int = 1  # what the examiner saw; a correction sends it back (optimistic locking)


def _detail(row: SegmentRow, edited_by: str | None) -> SegmentDetail:
    """A segment as the correction form shows it: what is shown now beside what was recognised."""
    return SegmentDetail(
        row.id,
        row.index,
        row.start,
        row.end,
        row.speaker_override or row.speaker,
        row.speaker,
        row.edited_text if row.edited_text is not None else row.text,
        row.text,
        edited_by,
        row.edited_at,
        row.version,
    )


CONFLICT = "Deze regel is intussen door iemand anders gecorrigeerd; er is niets overschreven."


def _conversation(s, conv_id: int, actor: User) -> Conversation:
    conv = s.get(Conversation, conv_id)
    if conv is None:
        raise NotFound(f"Gesprek {conv_id} bestaat niet (meer).")
    ensure_conversation_write(s, actor, conv)  # never via a calibration session; not when finalised
    return conv


RENAMED = "Deze spreker is intussen door iemand anders hernoemd; er is niets overschreven."


def rename_speaker(ctx: AppContext, actor: User, conv_id: int, label: str, new_name: str, expected: str | None = None) -> None:
    """Show `label` (medewerker/klant/spreker) as `new_name` everywhere, exports included.

    `expected`: the name the examiner saw; when someone renamed the speaker since, the rename
    is refused (Conflict) instead of overwriting theirs."""
    new_name = new_name.strip()
    if not new_name:
        raise ServiceError("Geef de spreker een naam.")
    with ctx.db.unit_of_work() as s:
        conv = _conversation(s, conv_id, actor)
        names = dict(conv.speaker_names or {})
        if expected is not None and names.get(label, label) != expected:
            raise Conflict(RENAMED)
        if new_name == label:
            names.pop(label, None)
        else:
            names[label] = new_name[:80]
        conv.speaker_names = names
        audit.record(s, actor, "rename_speaker", "conversation", conv_id, f"{label} → {new_name}")


_SWAP = {AGENT: CUSTOMER, CUSTOMER: AGENT}


def speakers_guessed(ctx: AppContext, actor: User, conv_id: int) -> bool:
    """Were the medewerker and the klant of this recording told apart by voice (a mono call),
    so that which one is the medewerker is a guess the examiner may need to swap?"""
    with ctx.db.unit_of_work() as s:
        conv = s.get(Conversation, conv_id)
        if conv is None or conv.audio is None or conv.audio.channels == 2:
            return False
        ensure_conversation_read(s, actor, conv)
        tr = s.scalar(select(TranscriptRow).where(TranscriptRow.conversation_id == conv_id).order_by(TranscriptRow.id.desc()).limit(1))
        if tr is None:
            return False
        return {AGENT, CUSTOMER} <= {r.speaker for r in tr.segments}


def swap_speakers(ctx: AppContext, actor: User, conv_id: int) -> int:
    """Sprekers omwisselen: medewerker and klant change places in the whole conversation, as a
    correction of each segment's speaker (the recognised speaker stays beside it, and a copy
    of the transcript for another conversation of the same audio starts from the recognised
    one). Times, text, tags and names per role stay as they are. Returns the number of
    segments whose speaker changed."""
    with versioned_unit(ctx, CONFLICT) as s:
        _conversation(s, conv_id, actor)
        tr = _latest(s, conv_id)
        changed = 0
        for row in tr.segments:
            shown = row.speaker_override or row.speaker
            swapped = _SWAP.get(shown, shown)
            if swapped != shown:
                row.speaker_override = None if swapped == row.speaker else swapped
                changed += 1
        s.flush()
        audit.record(s, actor, "swap_speakers", "conversation", conv_id, f"medewerker ↔ klant, {changed} segmenten")
        return changed


def _latest(s, conv_id: int) -> TranscriptRow:
    tr = s.scalar(select(TranscriptRow).where(TranscriptRow.conversation_id == conv_id).order_by(TranscriptRow.id.desc()).limit(1))
    if tr is None:
        raise ServiceError("Dit gesprek heeft nog geen transcript.")
    return tr


_DETAILS = RevisionCache()


def segment_details(ctx: AppContext, actor: User, conv_id: int) -> list[SegmentDetail]:
    with ctx.db.unit_of_work() as s:
        conv = s.get(Conversation, conv_id)
        if conv is None or conv.audio_id is None:
            return []
        ensure_conversation_read(s, actor, conv)
        tr = s.scalar(select(TranscriptRow).where(TranscriptRow.conversation_id == conv_id).order_by(TranscriptRow.id.desc()).limit(1))
        if tr is None:
            return []
        key = (ctx.settings.database_url, transcript_revision(s, tr.id))
        hit = _DETAILS.get(key)
        if hit is not None:
            return list(hit)
        users = {u.id: u.display_name for u in s.scalars(select(User))}
        out = [_detail(r, users.get(r.edited_by_id)) for r in tr.segments]
        _DETAILS.put(key, tuple(out))  # per transcript revision: the page reads them on every run
        return out


def edit_segment(
    ctx: AppContext,
    actor: User,
    conv_id: int,
    index: int,
    *,
    text: str | None = None,
    speaker: str | None = None,
    expected_version: int | None = None,
) -> SegmentDetail:
    """Correct one segment's text and/or speaker; start and end never change.

    `expected_version` is the segment version the examiner saw: if someone else corrected
    the line since, the correction is refused (Conflict) instead of overwriting theirs.
    """
    with versioned_unit(ctx, CONFLICT) as s:
        _conversation(s, conv_id, actor)
        tr = _latest(s, conv_id)
        row = s.scalar(select(SegmentRow).where(SegmentRow.transcript_id == tr.id, SegmentRow.index == index))
        if row is None:
            raise NotFound("Dit segment bestaat niet.")
        check_version(row, expected_version, CONFLICT)
        changes = []
        if text is not None:
            text = " ".join(text.split())
            if not text:
                raise ServiceError("Een segment kan niet leeg zijn; laat de tekst staan of corrigeer hem.")
            row.edited_text = None if text == row.text else text
            changes.append("tekst")
        if speaker is not None:
            speaker = speaker.strip()
            row.speaker_override = None if speaker in ("", row.speaker) else speaker[:40]
            changes.append("spreker")
        row.edited_by_id, row.edited_at = actor.id, datetime.now(timezone.utc)
        s.flush()  # the version check happens here (UPDATE … WHERE version = read version)
        if text is not None:  # tags over this line quote the corrected words
            requote_tags(s, s.get(Conversation, conv_id), row.start, row.end)
        audit.record(s, actor, "edit_segment", "conversation", conv_id, f"segment {index}: {', '.join(changes)}")
        return _detail(row, actor.display_name)
