"""Exam reports and score exports: gather what the candidate file needs, render, log it."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from ..adapters.storage.models import TextTurn, User
from ..domain.report import ExamReport, ReportConversation, ReportEvidence, ReportItem
from ..domain.verdict import NvtPolicy
from . import audit
from .context import AppContext
from .conversations import list_conversations
from .exams import accessible_exam
from .scoring import evidence_by_item, exam_history, exam_rubric, exam_verdict, get_scores


def build_exam_report(ctx: AppContext, actor: User, exam_id: int) -> ExamReport:
    with ctx.db.unit_of_work() as s:
        exam = accessible_exam(s, actor, exam_id)
        candidate, organisation = exam.candidate.name, exam.candidate.organisation
        examiner = exam.examiner.display_name if exam.examiner else ""
        finalised_by = s.get(User, exam.finalised_by_id).display_name if exam.finalised_by_id else ""
        exam_date, finalised_at, policy = exam.exam_date, exam.finalised_at, exam.nvt_policy
        turn_counts = {}
    rubric = exam_rubric(ctx, exam_id)
    convs = list_conversations(ctx, actor, exam_id)
    with ctx.db.unit_of_work() as s:
        for c in convs:
            if c.is_text:
                turn_counts[c.id] = len(s.scalars(select(TextTurn.id).where(TextTurn.conversation_id == c.id)).all())
    scores = get_scores(ctx, actor, exam_id)
    evidence = evidence_by_item(ctx, actor, exam_id)
    verdict = exam_verdict(ctx, actor, exam_id)
    items = []
    for it in rubric.items:
        sc = scores.get(it.code)
        items.append(
            ReportItem(
                code=it.code,
                text=it.text,
                points=it.points,
                eindterm=it.eindterm,
                status=sc.status if sc else None,
                reason=sc.reason if sc else "",
                comment=sc.comment if sc else "",
                evidence=tuple(
                    ReportEvidence(e.conversation_title, e.start, e.end, e.channel, e.polarity, e.note, e.excerpt)
                    for e in evidence.get(it.code, [])
                ),
                points_awarded=verdict.item_points.get(it.code, 0),
            )
        )
    return ExamReport(
        candidate=candidate,
        examiner=examiner,
        exam_date=exam_date,
        organisation=organisation,
        conversations=tuple(
            ReportConversation(c.title, c.channel, c.occurred_at, c.duration if c.has_audio else None, turn_counts.get(c.id)) for c in convs
        ),
        items=tuple(items),
        verdict=verdict,
        rubric_label=rubric.label,
        rubric_key=rubric.key,
        nvt_policy_label=NvtPolicy(policy).label,
        finalised_at=finalised_at,
        finalised_by=finalised_by,
        generated_at=datetime.now(timezone.utc),
        reopen_history=tuple(exam_history(ctx, actor, exam_id)),
    )


def exam_report_pdf(ctx: AppContext, actor: User, exam_id: int) -> bytes:
    from ..adapters.report_pdf import render_exam_report

    pdf = render_exam_report(build_exam_report(ctx, actor, exam_id))
    with ctx.db.unit_of_work() as s:
        audit.record(s, actor, "export", "exam", exam_id, "rapport PDF")
    return pdf


def scores_export(ctx: AppContext, actor: User, exam_ids: list[int], fmt: str) -> bytes:
    """Scores of the selected exams, one row per exam and item, as CSV or XLSX."""
    from ..adapters.score_export import score_rows, to_csv_bytes, to_xlsx_bytes

    df = score_rows([build_exam_report(ctx, actor, i) for i in exam_ids])
    data = to_xlsx_bytes(df) if fmt == "xlsx" else to_csv_bytes(df)
    with ctx.db.unit_of_work() as s:
        audit.record(s, actor, "export", "exam", ",".join(map(str, exam_ids)), f"scores {fmt}")
    return data
