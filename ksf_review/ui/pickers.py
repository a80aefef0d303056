"""Pickers over database objects: the value is the object's id, the text its title.

An id stays the widget's value across reruns while a title may change, so every page picks
by id; the exam picker of Beoordelen, Checklist and Examens also follows the exam chosen
elsewhere (another page, a link) and writes it to the URL.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import streamlit as st

from .dutch import CHOOSE
from .selection import follow, picked_exam, select_exam, selected_exam


def pick_by_id(
    label: str, objects: Sequence[Any], title: Callable[[Any], str], *, widget: Callable[..., Any] | None = None, **kwargs
) -> Any:
    """`st.selectbox` (or `widget`: a column's selectbox, a multiselect) over the objects' ids."""
    titles = {o.id: title(o) for o in objects}
    kwargs.setdefault("placeholder", CHOOSE)
    return (widget or st.selectbox)(label, list(titles), format_func=titles.__getitem__, **kwargs)


def exam_picker(exams: Sequence[Any], key: str, label: str = "Examen", widget: Callable[..., Any] | None = None) -> int:
    """The current exam, picked from `exams` (not empty); it becomes the exam of every page."""
    follow(key, [e.id for e in exams], selected_exam())
    exam_id = pick_by_id(label, exams, lambda e: e.title, widget=widget, key=key, on_change=picked_exam, args=(key,))
    select_exam(exam_id)
    return exam_id
