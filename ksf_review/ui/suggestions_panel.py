"""Suggested tags with their reason: accept (becomes a normal tag) or reject."""

from __future__ import annotations

import streamlit as st

from ..domain.tags import format_span
from ..services import suggestions as sugg
from ..services.context import ServiceError
from .escape import md
from .feedback import confirm
from .tagging import page_of
from .undo import conversation, remember

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


#: seconds between looks at a suggestion computation that runs in the background
POLL_SECONDS = 1.0


def suggestions_ready(ctx, user, conv_id: int, span: tuple[float, float] | None) -> bool:
    """The rules' suggestions are at hand; if not, they are being computed in the background
    (a long call takes seconds: the page does not wait for them, #14.9)."""
    try:
        return sugg.ensure_computing(ctx, user, conv_id, span)
    except ServiceError:
        return True  # the panel says why


def render_suggestions(
    ctx,
    user,
    conv,
    rubric,
    *,
    disabled: bool = False,
    assessment_id: int | None = None,
    span: tuple[float, float] | None = None,
    rerun: dict[str, list[str]] | None = None,
    polling: bool = False,
) -> dict | None:
    """Returns a play request {start, end} when the examiner wants to hear a suggestion.

    `span`: only the part of the conversation on screen (a page of a long chat).
    `rerun`: the fragments an "accept" and a "reject" rerun (None: the page).
    `polling`: this is a run of the fragment that waits for a background computation.
    """
    if not suggestions_ready(ctx, user, conv.id, span):
        st.caption(":material/hourglass_top: De suggesties worden berekend; ze verschijnen hier vanzelf. Je kunt intussen gewoon markeren.")
        return None
    if polling:
        st.rerun(scope="app")  # ready: draw them with the page, and stop looking
    try:
        props = sugg.proposals(ctx, user, conv.id, assessment_id=assessment_id, span=span)
    except ServiceError as exc:
        st.error(md(str(exc)))
        return None
    if not props:
        st.caption("Geen (nieuwe) suggesties voor dit gesprek.")
        rejected_list(ctx, user, conv, disabled=disabled, assessment_id=assessment_id, span=span)
        return None
    st.caption(f"{len(props)} voorstel(len) uit de regels van ksf-review. Jij beslist: accepteren maakt er een gewone markering van.")
    bulk_actions(ctx, user, conv, props, disabled=disabled, assessment_id=assessment_id)
    order = st.radio("Sorteren op", list(SORTS), horizontal=True, key=f"suggsort{conv.id}")
    if SORTS[order]:
        props = sorted(props, key=SORTS[order])
    request = None
    for p in page_of(props, key=f"suggpage{conv.id}"):
        request = _proposal(ctx, user, conv, p, disabled, assessment_id, rerun or {}) or request
    error = st.session_state.pop(_ERROR, None)
    if error:
        st.error(error)
    rejected_list(ctx, user, conv, disabled=disabled, assessment_id=assessment_id, span=span)
    return request


_ERROR = "_ksf_suggestion_error"


def _proposal(ctx, user, conv, p, disabled: bool, assessment_id: int | None, rerun: dict) -> dict | None:
    s = p.suggestion
    when = format_span(s.start, s.end, conv.has_audio)  # as the markering it becomes
    sign = ":green[**+**]" if s.polarity == "+" else ":red[**−**]"
    with st.container(border=True):
        st.markdown(f"{sign} **{s.item}** · {when} · {md(s.speaker)} · zekerheid {round(s.confidence * 100)}%")
        st.caption(md(s.reason))
        if s.evidence:
            cue = f" · regel {md(s.rule_id)}" + (f", signaal {md(s.cue)}" if s.cue else "")
            st.caption(evidence_markdown(s.evidence, s.highlights) + cue)
        c1, c2, c3 = st.columns(3)
        c2.button(
            "Accepteren",
            key=f"sa{conv.id}{p.key}",
            disabled=disabled,
            type="primary",
            on_click=_accept,
            args=(ctx, user, conv.id, p, assessment_id, rerun.get("accept")),
        )
        c3.button(
            "Afwijzen",
            key=f"sr{conv.id}{p.key}",
            disabled=disabled,
            on_click=_reject,
            args=(ctx, user, conv.id, p, assessment_id, rerun.get("reject")),
        )
        if c1.button("▶", key=f"sp{conv.id}{p.key}", help="Afspelen"):
            return {"start": s.start, "end": s.end}
    return None


def _accept(ctx, user, conv_id: int, p, assessment_id: int | None, rerun: list[str] | None) -> None:
    """Button callback: the suggestion becomes a tag; the panels that show it rerun."""
    try:
        tag = sugg.accept(ctx, user, conv_id, p, assessment_id=assessment_id)
    except ServiceError as exc:
        st.session_state[_ERROR] = f"Niet geaccepteerd: {md(str(exc))}"
        return
    remember(
        f"suggestie {p.suggestion.item} geaccepteerd",
        "suggestion_accepted",
        conversation(conv_id),
        conv_id=conv_id,
        ids=[tag.id],
        versions=[tag.version],
        key=p.key,
        assessment_id=assessment_id,
    )
    confirm(f"Suggestie {p.suggestion.item} geaccepteerd als markering.")
    st.rerun(rerun or "app")


def _reject(ctx, user, conv_id: int, p, assessment_id: int | None, rerun: list[str] | None) -> None:
    try:
        sugg.reject(ctx, user, conv_id, p, assessment_id=assessment_id)
    except ServiceError as exc:
        st.session_state[_ERROR] = f"Niet afgewezen: {md(str(exc))}"
        return
    st.rerun(rerun or "app")


def bulk_actions(ctx, user, conv, props, *, disabled: bool, assessment_id: int | None) -> None:
    """Accept or reject every suggestion of one item, or all at or above a confidence, at once."""
    items = sorted({p.suggestion.item for p in props})
    with st.expander("In één keer accepteren of afwijzen"):
        c1, c2 = st.columns(2)
        item = c1.selectbox(
            "Toetsterm",
            [None, *items],
            key=f"suggbulkitem{conv.id}",
            format_func=lambda v: "alle toetstermen" if v is None else v,
            placeholder="alle toetstermen",
        )  # Streamlit shows None as "no choice"
        floor = c2.slider("Zekerheid minstens (%)", 0, 100, 0, step=5, key=f"suggbulkconf{conv.id}")
        chosen = sugg.matching(props, item=item, min_confidence=floor / 100)
        st.caption(f"{len(chosen)} van de {len(props)} suggestie(s) geselecteerd.")
        b1, b2 = st.columns(2)
        if b1.button(f"Alle {len(chosen)} accepteren", key=f"suggbulkacc{conv.id}", type="primary", disabled=disabled or not chosen):
            done, refused = sugg.accept_all(ctx, user, conv.id, chosen, assessment_id=assessment_id)
            for line in refused:
                st.error(md(line))
            if not refused:
                confirm(f"{done} suggestie(s) geaccepteerd als markering.")
                st.rerun()
        if b2.button(f"Alle {len(chosen)} afwijzen", key=f"suggbulkrej{conv.id}", disabled=disabled or not chosen):
            n = sugg.reject_all(ctx, user, conv.id, chosen, assessment_id=assessment_id)
            confirm(f"{n} suggestie(s) afgewezen; je vindt ze onder Afgewezen suggesties.")
            st.rerun()


def rejected_list(ctx, user, conv, *, disabled: bool, assessment_id: int | None, span: tuple[float, float] | None) -> None:
    """Rejected suggestions stay listed (collapsed) and can be put back."""
    try:
        gone = sugg.rejected(ctx, user, conv.id, span=span, assessment_id=assessment_id)
    except ServiceError:
        return
    if not gone:
        return
    with st.expander(f"Afgewezen suggesties ({len(gone)})"):
        for p in gone:
            s = p.suggestion
            when = format_span(s.start, s.end, conv.has_audio)  # as the markering it becomes
            c1, c2 = st.columns([4, 1], vertical_alignment="center")
            c1.markdown(f"{'+' if s.polarity == '+' else '−'} **{md(s.item)}** · {when} · {md(s.reason)}")
            if c2.button("Terugzetten", key=f"sback{conv.id}{p.key}", disabled=disabled):
                sugg.restore(ctx, user, conv.id, p, assessment_id=assessment_id)
                st.rerun()
