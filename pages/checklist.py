"""Checklist: items per eindterm met bewijs, scores, live uitslag en afronden."""

import streamlit as st

from ksf_review.services import exams as exam_svc
from ksf_review.services import scoring
from ksf_review.services.context import ServiceError
from ksf_review.ui.checklist import render_item, render_verdict
from ksf_review.ui.context import app_context, current_user, show_error
from ksf_review.ui.report import render_report_download
from ksf_review.ui.selection import select_exam, selected_exam

ctx = app_context()
user = current_user()

st.title("Checklist")
exams = exam_svc.list_exams(ctx, user)
if not exams:
    st.info("Er zijn nog geen examens.")
    st.stop()
ids = [e.id for e in exams]
current = selected_exam()
chosen = st.selectbox("Examen", ids, index=ids.index(current) if current in ids else 0,
                      format_func=lambda i: next(e.title for e in exams if e.id == i))
select_exam(chosen)
exam = exam_svc.get_exam(ctx, user, chosen)
rubric = scoring.exam_rubric(ctx, exam.id)

if exam.finalised:
    st.success(f"Dit examen is afgerond en vergrendeld. Uitslag: **{exam.verdict_status}** "
               f"({exam.verdict_total} van {rubric.max_points} punten).")

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
    verdict = scoring.exam_verdict(ctx, user, exam.id)
    render_verdict(rubric, verdict)
    if not exam.finalised:
        warnings = scoring.finalise_warnings(ctx, user, exam.id)
        if warnings:
            with st.expander(f"Controle vóór afronden ({len(warnings)})", expanded=True):
                for w in warnings:
                    st.markdown(f"- {w}")
        seen = not warnings or st.checkbox("Ik heb de controlepunten bekeken")
        if st.button("Examen afronden", type="primary", width="stretch", disabled=not seen,
                     help="Vergrendelt het examen met deze uitslag."):
            try:
                v = scoring.finalise_exam(ctx, user, exam.id)
                st.success(f"Afgerond: {v.status.value}.")
                st.rerun()
            except ServiceError as exc:
                show_error(exc)
    else:
        render_report_download(ctx, user, exam)
        if user.role in ("coordinator", "beheerder"):
            with st.form("heropenen"):
                reason = st.text_input("Reden om te heropenen")
                if st.form_submit_button("Examen heropenen"):
                    try:
                        scoring.reopen_exam(ctx, user, exam.id, reason)
                        st.rerun()
                    except ServiceError as exc:
                        show_error(exc)
    history = scoring.exam_history(ctx, user, exam.id)
    if history:
        st.caption("Geschiedenis: " + " · ".join(history))
