"""Checklist widgets: one item with its evidence and score, and the live verdict box."""

from __future__ import annotations

import streamlit as st

from ..domain.rubric import Item, Rubric
from ..domain.tags import format_time
from ..domain.verdict import ScoreStatus, Verdict, VerdictStatus, cesuur_explanation
from ..services import scoring
from ..services.context import Conflict, ServiceError
from . import conflicts
from .selection import select_conversation

_OPTIONS = [s.value for s in ScoreStatus]
_ICON = {"telefoon": ":material/call:", "chat": ":material/chat:", "e-mail": ":material/mail:"}


def _save(ctx, user, exam_id: int, code: str) -> None:
    key = f"{exam_id}_{code}"
    status = st.session_state.get(f"score_{key}")
    reason = st.session_state.get(f"reason_{key}", "")
    comment = st.session_state.get(f"comment_{key}", "")
    try:
        scoring.set_item_score(ctx, user, exam_id, code, status, reason or "", comment or "",
                               expected_version=conflicts.seen_version(f"seen_{key}"))
        conflicts.saved(f"seen_{key}")
    except Conflict:
        conflicts.refused(f"error_{key}")
    except ServiceError as exc:
        st.session_state[f"error_{key}"] = str(exc)


def render_item(ctx, user, exam, item: Item, score, evidence: list) -> None:
    key = f"{exam.id}_{item.code}"
    conflicts.show_stored(f"seen_{key}", score.version if score else 0, {
        f"score_{key}": score.status if score else None, f"reason_{key}": score.reason if score else "",
        f"comment_{key}": score.comment if score else ""})
    with st.container(border=True):
        head, pts = st.columns([6, 1])
        head.markdown(f"**{item.code}** {item.text}")
        pts.markdown(f"**{item.points} pt**")
        if item.subchecks:
            st.caption("Alleen behaald als beide deelcontroles 'ja' zijn: " + " · ".join(item.subchecks))
        if evidence:
            for ev in evidence:
                c1, c2 = st.columns([8, 1])
                sign = ":green[**+**]" if ev.polarity == "+" else ":red[**−**]"
                when = (f"{format_time(ev.start)}–{format_time(ev.end)}" if ev.channel == "telefoon"
                        else f"beurt {int(ev.start) + 1}")
                text = f" — “{ev.excerpt[:120]}”" if ev.excerpt else ""
                note = f" _{ev.note}_" if ev.note else ""
                c1.markdown(f"{sign} {_ICON.get(ev.channel, '')} {ev.conversation_title} · {when}{text}{note}")
                if c2.button("▶", key=f"play_{key}_{ev.tag_id}", help="Passage afspelen in Beoordelen"):
                    select_conversation(ev.conversation_id)
                    st.session_state["play_request"] = {"start": ev.start, "end": ev.end, "tag": ev.tag_id}
                    st.switch_page("pages/beoordelen.py")
        else:
            st.caption("Nog geen bewijs gemarkeerd.")
        disabled = exam.finalised
        st.radio("Score", _OPTIONS, key=f"score_{key}", horizontal=True, label_visibility="collapsed",
                 format_func=lambda v: ScoreStatus(v).label, disabled=disabled,
                 on_change=_save, args=(ctx, user, exam.id, item.code))
        current = st.session_state.get(f"score_{key}")
        if current == ScoreStatus.NVT.value:
            st.text_input("Reden voor n.v.t. (verplicht)", key=f"reason_{key}",
                          disabled=disabled, on_change=_save, args=(ctx, user, exam.id, item.code))
            if not (st.session_state.get(f"reason_{key}") or (score and score.reason)):
                st.warning("n.v.t. telt pas mee met een reden.")
        st.text_input("Opmerking", key=f"comment_{key}",
                      disabled=disabled, placeholder="Opmerking (optioneel)", label_visibility="collapsed",
                      on_change=_save, args=(ctx, user, exam.id, item.code))
        conflicts.show_message(f"error_{key}")


def render_verdict(rubric: Rubric, verdict: Verdict) -> None:
    colour = {VerdictStatus.GESLAAGD: "green", VerdictStatus.GEZAKT: "red",
              VerdictStatus.ONVOLLEDIG: "orange"}[verdict.status]
    st.markdown(f"### :{colour}[{verdict.status.value.capitalize()}]")
    st.metric("Totaal", f"{verdict.total} / {verdict.max}")
    for e in verdict.eindtermen:
        mark = ":green[:material/check_circle:]" if e.met else ":red[:material/cancel:]"
        crit = " (kritisch)" if e.critical else ""
        st.markdown(f"{mark} Eindterm {e.code}{crit}: **{e.points}** / {e.max} (min. {e.minimum})")
    for p in verdict.problems:
        st.warning(p)
    for n in verdict.notes:
        st.info(n)
    st.caption(cesuur_explanation(rubric))
