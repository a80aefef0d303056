"""Beoordelen: speler en transcript naast elkaar, passages markeren als bewijs."""

import streamlit as st

from ksf_review.domain.tags import format_time
from ksf_review.services import conversations as conv_svc
from ksf_review.services import exams as exam_svc
from ksf_review.services import scoring
from ksf_review.ui.context import app_context, current_user
from ksf_review.ui.pickers import exam_picker, pick_by_id
from ksf_review.ui.review import render_workspace
from ksf_review.ui.selection import follow, picked_conversation, select_conversation, selected_conversation

ctx = app_context()
user = current_user()

st.title("Beoordelen")
exams = exam_svc.list_exams(ctx, user)
if not exams:
    st.info("Er zijn nog geen examens. Maak er een aan op de pagina Examens.")
    st.stop()

top = st.columns(2)
exam_id = exam_picker(exams, "pick_exam_review", widget=top[0].selectbox)
exam = exam_svc.get_exam(ctx, user, exam_id)
convs = conv_svc.list_conversations(ctx, user, exam_id)
if not convs:
    st.info("Dit examen heeft nog geen gesprekken. Voeg ze toe op de pagina Examens.")
    st.stop()
conv_key = f"pick_conv_{exam_id}"
follow(conv_key, [c.id for c in convs], selected_conversation())
conv_id = pick_by_id(
    "Gesprek",
    convs,
    lambda c: f"{c.title} ({c.channel}{', ' + format_time(c.duration) if c.has_audio else ''})",
    widget=top[1].selectbox,
    key=conv_key,
    on_change=picked_conversation,
    args=(conv_key,),
)
select_conversation(conv_id)
conv = conv_svc.get_conversation(ctx, user, conv_id)
rubric = scoring.exam_rubric(ctx, exam_id)

render_workspace(ctx, user, exam, conv, rubric)
