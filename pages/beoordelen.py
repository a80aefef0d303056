"""Beoordelen: speler en transcript naast elkaar, passages markeren als bewijs."""

import streamlit as st

from ksf_review.domain.tags import format_time
from ksf_review.services import conversations as conv_svc
from ksf_review.services import exams as exam_svc
from ksf_review.services import scoring
from ksf_review.ui.context import app_context, current_user
from ksf_review.ui.dutch import CHOOSE
from ksf_review.ui.review import render_workspace
from ksf_review.ui.selection import (
    follow,
    picked_conversation,
    picked_exam,
    select_conversation,
    select_exam,
    selected_conversation,
    selected_exam,
)

ctx = app_context()
user = current_user()

st.title("Beoordelen")
exams = exam_svc.list_exams(ctx, user)
if not exams:
    st.info("Er zijn nog geen examens. Maak er een aan op de pagina Examens.")
    st.stop()

ids = [e.id for e in exams]
top = st.columns(2)
current = selected_exam()
follow("pick_exam_review", ids, current)
exam_id = top[0].selectbox("Examen", ids, key="pick_exam_review",
                           on_change=picked_exam, args=("pick_exam_review",),
                           format_func=lambda i: next(e.title for e in exams if e.id == i), placeholder=CHOOSE)
select_exam(exam_id)
exam = exam_svc.get_exam(ctx, user, exam_id)
convs = conv_svc.list_conversations(ctx, user, exam_id)
if not convs:
    st.info("Dit examen heeft nog geen gesprekken. Voeg ze toe op de pagina Examens.")
    st.stop()
conv_ids = [c.id for c in convs]
cur_conv = selected_conversation()
follow(f"pick_conv_{exam_id}", conv_ids, cur_conv)
conv_id = top[1].selectbox("Gesprek", conv_ids, key=f"pick_conv_{exam_id}",
                           on_change=picked_conversation, args=(f"pick_conv_{exam_id}",),
                           format_func=lambda i: next(
                               f"{c.title} ({c.channel}{', ' + format_time(c.duration) if c.has_audio else ''})"
                               for c in convs if c.id == i), placeholder=CHOOSE)
select_conversation(conv_id)
conv = conv_svc.get_conversation(ctx, user, conv_id)
rubric = scoring.exam_rubric(ctx, exam_id)

render_workspace(ctx, user, exam, conv, rubric)
