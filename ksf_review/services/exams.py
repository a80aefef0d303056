"""Exams (praktijktoetsen): create, list, open. Pages get plain views, not ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..adapters.storage.models import Candidate, Conversation, Exam, User
from ..domain.roles import ASSESSORS, MANAGERS
from ..domain.rubric import DEFAULT_RUBRIC_ID
from ..domain.states import ExamStatus, label_of
from ..domain.verdict import NvtPolicy
from . import audit
from .access import ensure_exam_access, ensure_exam_write, sees_all_exams
from .context import AppContext, NotFound, ServiceError

# one word per idea: an exam is "in beoordeling" until it is finalised (no separate "concept")


@dataclass(frozen=True)
class ExamView:
    id: int
    candidate: str
    candidate_id: int
    examiner: str
    examiner_id: int | None
    exam_date: datetime
    status: str
    rubric_id: str
    rubric_version: str
    nvt_policy: str
    conversations: int
    verdict_status: str | None
    verdict_total: int | None
    is_demo: bool

    @property
    def status_label(self) -> str:
        return label_of(ExamStatus, self.status)

    @property
    def finalised(self) -> bool:
        return self.status == ExamStatus.FINALISED

    @property
    def title(self) -> str:
        return f"{self.candidate} — {self.exam_date:%d-%m-%Y}"


def _view(s, exam: Exam) -> ExamView:
    n = s.scalar(select(func.count(Conversation.id)).where(Conversation.exam_id == exam.id)) or 0
    examiner = exam.examiner.display_name if exam.examiner else ""
    return ExamView(
        id=exam.id,
        candidate=exam.candidate.name,
        candidate_id=exam.candidate_id,
        examiner=examiner,
        examiner_id=exam.examiner_id,
        exam_date=exam.exam_date,
        status=exam.status,
        rubric_id=exam.rubric_id,
        rubric_version=exam.rubric_version,
        nvt_policy=exam.nvt_policy,
        conversations=n,
        verdict_status=exam.verdict_status,
        verdict_total=exam.verdict_total,
        is_demo=exam.is_demo,
    )


def create_exam(
    ctx: AppContext,
    actor: User,
    candidate_name: str,
    *,
    exam_date: datetime | None = None,
    organisation: str = "",
    nvt_policy: str = NvtPolicy.COUNTS_AS_ACHIEVED.value,
    rubric_id: str = DEFAULT_RUBRIC_ID,
    is_demo: bool = False,
) -> ExamView:
    name = (candidate_name or "").strip()
    if not name:
        raise ServiceError("Vul de naam of code van de kandidaat in.")
    NvtPolicy(nvt_policy)
    rubric = ctx.rubrics.get(rubric_id)
    with ctx.db.unit_of_work() as s:
        cand = Candidate(name=name, organisation=organisation, is_demo=is_demo)
        s.add(cand)
        exam = Exam(
            candidate=cand,
            examiner_id=actor.id,
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            nvt_policy=nvt_policy,
            is_demo=is_demo,
            **({"exam_date": exam_date} if exam_date else {}),
        )
        s.add(exam)
        s.flush()
        audit.record(s, actor, "create", "exam", exam.id, f"kandidaat {name}")
        return _view(s, exam)


def list_exams(ctx: AppContext, actor: User) -> list[ExamView]:
    with ctx.db.unit_of_work() as s:
        q = select(Exam).order_by(Exam.exam_date.desc(), Exam.id.desc())
        if not sees_all_exams(actor):
            q = q.where((Exam.examiner_id == actor.id) | Exam.is_demo.is_(True))
        return [_view(s, e) for e in s.scalars(q).all()]


def accessible_exam(s, actor: User, exam_id: int) -> Exam:
    """The exam row, or NotFound/Forbidden (Dutch) when it is gone or not the actor's."""
    exam = s.get(Exam, exam_id)
    if exam is None:
        raise NotFound(f"Examen {exam_id} bestaat niet (meer).")
    ensure_exam_access(actor, exam)
    return exam


def get_exam(ctx: AppContext, actor: User, exam_id: int) -> ExamView:
    with ctx.db.unit_of_work() as s:
        return _view(s, accessible_exam(s, actor, exam_id))


def require_editable(exam: Exam) -> None:
    if exam.status == ExamStatus.FINALISED:
        raise ServiceError("Dit examen is afgerond en vergrendeld; wijzigen kan niet meer.")


def rename_exam(ctx: AppContext, actor: User, exam_id: int, candidate_name: str) -> ExamView:
    """An exam is named after its candidate: this renames the candidate (one per exam).

    Refused on a finalised exam (reopen it first); logged with the old and new name.
    """
    name = " ".join((candidate_name or "").split())
    if not name:
        raise ServiceError("Vul de naam of code van de kandidaat in.")
    if len(name) > 200:
        raise ServiceError("Een naam is hoogstens 200 tekens.")
    with ctx.db.unit_of_work() as s:
        exam = accessible_exam(s, actor, exam_id)
        ensure_exam_write(actor, exam)
        old = exam.candidate.name
        if name != old:
            exam.candidate.name = name
            audit.record(s, actor, "rename", "exam", exam.id, f"kandidaat '{old}' → '{name}'")
        return _view(s, exam)


def reassignable_examiners(ctx: AppContext, actor: User) -> list[tuple[int, str]]:
    """(id, name) of the active examinatoren and coördinatoren an exam can be given to."""
    from .accounts import require_role

    require_role(actor, *MANAGERS)
    with ctx.db.unit_of_work() as s:
        return [
            (u.id, u.display_name or u.username)
            for u in s.scalars(
                select(User).where(User.active.is_(True), User.role.in_(ASSESSORS)).order_by(User.display_name, User.username)
            )
        ]


def reassign_exam(ctx: AppContext, actor: User, exam_id: int, examiner_id: int) -> ExamView:
    """Give an exam to another examinator (coördinator or beheerder only), logged with both names.

    Also allowed on a finalised exam: who holds it changes, its scores and verdict do not.
    """
    from .accounts import require_role

    require_role(actor, *MANAGERS)
    with ctx.db.unit_of_work() as s:
        exam = accessible_exam(s, actor, exam_id)
        if exam.is_demo:
            raise ServiceError("Een demo-examen is van iedereen; het krijgt geen andere examinator.")
        target = s.get(User, examiner_id)
        if target is None or not target.active or target.role not in ASSESSORS:
            raise ServiceError("Kies een actieve examinator of coördinator.")
        old = exam.examiner.display_name if exam.examiner else "(niemand)"
        if exam.examiner_id != target.id:
            exam.examiner_id = target.id
            s.flush()
            s.refresh(exam)
            audit.record(s, actor, "reassign", "exam", exam.id, f"examinator '{old}' → '{target.display_name or target.username}'")
        return _view(s, exam)


def discard_empty_exam(ctx: AppContext, actor: User, exam_id: int) -> None:
    """Remove an exam that never got a conversation (a bulk import whose recordings were all
    refused), with its candidate; an exam with conversations is left alone."""
    from ..adapters.storage.models import Assessment

    with ctx.db.unit_of_work() as s:
        exam = accessible_exam(s, actor, exam_id)
        ensure_exam_write(actor, exam)
        if s.scalar(select(Conversation.id).where(Conversation.exam_id == exam.id).limit(1)) is not None:
            return
        if s.scalar(select(Assessment.id).where(Assessment.exam_id == exam.id).limit(1)) is not None:
            return
        candidate = exam.candidate
        s.delete(exam)
        s.flush()
        if s.scalar(select(Exam.id).where(Exam.candidate_id == candidate.id).limit(1)) is None:
            s.delete(candidate)
        audit.record(
            s,
            actor,
            "delete",
            "exam",
            exam_id,
            f"leeg examen van kandidaat '{candidate.name}' verwijderd: geen enkele opname kon worden toegevoegd",
        )
