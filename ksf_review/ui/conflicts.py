"""No lost updates in the page: a widget saves against the version its examiner has seen.

Streamlit keeps what a widget holds across reruns, while the page reads the stored row (and
its version) from the database on every rerun. Pairing the two let a refused, stale value be
saved over a colleague's change on the next try. So every edited row keeps in the session
the version whose values are in its widgets ("seen"); a save sends that version, and when the
stored version differs (someone else saved, or a save was refused) the stored values are put
in the widgets first. The examiner therefore always sees the current value before a save of
theirs can pass. Saves run in widget callbacks, which Streamlit runs before the page, so the
check uses the version the examiner saw, not the one this rerun just read.
"""

from __future__ import annotations

import streamlit as st

MESSAGE = "Iemand anders heeft dit intussen gewijzigd. De opgeslagen waarde staat nu in het veld; pas opnieuw aan als dat nodig is."


def show_stored(seen_key: str, version: int, values: dict[str, object]) -> None:
    """Put the stored `values` in their widget keys unless the examiner already sees `version`.

    Call before the widgets are drawn. Widgets that were not drawn in the last run lost their
    state: they get the stored value too.
    """
    state = st.session_state
    if state.get(seen_key) != version:
        for key, value in values.items():
            state[key] = value
        state[seen_key] = version
        return
    for key, value in values.items():
        if key not in state:
            state[key] = value


def seen_version(seen_key: str) -> int | None:
    return st.session_state.get(seen_key)


def saved(seen_key: str) -> None:
    """After an own save: show what was stored (the page reads it back on this rerun)."""
    st.session_state.pop(seen_key, None)


def refused(error_key: str) -> None:
    """After a refused save: the stored values replace the widgets' (version differs) + a message."""
    st.session_state[error_key] = MESSAGE


def show_message(error_key: str) -> None:
    msg = st.session_state.pop(error_key, None)
    if msg:
        st.error(msg, icon=":material/sync_problem:")
