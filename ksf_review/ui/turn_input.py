"""A turn number ("beurt") typed by the examiner, checked on the server in Dutch.

Streamlit's number input with bounds answers a number outside them with its own English
tooltip ("Number is above the allowed range…") and keeps the bad number in the field. So the
turn inputs send no bounds to the browser: a number outside the turns on screen is brought
back to the nearest turn, and a Dutch warning says which turns there are.
"""

from __future__ import annotations

import streamlit as st


def out_of_range(no: int, first_no: int, last_no: int) -> str | None:
    """The Dutch message for a turn number outside first_no..last_no (None when it exists)."""
    if first_no <= no <= last_no:
        return None
    nearest = min(max(no, first_no), last_no)
    if first_no == 1:
        there = "dit gesprek heeft 1 beurt" if last_no == 1 else f"dit gesprek heeft {last_no} beurten"
        return f"Beurt {no} bestaat niet; {there}. Beurt {nearest} is gekozen."
    return f"Beurt {no} staat niet op deze pagina; hier staan de beurten {first_no} tot en met {last_no}. Beurt {nearest} is gekozen."


def turn_input(container, label: str, key: str, first_no: int, last_no: int, default: int | None = None) -> int:
    """A number input for one of the turns first_no..last_no; returns a turn that exists.

    A number the examiner typed out of range becomes the nearest turn, with a warning under
    the input. A number left from other turns (another page of a chat, a shorter transcript)
    is dropped without a word: the examiner did not type it here."""
    state, bounds_key = st.session_state, f"{key}_bounds"
    message = None
    if key in state:
        typed = state[key]
        if typed is None or not first_no <= typed <= last_no:
            if typed is not None and state.get(bounds_key) == (first_no, last_no):
                message = out_of_range(int(typed), first_no, last_no)
                state[key] = min(max(int(typed), first_no), last_no)
            else:
                del state[key]
    state[bounds_key] = (first_no, last_no)
    state.setdefault(key, first_no if default is None else min(max(default, first_no), last_no))
    value = container.number_input(label, step=1, format="%d", key=key)
    if message:
        container.warning(message)
    return int(value)
