"""Suggested tags with their reason: accept (becomes a normal tag) or reject."""

from __future__ import annotations

import streamlit as st

from ..domain.tags import format_time
from ..services import suggestions as sugg
from ..services.context import ServiceError
from .escape import md
from .tagging import page_of


def render_suggestions(ctx, user, conv, rubric, *, disabled: bool = False,
                       assessment_id: int | None = None, span: tuple[float, float] | None = None) -> dict | None:
    """Returns a play request {start, end} when the examiner wants to hear a suggestion.

    `span`: only the part of the conversation on screen (a page of a long chat).
    """
    try:
        props = sugg.proposals(ctx, user, conv.id, assessment_id=assessment_id, span=span)
    except ServiceError as exc:
        st.error(md(str(exc)))
        return None
    if not props:
        st.caption("Geen (nieuwe) suggesties voor dit gesprek.")
        return None
    st.caption(f"{len(props)} voorstel(len) uit de regels van ksf-review. Jij beslist: accepteren maakt er een "
               "gewone markering van.")
    request = None
    for p in page_of(props, key=f"suggpage{conv.id}"):
        s = p.suggestion
        when = f"{format_time(s.start)}–{format_time(s.end)}" if conv.has_audio else f"beurt {int(s.start) + 1}"
        sign = ":green[**+**]" if s.polarity == "+" else ":red[**−**]"
        with st.container(border=True):
            st.markdown(f"{sign} **{s.item}** · {when} · {md(s.speaker)}")
            st.caption(md(s.reason))
            c1, c2, c3 = st.columns(3)
            if c1.button("▶", key=f"sp{conv.id}{p.key}", help="Afspelen"):
                request = {"start": s.start, "end": s.end}
            if c2.button("Accepteren", key=f"sa{conv.id}{p.key}", disabled=disabled, type="primary"):
                try:
                    sugg.accept(ctx, user, conv.id, p, assessment_id=assessment_id)
                    st.rerun()
                except ServiceError as exc:
                    st.error(md(str(exc)))
            if c3.button("Afwijzen", key=f"sr{conv.id}{p.key}", disabled=disabled):
                sugg.reject(ctx, user, conv.id, p, assessment_id=assessment_id)
                st.rerun()
    return request
