"""Tags: passages marked as evidence for a checklist item; saved at once, version-checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update

from ..adapters.storage.models import Conversation, Exam, Tag, TextTurn, User
from ..adapters.storage.models import Segment as SegmentRow
from ..adapters.storage.models import Transcript as TranscriptRow
from ..domain.quote import quote
from ..domain.tags import Polarity, TagOrigin, TimeRange
from ..domain.transcript import Segment, Word
from . import audit
from .access import ensure_conversation_read, ensure_conversation_write, ensure_exam_access
from .context import AppContext, NotFound, ServiceError
from .optimistic import check_version, versioned_unit

TAG_CONFLICT = "Deze markering is intussen door iemand anders gewijzigd; er is niets overschreven."


@dataclass(frozen=True)
class TagView:
    id: int
    conversation_id: int
    examiner_id: int | None
    start: float
    end: float
    item: str
    polarity: str
    note: str
    origin: str
    excerpt: str
    version: int
    assessment_id: int | None = None  # set: a calibration participant's blind tag


def _view(t: Tag) -> TagView:
    return TagView(
        t.id,
        t.conversation_id,
        t.examiner_id,
        t.start,
        t.end,
        t.item_code,
        t.polarity,
        t.note,
        t.origin,
        t.excerpt,
        t.version,
        t.assessment_id,
    )


def _conv_and_exam(s, conv_id: int, actor: User, assessment_id: int | None = None) -> tuple[Conversation, Exam | None]:
    conv = s.get(Conversation, conv_id)
    if conv is None:
        raise NotFound(f"Gesprek {conv_id} bestaat niet (meer).")
    if assessment_id is None:
        if conv.exam_id is not None:  # exam tags: exam access only, never via a calibration session
            ensure_exam_access(actor, s.get(Exam, conv.exam_id))
        else:
            ensure_conversation_read(s, actor, conv)
    else:
        from .calibration_access import ensure_calibration_conversation_access

        ensure_calibration_conversation_access(s, actor, conv)
    exam = s.get(Exam, conv.exam_id) if conv.exam_id else None
    return conv, exam


def _check_writable(s, actor: User, conv: Conversation, assessment_id: int | None) -> None:
    """Exam tags: write access to the conversation (never via a calibration session, not when
    finalised); calibration tags: the participant's own open assessment."""
    if assessment_id is None:
        ensure_conversation_write(s, actor, conv)
        return
    from .calibration_access import ensure_own_open_assessment

    ensure_own_open_assessment(s, actor, assessment_id)


def _detail(assessment_id: int | None, values: str) -> str:
    """Audit detail of a tag event: a blind calibration tag's item and polarity stay out of the log."""
    return values if assessment_id is None else "kalibratiemarkering (blind)"


def _validate(ctx: AppContext, exam: Exam | None, conv: Conversation, start: float, end: float, item: str) -> TimeRange:
    rubric = ctx.rubrics.get(exam.rubric_id, exam.rubric_version) if exam is not None else ctx.rubrics.get()
    if not rubric.has_item(item):
        raise ServiceError(f"Onbekende toetsterm '{item}'.")
    try:
        rng = TimeRange(float(start), float(end))
    except ValueError as exc:
        raise ServiceError(f"Ongeldige passage: {exc}") from exc
    limit = conv.audio.duration if conv.audio else float(len(conv.turns))
    if rng.end > limit + 0.5:
        raise ServiceError("De passage valt (deels) buiten het gesprek.")
    if rng.duration <= 0:
        raise ServiceError("Selecteer een passage van enige lengte.")
    return rng


def _shown_segments(s, conv: Conversation, start: float, end: float) -> list[Segment]:
    """The conversation's lines overlapping [start, end) as shown: corrections applied."""
    if conv.audio_id is None:
        rows = s.execute(
            select(TextTurn.index, TextTurn.speaker, TextTurn.text)
            .where(TextTurn.conversation_id == conv.id, TextTurn.index + 1 > start, TextTurn.index < end)
            .order_by(TextTurn.index)
        )
        return [Segment(float(i), float(i + 1), spk, text) for i, spk, text in rows]
    tr_id = s.scalar(select(TranscriptRow.id).where(TranscriptRow.conversation_id == conv.id).order_by(TranscriptRow.id.desc()).limit(1))
    if tr_id is None:
        return []
    rows = s.scalars(
        select(SegmentRow)
        .where(SegmentRow.transcript_id == tr_id, SegmentRow.start < end, SegmentRow.end > start)
        .order_by(SegmentRow.index)
    )
    return [
        Segment(
            r.start,
            r.end,
            r.speaker,
            r.edited_text if r.edited_text is not None else r.text,
            r.channel,
            tuple(Word.from_dict(w) for w in r.words or ()),
        )
        for r in rows
    ]


def tag_quote(s, conv: Conversation, start: float, end: float) -> str:
    """What a tag over [start, end) quotes now (domain.quote over the corrected transcript)."""
    return quote(_shown_segments(s, conv, start, end), start, end)


def requote_tags(s, conv: Conversation, start: float, end: float) -> int:
    """Refresh the quote of every tag (exam and calibration) overlapping [start, end) after a
    correction. The quote is derived, not the examiner's input: it is written without raising
    the tag's version, so an open edit form of that tag is not refused for it."""
    tags = s.execute(
        select(Tag.id, Tag.start, Tag.end, Tag.excerpt).where(Tag.conversation_id == conv.id, Tag.start < end, Tag.end > start)
    ).all()
    changed = 0
    for tag_id, t0, t1, old in tags:
        new = tag_quote(s, conv, t0, t1)
        if new != old:
            s.execute(update(Tag).where(Tag.id == tag_id).values(excerpt=new).execution_options(synchronize_session=False))
            changed += 1
    return changed


def add_tag(
    ctx: AppContext,
    actor: User,
    conv_id: int,
    start: float,
    end: float,
    item: str,
    polarity: str,
    note: str = "",
    *,
    origin: str = TagOrigin.MANUAL.value,
    excerpt: str = "",
    assessment_id: int | None = None,
) -> TagView:
    """Save a tag at once. `assessment_id` set = a calibration participant's own (blind) tag.

    The tag quotes the transcript as shown (domain.quote); `excerpt` is only used where the
    conversation has no transcript to quote (yet).
    """
    return add_tags(ctx, actor, conv_id, start, end, [item], polarity, note, origin=origin, excerpt=excerpt, assessment_id=assessment_id)[0]


def add_tags(
    ctx: AppContext,
    actor: User,
    conv_id: int,
    start: float,
    end: float,
    items: list[str],
    polarity: str,
    note: str = "",
    *,
    origin: str = TagOrigin.MANUAL.value,
    excerpt: str = "",
    assessment_id: int | None = None,
) -> list[TagView]:
    """One passage as evidence for several items (#19.2): one tag per item, all or none saved.

    An unknown item refuses the whole save, so the examiner never has to work out which of the
    items made it; an item named twice is tagged once.
    """
    pol = Polarity.parse(polarity)
    codes = list(dict.fromkeys(items))
    if not codes:
        raise ServiceError("Kies minstens één toetsterm; er is niets opgeslagen.")
    with ctx.db.unit_of_work() as s:
        conv, exam = _conv_and_exam(s, conv_id, actor, assessment_id)
        _check_writable(s, actor, conv, assessment_id)
        ranges = [_validate(ctx, exam, conv, start, end, item) for item in codes]
        rng = ranges[0]
        shown = (tag_quote(s, conv, rng.start, rng.end) or excerpt)[:2000]
        views = []
        for item in codes:
            tag = Tag(
                conversation_id=conv.id,
                examiner_id=actor.id,
                start=rng.start,
                end=rng.end,
                item_code=item,
                polarity=pol.value,
                note=note.strip(),
                origin=origin,
                excerpt=shown,
                assessment_id=assessment_id,
            )
            s.add(tag)
            s.flush()
            audit.record(s, actor, "create", "tag", tag.id, _detail(assessment_id, f"{item} {pol.value} {rng.start:.2f}-{rng.end:.2f}"))
            views.append(_view(tag))
        return views


def update_tag(ctx: AppContext, actor: User, tag_id: int, expected_version: int, **changes) -> TagView:
    """Change range/item/polarity/note; refuses if someone else saved the tag meanwhile."""
    with versioned_unit(ctx, TAG_CONFLICT) as s:
        tag = s.get(Tag, tag_id)
        if tag is None:
            raise NotFound("Deze markering bestaat niet meer (verwijderd door iemand anders?).")
        conv, exam = _conv_and_exam(s, tag.conversation_id, actor, tag.assessment_id)
        _check_writable(s, actor, conv, tag.assessment_id)
        check_version(tag, expected_version, TAG_CONFLICT)
        start = changes.get("start", tag.start)
        end = changes.get("end", tag.end)
        item = changes.get("item", tag.item_code)
        rng = _validate(ctx, exam, conv, start, end, item)
        if (rng.start, rng.end) != (tag.start, tag.end):
            tag.excerpt = tag_quote(s, conv, rng.start, rng.end) or tag.excerpt
        tag.start, tag.end, tag.item_code = rng.start, rng.end, item
        if "polarity" in changes:
            tag.polarity = Polarity.parse(changes["polarity"]).value
        if "note" in changes:
            tag.note = str(changes["note"]).strip()
        tag.updated_at = datetime.now(timezone.utc)
        s.flush()
        audit.record(s, actor, "update", "tag", tag.id, ", ".join(sorted(changes)))
        return _view(tag)


def delete_tag(ctx: AppContext, actor: User, tag_id: int, expected_version: int | None = None) -> None:
    """Delete one tag; with `expected_version` (the one the examiner saw) a tag someone changed
    since is kept (Conflict)."""
    delete_tags(ctx, actor, {tag_id: expected_version})


def delete_tags(ctx: AppContext, actor: User, versions: dict[int, int | None]) -> None:
    """Delete tags (id -> the version seen, None: any) all or none; an undo refuses (Conflict)
    when someone changed one of them since. A tag that is gone already is skipped."""
    with ctx.db.unit_of_work() as s:
        for tag_id, expected_version in versions.items():
            tag = s.get(Tag, tag_id)
            if tag is not None:
                _delete(s, actor, tag, expected_version)


def _delete(s, actor: User, tag: Tag, expected_version: int | None) -> None:
    conv, _ = _conv_and_exam(s, tag.conversation_id, actor, tag.assessment_id)
    _check_writable(s, actor, conv, tag.assessment_id)
    check_version(tag, expected_version, TAG_CONFLICT)
    audit.record(s, actor, "delete", "tag", tag.id, _detail(tag.assessment_id, f"{tag.item_code} {tag.polarity}"))
    s.delete(tag)


def list_tags(ctx: AppContext, actor: User, conv_id: int, assessment_id: int | None = None) -> list[TagView]:
    """Exam tags of a conversation, or the tags of one calibration assessment (own, or after reveal)."""
    with ctx.db.unit_of_work() as s:
        _conv_and_exam(s, conv_id, actor, assessment_id)
        q = select(Tag).where(Tag.conversation_id == conv_id)
        if assessment_id is None:
            q = q.where(Tag.assessment_id.is_(None))
        else:
            from .calibration_access import ensure_may_read_assessment

            ensure_may_read_assessment(s, actor, assessment_id)
            q = q.where(Tag.assessment_id == assessment_id)
        return [_view(t) for t in s.scalars(q.order_by(Tag.start, Tag.id)).all()]


def list_exam_tags(ctx: AppContext, actor: User, exam_id: int) -> list[TagView]:
    with ctx.db.unit_of_work() as s:
        ensure_exam_access(actor, s.get(Exam, exam_id))
        rows = s.scalars(
            select(Tag)
            .join(Conversation, Conversation.id == Tag.conversation_id)
            .where(Conversation.exam_id == exam_id, Tag.assessment_id.is_(None))
            .order_by(Tag.conversation_id, Tag.start)
        ).all()
        return [_view(t) for t in rows]
