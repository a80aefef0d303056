"""Checklist widgets: one item with its evidence and score, and the live verdict box.

Each item and the verdict box are fragments: a score click saves in the widget's callback
and reruns only its own item and the verdict, not the 18-item page with all its evidence
(1.0-1.3 s per click on a 60-minute call before, #14.9).
"""

from __future__ import annotations

import streamlit as st

from ..domain.roles import MANAGERS
from ..domain.rubric import Item, Rubric
from ..domain.tags import format_span
from ..domain.verdict import ScoreStatus, Verdict, VerdictStatus, cesuur_explanation
from ..services import scoring
from ..services.context import Conflict, ServiceError
from . import conflicts
from .context import show_error
from .escape import md
from .report import render_report_download
from .selection import select_conversation
from .undo import exam as exam_place
from .undo import remember, render_undo

_OPTIONS = [s.value for s in ScoreStatus]
VERDICT_FRAGMENT = "checklist-verdict"


def item_fragment(exam_id: int, code: str) -> str:
    return f"checklist-item-{exam_id}-{code}"


def _fragment_rerun() -> bool:
    """True while Streamlit reruns only fragments (not the whole page)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    run = get_script_run_ctx(suppress_warning=True)
    return bool(run and run.fragment_ids_this_run)


_ICON = {"telefoon": ":material/call:", "chat": ":material/chat:", "e-mail": ":material/mail:"}


def _save(ctx, user, exam_id: int, code: str) -> None:
    key = f"{exam_id}_{code}"
    status = st.session_state.get(f"score_{key}")
    reason = st.session_state.get(f"reason_{key}", "")
    comment = st.session_state.get(f"comment_{key}", "")
    try:
        before = scoring.get_scores(ctx, user, exam_id).get(code)
        saved = scoring.set_item_score(
            ctx, user, exam_id, code, status, reason or "", comment or "", expected_version=conflicts.seen_version(f"seen_{key}")
        )
        remember(
            f"score {code}",
            "score_set",
            exam_place(exam_id),
            exam_id=exam_id,
            item=code,
            version=saved.version,
            before=before and {"status": before.status, "reason": before.reason, "comment": before.comment},
        )
        conflicts.saved(f"seen_{key}")
    except Conflict:
        conflicts.refused(f"error_{key}")
    except ServiceError as exc:
        st.session_state[f"error_{key}"] = str(exc)
    st.rerun([item_fragment(exam_id, code), VERDICT_FRAGMENT])


def render_item(ctx, user, exam, item: Item, score, evidence: list) -> None:
    """The item in its own fragment; on its own reruns it reads its stored score again."""

    @st.fragment(key=item_fragment(exam.id, item.code))
    def _item():
        current = scoring.get_scores(ctx, user, exam.id).get(item.code) if _fragment_rerun() else score
        _render_item(ctx, user, exam, item, current, evidence)

    _item()


def _render_item(ctx, user, exam, item: Item, score, evidence: list) -> None:
    key = f"{exam.id}_{item.code}"
    conflicts.show_stored(
        f"seen_{key}",
        score.version if score else 0,
        {
            f"score_{key}": score.status if score else None,
            f"reason_{key}": score.reason if score else "",
            f"comment_{key}": score.comment if score else "",
        },
    )
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
                when = format_span(ev.start, ev.end, ev.channel == "telefoon")  # as the markering list shows it
                text = f" — “{md(ev.excerpt[:120])}”" if ev.excerpt else ""
                note = f" _{md(ev.note)}_" if ev.note else ""
                c1.markdown(f"{sign} {_ICON.get(ev.channel, '')} {md(ev.conversation_title)} · {when}{text}{note}")
                if c2.button("▶", key=f"play_{key}_{ev.tag_id}", help="Passage afspelen in Beoordelen"):
                    select_conversation(ev.conversation_id)
                    st.session_state["play_request"] = {"start": ev.start, "end": ev.end, "tag": ev.tag_id}
                    st.switch_page("pages/beoordelen.py")
        else:
            st.caption("Nog geen bewijs gemarkeerd.")
        disabled = exam.finalised
        st.radio(
            "Score",
            _OPTIONS,
            key=f"score_{key}",
            horizontal=True,
            label_visibility="collapsed",
            format_func=lambda v: ScoreStatus(v).label,
            disabled=disabled,
            on_change=_save,
            args=(ctx, user, exam.id, item.code),
        )
        current = st.session_state.get(f"score_{key}")
        if current == ScoreStatus.NVT.value:
            st.text_input(
                "Reden voor n.v.t. (verplicht)",
                key=f"reason_{key}",
                disabled=disabled,
                on_change=_save,
                args=(ctx, user, exam.id, item.code),
            )
            if not (st.session_state.get(f"reason_{key}") or (score and score.reason)):
                st.warning("n.v.t. telt pas mee met een reden.")
        st.text_input(
            "Opmerking",
            key=f"comment_{key}",
            disabled=disabled,
            placeholder="Opmerking (optioneel)",
            label_visibility="collapsed",
            on_change=_save,
            args=(ctx, user, exam.id, item.code),
        )
        conflicts.show_message(f"error_{key}")


def render_verdict(rubric: Rubric, verdict: Verdict) -> None:
    colour = {VerdictStatus.GESLAAGD: "green", VerdictStatus.GEZAKT: "red", VerdictStatus.ONVOLLEDIG: "orange"}[verdict.status]
    st.markdown(f"### :{colour}[{verdict.status.value.capitalize()}]")
    st.metric("Totaal", f"{verdict.total} / {verdict.max}")
    for e in verdict.eindtermen:
        mark = ":green[:material/check_circle:]" if e.met else ":red[:material/cancel:]"
        crit = " (kritisch)" if e.critical else ""
        st.markdown(f"{mark} Eindterm {e.code}{crit}: **{e.points}** / {e.max} (min. {e.minimum})")
    for p in verdict.problems:
        st.warning(md(p))
    for n in verdict.notes:
        st.info(md(n))  # quotes the n.v.t. reason: user text
    st.caption(cesuur_explanation(rubric))


SUMMARY_KEY = "checklist-summary"
# The column holding the summary sticks below Streamlit's header while the items scroll (#19.6);
# a long summary scrolls inside itself (short enough to stay whole above the page's bottom padding
# at the last item). The keyed container gives the class st-key-<key>.
_STICKY_CSS = f"""<style>
[data-testid="stColumn"]:has(.st-key-{SUMMARY_KEY}) {{
  position: sticky; top: 3.75rem; align-self: flex-start;
  max-height: calc(100vh - 14rem); overflow-y: auto; }}
</style>"""


def render_verdict_panel(ctx, user, exam, rubric: Rubric) -> None:
    """Verdict, checks before finalising and finalise/reopen, as one fragment the score clicks rerun.

    It stays in view (sticky) while the examiner scrolls through the items.
    """
    st.markdown(_STICKY_CSS, unsafe_allow_html=True)  # a constant stylesheet: no user text

    @st.fragment(key=VERDICT_FRAGMENT)
    def _panel():
        if not exam.finalised:  # on top: the summary scrolls inside itself when it is long
            render_undo(ctx, user, key=f"checklist-{exam.id}", where=exam_place(exam.id))
        render_verdict(rubric, scoring.exam_verdict(ctx, user, exam.id))
        if not exam.finalised:
            warnings = scoring.finalise_warnings(ctx, user, exam.id)
            if warnings:
                with st.expander(f"Controle vóór afronden ({len(warnings)})", expanded=True):
                    for w in warnings:
                        st.markdown(f"- {md(w)}")
            seen = not warnings or st.checkbox("Ik heb de controlepunten bekeken")
            if st.button(
                "Examen afronden", type="primary", width="stretch", disabled=not seen, help="Vergrendelt het examen met deze uitslag."
            ):
                try:
                    v = scoring.finalise_exam(ctx, user, exam.id)
                    st.success(f"Afgerond: {v.status.value}.")
                    st.rerun()
                except ServiceError as exc:
                    show_error(exc)
        else:
            render_report_download(ctx, user, exam)
            if user.role in MANAGERS:
                with st.form("heropenen"):
                    reason = st.text_input("Reden om te heropenen")
                    if st.form_submit_button("Examen heropenen"):
                        try:
                            scoring.reopen_exam(ctx, user, exam.id, reason)
                            st.rerun()
                        except ServiceError as exc:
                            show_error(exc)
        history = scoring.exam_history(ctx, user, exam.id)
        if history:
            st.caption("Geschiedenis: " + " · ".join(md(h) for h in history))

    with st.container(key=SUMMARY_KEY):
        _panel()
