"""A destructive button asks first (#19.4): a click shows what will go and "Ja, verwijderen" /
"Annuleren"; only "Ja" does it. Nothing is deleted by a single (or a lost) click."""

from __future__ import annotations

import streamlit as st

from .escape import md


def _ask(asking: str) -> None:
    st.session_state[asking] = True  # in the click's callback: set before the page is drawn


def asking(key: str) -> bool:
    """True while the button `key` waits for its answer (keep a collapsed container open)."""
    return bool(st.session_state.get(f"_ask_{key}"))


def confirmed(label: str, question: str, *, key: str, yes: str = "Ja, verwijderen", **button) -> bool:
    """The button `label`; True only in the run in which its confirmation `question` was answered yes."""
    asking = f"_ask_{key}"
    st.button(label, key=key, on_click=_ask, args=(asking,), **button)
    if not st.session_state.get(asking):
        return False
    st.warning(md(question), icon=":material/warning:")
    a, b = st.columns(2)
    if a.button(yes, type="primary", key=f"{key}-yes"):
        st.session_state.pop(asking, None)
        return True
    if b.button("Annuleren", key=f"{key}-no"):
        st.session_state.pop(asking, None)
        st.rerun()
    return False
