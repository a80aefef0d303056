"""Checklist: items per eindterm met bewijs, scores, live uitslag en afronden."""

import streamlit as st

from ksf_review.services import exams as exam_svc
from ksf_review.services import scoring
from ksf_review.ui.checklist import render_item, render_verdict_panel
from ksf_review.ui.context import app_context, current_user
from ksf_review.ui.pickers import exam_picker

ctx = app_context()
user = current_user()

st.title("Checklist")
exams = exam_svc.list_exams(ctx, user)
if not exams:
    st.info("Er zijn nog geen examens.")
    st.stop()
chosen = exam_picker(exams, "pick_exam_checklist")
exam = exam_svc.get_exam(ctx, user, chosen)
rubric = scoring.exam_rubric(ctx, exam.id)

if exam.finalised:
    st.success(
        f"Dit examen is afgerond en vergrendeld. Uitslag: **{exam.verdict_status}** ({exam.verdict_total} van {rubric.max_points} punten)."
    )

left, right = st.columns([3, 1], gap="large")
with left:
    scores = scoring.get_scores(ctx, user, exam.id)
    evidence = scoring.evidence_by_item(ctx, user, exam.id)
    for et in rubric.eindtermen:
        crit = " · kritisch" if et.critical else ""
        st.subheader(f"Eindterm {et.code}: {et.title}")
        st.caption(f"maximaal {et.max} punten, minimaal {et.minimum} nodig{crit}")
        for item in rubric.items_of(et.code):
            render_item(ctx, user, exam, item, scores.get(item.code), evidence.get(item.code, []))

with right:
    render_verdict_panel(ctx, user, exam, rubric)
