"""Save feedback that survives the rerun after a save: a toast in the next run.

A save usually ends with ``st.rerun()`` (so every list shows what is stored); a toast
shown in that same run can be lost with it. ``confirm`` queues the message in the session
and ``show_confirmations`` (called by app.py on every run) shows it at once.
"""

from __future__ import annotations

import streamlit as st

from .escape import md

_QUEUE = "_ksf_confirmations"


def confirm(message: str) -> None:
    """Queue a Dutch success message for the next run (and show it now if that run is this one)."""
    st.session_state.setdefault(_QUEUE, []).append(message)


def show_confirmations() -> None:
    for message in st.session_state.pop(_QUEUE, []):
        st.toast(md(message), icon=":material/check_circle:")  # may quote user text


_FORMS = "_ksf_form_generation"


def form_key(name: str) -> str:
    """The key for ``st.form``: a new one after ``form_saved(name)``, so the form's widgets
    start empty only once its data is stored (instead of ``clear_on_submit``, which empties
    the form before the save and loses the input when the save is refused)."""
    return f"{name}-{st.session_state.get(_FORMS, {}).get(name, 0)}"


def form_saved(name: str, message: str | None = None) -> None:
    """The form's data is stored: empty it on the next run and confirm (call st.rerun() after)."""
    forms = st.session_state.setdefault(_FORMS, {})
    forms[name] = forms.get(name, 0) + 1
    if message:
        confirm(message)
