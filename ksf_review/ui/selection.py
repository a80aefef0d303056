"""Which exam and conversation the examiner is working on, shared across pages."""

from __future__ import annotations

import streamlit as st

EXAM = "exam_id"
CONVERSATION = "conversation_id"


def selected_exam() -> int | None:
    return st.session_state.get(EXAM)


def select_exam(exam_id: int | None) -> None:
    if st.session_state.get(EXAM) != exam_id:
        st.session_state[EXAM] = exam_id
        st.session_state.pop(CONVERSATION, None)


def selected_conversation() -> int | None:
    return st.session_state.get(CONVERSATION)


def select_conversation(conv_id: int | None) -> None:
    st.session_state[CONVERSATION] = conv_id
