"""Kalibratie: dezelfde gesprekken blind beoordelen, daarna vergelijken en consensus vaststellen."""

import streamlit as st

from ksf_review.domain.roles import MANAGERS, Role
from ksf_review.domain.states import CalibrationState
from ksf_review.services import accounts
from ksf_review.services import calibration as cal
from ksf_review.services.context import ServiceError
from ksf_review.ui.calibration import comparison_view, create_form, participant_view, status_table, trends
from ksf_review.ui.context import app_context, current_user, show_error
from ksf_review.ui.pickers import pick_by_id

ctx = app_context()
user = current_user()
st.title("Kalibratie")
coordinator = user.role in MANAGERS

if coordinator:
    with st.expander(":material/add: Nieuwe sessie"):
        try:
            create_form(ctx, user, accounts.list_users(ctx, user) if user.role == Role.BEHEERDER else cal.selectable_examiners(ctx, user))
        except ServiceError as exc:
            show_error(exc)

sessions = cal.list_sessions(ctx, user)
if not sessions:
    st.info("Er zijn nog geen kalibratiesessies" + (" voor jou." if not coordinator else "."))
    st.stop()
sid = pick_by_id("Sessie", sessions, lambda s: f"{s.title} — {s.state_label}")
session = cal.get_session(ctx, user, sid)
deadline = f" · deadline {session.deadline:%d-%m-%Y}" if session.deadline else ""
st.caption(f"{session.state_label} · {session.submitted} van {len(session.participants)} ingediend{deadline}")

if coordinator:
    status_table(session)
    if session.state == CalibrationState.OPEN and st.button("Resultaten onthullen", type="primary"):
        try:
            cal.reveal(ctx, user, session.id)
            st.rerun()
        except ServiceError as exc:
            show_error(exc)

participant = session.participant(user.id) is not None
if session.state == CalibrationState.OPEN:
    if participant:
        participant_view(ctx, user, session)
    else:
        st.info("De beoordelingen zijn blind tot je ze onthult.")
else:
    try:
        comparison_view(ctx, user, session)
    except ServiceError as exc:
        show_error(exc)
if coordinator:
    trends(ctx, user)
