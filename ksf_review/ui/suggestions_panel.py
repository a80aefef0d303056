"""Suggested tags with their reason: accept (becomes a normal tag) or reject."""

from __future__ import annotations

import streamlit as st

from ..domain.tags import format_time
from ..services import suggestions as sugg
from ..services.context import ServiceError
from .escape import md
from .feedback import confirm
from .tagging import page_of


SORTS = {"Tijd": None, "Zekerheid (hoog eerst)": lambda p: (-p.suggestion.confidence, p.suggestion.start)}


def evidence_markdown(text: str, highlights) -> str:
    """The passage with the matched words in bold; every piece of it escaped (it is transcript text)."""
    def plain(x: str) -> str:  # md() trims, the spaces around a highlight stay
        if not x.strip():
            return " " if x else ""
        return (" " if x[0].isspace() else "") + md(x) + (" " if x[-1].isspace() else "")

    out, pos = [], 0
    for a, b in sorted(highlights):
        if a < pos or b <= a or b > len(text) or not text[a:b].strip():
            continue
        out += [plain(text[pos:a]), f"**{md(text[a:b])}**"]
        pos = b
    out.append(plain(text[pos:]))
    return "".join(out)


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
    order = st.radio("Sorteren op", list(SORTS), horizontal=True, key=f"suggsort{conv.id}")
    if SORTS[order]:
        props = sorted(props, key=SORTS[order])
    request = None
    for p in page_of(props, key=f"suggpage{conv.id}"):
        s = p.suggestion
        when = f"{format_time(s.start)}–{format_time(s.end)}" if conv.has_audio else f"beurt {int(s.start) + 1}"
        sign = ":green[**+**]" if s.polarity == "+" else ":red[**−**]"
        with st.container(border=True):
            st.markdown(f"{sign} **{s.item}** · {when} · {md(s.speaker)} · zekerheid {round(s.confidence * 100)}%")
            st.caption(md(s.reason))
            if s.evidence:
                cue = f" · regel {md(s.rule_id)}" + (f", cue {md(s.cue)}" if s.cue else "")
                st.caption(evidence_markdown(s.evidence, s.highlights) + cue)
            c1, c2, c3 = st.columns(3)
            if c1.button("▶", key=f"sp{conv.id}{p.key}", help="Afspelen"):
                request = {"start": s.start, "end": s.end}
            if c2.button("Accepteren", key=f"sa{conv.id}{p.key}", disabled=disabled, type="primary"):
                try:
                    sugg.accept(ctx, user, conv.id, p, assessment_id=assessment_id)
                    confirm(f"Suggestie {s.item} geaccepteerd als markering.")
                    st.rerun()
                except ServiceError as exc:
                    st.error(md(str(exc)))
            if c3.button("Afwijzen", key=f"sr{conv.id}{p.key}", disabled=disabled):
                sugg.reject(ctx, user, conv.id, p, assessment_id=assessment_id)
                st.rerun()
    return request
