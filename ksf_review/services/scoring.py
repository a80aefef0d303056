"""The checklist of an exam: item scores, the live verdict, finalising (which locks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from ..adapters.storage.models import Assessment, Conversation, Exam, ItemScore, User
from ..domain.roles import MANAGERS
from ..domain.rubric import Rubric
from ..domain.states import AssessmentStatus, ExamStatus
from ..domain.verdict import ItemScore as DomainScore
from ..domain.verdict import ScoreStatus, Verdict, VerdictStatus, compute_verdict
from . import audit
from .access import ensure_exam_access, ensure_exam_write
from .context import AppContext, Conflict, NotFound, ServiceError
from .conversations import counted_conversations
from .optimistic import check_version, versioned_unit

SCORE_CONFLICT = "Deze toetsterm is intussen door iemand anders gescoord; er is niets overschreven."


@dataclass(frozen=True)
class ScoreView:
    item: str
    status: str | None
    reason: str
    comment: str
    version: int


def _exam(s, exam_id: int, actor: User | None = None) -> Exam:
    exam = s.get(Exam, exam_id)
    if exam is None:
        raise NotFound(f"Examen {exam_id} bestaat niet (meer).")
    if actor is not None:
        ensure_exam_access(actor, exam)
    return exam


def _assessment(s, exam: Exam, create: bool = True) -> Assessment | None:
    a = s.scalar(select(Assessment).where(Assessment.exam_id == exam.id, Assessment.purpose == "exam"))
    if a is None and create:
        a = Assessment(
            exam_id=exam.id, examiner_id=exam.examiner_id, purpose="exam", rubric_id=exam.rubric_id, rubric_version=exam.rubric_version
        )
        s.add(a)
        s.flush()
    return a


def exam_rubric(ctx: AppContext, exam_id: int) -> Rubric:
    with ctx.db.unit_of_work() as s:
        exam = _exam(s, exam_id)
        return ctx.rubrics.get(exam.rubric_id, exam.rubric_version)


def get_scores(ctx: AppContext, actor: User, exam_id: int) -> dict[str, ScoreView]:
    with ctx.db.unit_of_work() as s:
        exam = _exam(s, exam_id, actor)
        a = _assessment(s, exam, create=False)
        if a is None:
            return {}
        return {r.item_code: ScoreView(r.item_code, r.status, r.reason, r.comment, r.version) for r in a.scores}


def set_item_score(
    ctx: AppContext,
    actor: User,
    exam_id: int,
    item: str,
    status: str | None,
    reason: str = "",
    comment: str = "",
    expected_version: int | None = None,
) -> ScoreView:
    """Save one item's score; `expected_version` guards against overwriting a colleague."""
    if status is not None:
        status = ScoreStatus(status).value
    with versioned_unit(ctx, SCORE_CONFLICT) as s:
        exam = _exam(s, exam_id, actor)
        ensure_exam_write(actor, exam)
        rubric = ctx.rubrics.get(exam.rubric_id, exam.rubric_version)
        if not rubric.has_item(item):
            raise ServiceError(f"Onbekende toetsterm '{item}'.")
        a = _assessment(s, exam)
        row = s.scalar(select(ItemScore).where(ItemScore.assessment_id == a.id, ItemScore.item_code == item))
        if row is None:
            if expected_version not in (None, 0):
                raise Conflict(SCORE_CONFLICT)
            row = ItemScore(assessment_id=a.id, item_code=item)
            s.add(row)
        else:
            check_version(row, expected_version, SCORE_CONFLICT)
        row.status, row.reason, row.comment = status, reason.strip(), comment.strip()
        row.updated_by_id, row.updated_at = actor.id, datetime.now(timezone.utc)
        s.flush()
        audit.record(s, actor, "score", "exam", exam.id, f"{item}={status}")
        return ScoreView(item, row.status, row.reason, row.comment, row.version)


def exam_verdict(ctx: AppContext, actor: User, exam_id: int) -> Verdict:
    with ctx.db.unit_of_work() as s:
        exam = _exam(s, exam_id, actor)
        rubric = ctx.rubrics.get(exam.rubric_id, exam.rubric_version)
        a = _assessment(s, exam, create=False)
        scores = {}
        if a is not None:
            for r in a.scores:
                if r.status:
                    scores[r.item_code] = DomainScore(ScoreStatus(r.status), r.reason, r.comment)
        n = counted_conversations(s, exam.id)
        return compute_verdict(rubric, scores, conversations=n, policy=exam.nvt_policy)


def finalise_exam(ctx: AppContext, actor: User, exam_id: int) -> Verdict:
    """Lock the exam with its verdict; refused while the checklist is incomplete."""
    verdict = exam_verdict(ctx, actor, exam_id)
    if verdict.status is VerdictStatus.ONVOLLEDIG:
        raise ServiceError("Afronden kan nog niet: " + " ".join(verdict.problems))
    with ctx.db.unit_of_work() as s:
        exam = _exam(s, exam_id, actor)
        ensure_exam_write(actor, exam)
        exam.status = ExamStatus.FINALISED
        exam.finalised_at = datetime.now(timezone.utc)
        exam.finalised_by_id = actor.id
        exam.verdict_status = verdict.status.value
        exam.verdict_total = verdict.total
        a = _assessment(s, exam)
        a.status, a.submitted_at = AssessmentStatus.SUBMITTED, exam.finalised_at
        audit.record(s, actor, "finalise", "exam", exam.id, f"{verdict.status.value} {verdict.total}/{verdict.max}")
    return verdict


@dataclass(frozen=True)
class Evidence:
    tag_id: int
    conversation_id: int
    conversation_title: str
    channel: str
    start: float
    end: float
    polarity: str
    note: str
    excerpt: str


def evidence_by_item(ctx: AppContext, actor: User, exam_id: int) -> dict[str, list[Evidence]]:
    """Every tag of the exam's conversations, grouped by checklist item."""
    from ..adapters.storage.models import Tag

    with ctx.db.unit_of_work() as s:
        _exam(s, exam_id, actor)
        rows = s.execute(
            select(Tag, Conversation)
            .join(Conversation, Conversation.id == Tag.conversation_id)
            .where(Conversation.exam_id == exam_id, Tag.assessment_id.is_(None))
            .order_by(Conversation.id, Tag.start)
        ).all()
        out: dict[str, list[Evidence]] = {}
        for tag, conv in rows:
            out.setdefault(tag.item_code, []).append(
                Evidence(tag.id, conv.id, conv.title, conv.channel, tag.start, tag.end, tag.polarity, tag.note, tag.excerpt)
            )
        return out


def finalise_warnings(ctx: AppContext, actor: User, exam_id: int) -> list[str]:
    from ..domain.checklist_warnings import finalise_warnings as warnings_for

    scores = get_scores(ctx, actor, exam_id)
    evidence = evidence_by_item(ctx, actor, exam_id)
    with ctx.db.unit_of_work() as s:
        exam = _exam(s, exam_id, actor)
        rubric = ctx.rubrics.get(exam.rubric_id, exam.rubric_version)
        n = counted_conversations(s, exam.id)
        silent = len(exam.conversations) - n
        policy = exam.nvt_policy
    out = warnings_for(rubric, {c: (v.status, v.reason) for c, v in scores.items()}, {c: len(v) for c, v in evidence.items()}, n, policy)
    if silent:
        out.insert(
            0,
            f"{silent} opname(s) zonder gevonden spraak tellen niet mee als gesprek. Bevestig op "
            "Beoordelen of Examens dat ze toch meetellen, of voeg een gesprek toe.",
        )
    return out


def reopen_exam(ctx: AppContext, actor: User, exam_id: int, reason: str) -> None:
    """A coördinator reopens a finalised exam; the reason and both events stay on record."""
    if actor.role not in MANAGERS:
        raise ServiceError("Alleen een coördinator kan een afgerond examen heropenen.")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ServiceError("Geef een reden op om het examen te heropenen.")
    with ctx.db.unit_of_work() as s:
        exam = _exam(s, exam_id, actor)
        if exam.status != ExamStatus.FINALISED:
            raise ServiceError("Dit examen is niet afgerond.")
        exam.status = ExamStatus.IN_REVIEW
        previous = f"{exam.verdict_status} {exam.verdict_total}"
        exam.finalised_at, exam.finalised_by_id = None, None
        exam.verdict_status, exam.verdict_total = None, None
        a = _assessment(s, exam)
        a.status = AssessmentStatus.DRAFT
        audit.record(s, actor, "reopen", "exam", exam.id, f"reden: {reason} (was {previous})")


def exam_history(ctx: AppContext, actor: User, exam_id: int) -> list[str]:
    """Finalise/reopen events of an exam, oldest first, for the report and the page."""
    from ..adapters.storage.models import AuditEvent

    with ctx.db.unit_of_work() as s:
        _exam(s, exam_id, actor)
        rows = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "exam", AuditEvent.object_id == str(exam_id), AuditEvent.action.in_(["finalise", "reopen"]))
            .order_by(AuditEvent.id)
        ).all()
        label = {"finalise": "afgerond", "reopen": "heropend"}
        return [f"{r.created_at:%d-%m-%Y %H:%M} {label[r.action]} door {r.username}: {r.detail}" for r in rows]
