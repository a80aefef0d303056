"""Undo the last tag change for a minute (#19.4): "Ongedaan maken" under the tag form.

Only the examiner's own last action in this session is kept (a new one replaces it), and only
for WINDOW seconds: long enough to notice a slip, short enough not to undo something a
colleague has built on. The undo goes through the same services (and their access and version
checks) as the action itself, so it is audited like any other change.
"""

from __future__ import annotations

import time

import streamlit as st

from ..services import tagging
from ..services.context import ServiceError
from .escape import md
from .feedback import confirm

_KEY = "_ksf_undo"
WINDOW = 60.0


def clock() -> float:
    return time.monotonic()


def remember(label: str, kind: str, **data) -> None:
    """Kinds: tags_added (ids), tag_deleted (the tag's fields), tag_updated (id, before)."""
    st.session_state[_KEY] = {"label": label, "kind": kind, "data": data, "at": clock()}


def _undo(ctx, user, kind: str, data: dict) -> None:
    if kind == "tags_added":
        for tag_id in data["ids"]:
            tagging.delete_tag(ctx, user, tag_id)
    elif kind == "tag_deleted":
        tagging.add_tag(ctx, user, data["conv_id"], data["start"], data["end"], data["item"], data["polarity"],
                        data["note"], origin=data["origin"], excerpt=data["excerpt"],
                        assessment_id=data["assessment_id"])
    elif kind == "tag_updated":
        tagging.update_tag(ctx, user, data["id"], data["version"], **data["before"])


def render_undo(ctx, user, *, key: str) -> None:
    """The undo button while the last action is less than WINDOW seconds old."""
    last = st.session_state.get(_KEY)
    if not last:
        return
    if clock() - last["at"] > WINDOW:
        st.session_state.pop(_KEY, None)
        return
    if st.button(f"Ongedaan maken: {md(last['label'])}", key=f"undo-{key}", icon=":material/undo:",
                 help="Draait je laatste wijziging aan de markeringen terug (tot een minuut erna)."):
        st.session_state.pop(_KEY, None)
        try:
            _undo(ctx, user, last["kind"], last["data"])
        except ServiceError as exc:
            st.error(f"Niet ongedaan gemaakt: {md(str(exc))}")
            return
        confirm(f"Ongedaan gemaakt: {last['label']}.")
        st.rerun()
