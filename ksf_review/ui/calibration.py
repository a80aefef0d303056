"""Calibration widgets: create a session, score blind, and compare after the reveal."""

from __future__ import annotations

from datetime import datetime, time, timezone

import altair as alt
import pandas as pd
import streamlit as st

from ..domain.agreement import heatmap_value, proposed_consensus
from ..domain.roles import ASSESSORS, MANAGERS
from ..domain.states import CalibrationState
from ..domain.tags import Polarity, format_span
from ..domain.verdict import ScoreStatus
from ..services import calibration as cal
from ..services import conversations as conv_svc
from ..services import exams as exam_svc
from ..services import tagging
from ..services.context import ServiceError
from .escape import md
from .feedback import confirm, form_key, form_saved
from .pickers import pick_by_id
from .review import render_workspace

_OPTIONS = [s.value for s in ScoreStatus]
_SIGN = {Polarity.POSITIVE: "+", Polarity.NEGATIVE: "−"}


def create_form(ctx, user, all_users) -> None:
    exams = exam_svc.list_exams(ctx, user)
    with st.form(form_key("nieuwe_sessie")):
        st.markdown("**Nieuwe kalibratiesessie**")
        title = st.text_input("Titel", placeholder="bijv. Kalibratie december — partner belt namens klant")
        exam_id = pick_by_id("Gesprekken van examen", exams, lambda e: e.title, index=None, placeholder="Kies een examen")
        people = [u for u in all_users if u.role in ASSESSORS and u.active]
        chosen = pick_by_id(
            "Deelnemende examinatoren",
            people,
            lambda u: u.display_name,
            widget=st.multiselect,
            placeholder="Kies examinatoren",
            select_all=False,
        )
        deadline = st.date_input("Deadline", value=None, format="DD-MM-YYYY")
        if st.form_submit_button("Sessie aanmaken", type="primary"):
            try:
                dl = datetime.combine(deadline, time(23, 59), tzinfo=timezone.utc) if deadline else None
                cal.create_session(ctx, user, title, chosen, exam_id=exam_id, deadline=dl)
            except ServiceError as exc:
                st.error(md(f"Niet aangemaakt: {exc}"))
            else:
                form_saved("nieuwe_sessie", "Sessie aangemaakt; de deelnemers zien hem onder Kalibratie.")
                st.rerun()


def status_table(session) -> None:
    st.dataframe(pd.DataFrame([{"Examinator": p.name, "Status": p.status_label} for p in session.participants]), hide_index=True)


def participant_view(ctx, user, session) -> None:
    """Blind scoring: the normal workspace and checklist, on the participant's own assessment."""
    aid = cal.my_assessment(ctx, user, session.id)
    scores = cal.scores_of(ctx, user, aid)
    me = session.participant(user.id)
    submitted = me is not None and me.submitted
    rubric = ctx.rubrics.get(*session.rubric_key.split("@"))
    if submitted:
        st.success("Je beoordeling is ingediend. De resultaten verschijnen zodra de coördinator ze onthult.")
    convs = [conv_svc.get_conversation(ctx, user, cid) for cid in session.conversation_ids]
    tab_review, tab_check = st.tabs([":material/headphones: Beoordelen", ":material/checklist: Checklist"])
    with tab_review:
        cid = pick_by_id("Gesprek", convs, lambda c: c.title, key=f"calconv{session.id}")
        conv = next(c for c in convs if c.id == cid)
        render_workspace(ctx, user, None, conv, rubric, assessment_id=aid, locked=submitted or session.state != CalibrationState.OPEN)
    with tab_check:
        evidence = _own_evidence(ctx, user, convs, aid)
        for et in rubric.eindtermen:
            st.markdown(f"**Eindterm {et.code}: {et.title}**")
            for it in rubric.items_of(et.code):
                status, reason, comment = scores.get(it.code, (None, "", ""))
                c1, c2 = st.columns([3, 2])
                c1.markdown(f"{it.code} · {it.text} ({it.points} pt)")
                for line in evidence.get(it.code, ()):
                    c1.caption(line)
                new = c2.radio(
                    "Score",
                    _OPTIONS,
                    key=f"cal{aid}_{it.code}",
                    horizontal=True,
                    label_visibility="collapsed",
                    disabled=submitted,
                    index=_OPTIONS.index(status) if status else None,
                    format_func=lambda v: ScoreStatus(v).label,
                )
                new_reason = reason
                if new == ScoreStatus.NVT:
                    new_reason = c2.text_input("Reden", value=reason, key=f"calr{aid}_{it.code}", disabled=submitted)
                if not submitted and (new != status or new_reason != reason):
                    cal.set_score(ctx, user, aid, it.code, new, new_reason, comment)
        if not submitted and st.button("Beoordeling indienen", type="primary"):
            try:
                cal.submit(ctx, user, aid)
                st.rerun()
            except ServiceError as exc:
                st.error(md(str(exc)))


def _own_evidence(ctx, user, convs, assessment_id: int) -> dict[str, list[str]]:
    """Per toetsterm, the markeringen this participant made in the session (never another's: the
    tags are read for the participant's own blind assessment), said as the exam's checklist says them."""
    out: dict[str, list[str]] = {}
    for conv in convs:
        for t in sorted(tagging.list_tags(ctx, user, conv.id, assessment_id=assessment_id), key=lambda t: t.start):
            note = f" — _{md(t.note)}_" if t.note else ""
            sign = ":red[**−**]" if t.polarity == Polarity.NEGATIVE else ":green[**+**]"  # as the checklist (a bare + is a list)
            out.setdefault(t.item, []).append(f"{sign} {md(conv.title)} · {format_span(t.start, t.end, conv.has_audio)}{note}")
    return out


def _stat_card(col, label, stat) -> None:
    col.metric(label, "—" if stat.value is None else f"{stat.value:.2f}".replace(".", ","))
    col.caption(stat.display())


def comparison_view(ctx, user, session) -> None:
    comp = cal.comparison(ctx, user, session.id)
    s = comp.stats
    st.markdown("#### Overeenstemming")
    c1, c2, c3, c4 = st.columns(4)
    _stat_card(c1, "Krippendorff α (alle toetstermen)", s.overall_alpha)
    _stat_card(c2, "Geslaagd/gezakt (AC1)", s.verdict_ac1)
    _stat_card(c3, "Kritische toetstermen (AC1)", s.critical_ac1)
    _stat_card(c4, "Totaalscores ICC(2,1)", s.total_icc)

    verdicts = {ex: v for (u, ex), v in s.verdicts.items()}
    totals = {ex: t for (u, ex), t in s.totals.items()}
    st.markdown("#### Uitslag per examinator")
    st.dataframe(pd.DataFrame([{"Examinator": ex, "Uitslag": v, "Totaal": totals.get(ex)} for ex, v in verdicts.items()]), hide_index=True)

    st.markdown("#### Heatmap examinator × toetsterm")
    hm = comp.heatmap.copy()
    value = heatmap_value(hm)  # the deviation once the consensus is complete, else the points
    n_items = hm["item"].nunique() if not hm.empty else 0
    if comp.consensus and value == "points":
        st.caption(
            f"Consensus vastgesteld voor {len(comp.consensus)} van {n_items} toetstermen: "
            "de kleuren zijn punten tot de consensus compleet is."
        )
    if not hm.empty:
        hm["waarde"], hm["score"] = hm[value], hm["status"].map(_status_word)  # "niet behaald", not niet_behaald
        chart = (
            alt.Chart(hm)
            .mark_rect()
            .encode(
                x=alt.X("item:N", sort=None, title="toetsterm"),
                y=alt.Y("examiner:N", title=None),
                color=alt.Color(
                    "waarde:Q",
                    scale=alt.Scale(scheme="redblue", domain=[-2, 2]) if value == "deviation" else alt.Scale(scheme="blues"),
                    title="t.o.v. consensus" if value == "deviation" else "punten",
                ),
                tooltip=[
                    alt.Tooltip("examiner:N", title="examinator"),
                    alt.Tooltip("item:N", title="toetsterm"),
                    alt.Tooltip("score:N", title="score"),
                    alt.Tooltip("waarde:Q", title="waarde"),
                ],
            )
        )
        st.altair_chart(chart, width="stretch")
    st.dataframe(
        pd.DataFrame(
            [{"Toetsterm": it.item, "Overeenstemming": it.agreement.display(), "α (over kandidaten)": it.alpha.display()} for it in s.items]
        ),
        hide_index=True,
        height=240,
    )

    if s.examiners:
        st.markdown("#### Streng of mild (t.o.v. consensus)")
        for e in s.examiners:
            st.markdown(f"- {md(e.display())}")
        lenient = pd.DataFrame(
            [{"examinator": e.examiner, "verschil": e.mean_difference} for e in s.examiners if e.mean_difference is not None]
        )
        if not lenient.empty:
            st.altair_chart(
                alt.Chart(lenient)
                .mark_bar()
                .encode(
                    x=alt.X("verschil:Q", title="punten t.o.v. consensus (− streng, + mild)"),
                    y=alt.Y("examinator:N", title=None),
                    color=alt.condition("datum.verschil > 0", alt.value("#16a34a"), alt.value("#dc2626")),
                ),
                width="stretch",
            )

    st.markdown("#### Markeringen van alle examinatoren")
    for cid, tags in comp.tags.items():
        conv = conv_svc.get_conversation(ctx, user, cid)
        clusters = comp.clusters.get(cid, [])
        shared = sum(1 for c in clusters if c.shared and not c.conflicting)
        opposite = sum(1 for c in clusters if c.shared and c.conflicting)
        alone = sum(1 for c in clusters if not c.shared)
        st.caption(
            f"{md(conv.title)}: {shared} passage(s) door meerdere examinatoren met dezelfde toetsterm en "
            f"teken gemarkeerd, {opposite} met dezelfde toetsterm maar tegengesteld bewijs (+ tegen −), "
            f"{alone} door één examinator. {comp.matchings[cid].item_agreement.display()}"
        )
        st.altair_chart(timeline_chart(tags, conv.has_audio), width="stretch")

    if user.role in MANAGERS:
        consensus_editor(ctx, user, session, comp)
        d1, d2 = st.columns(2)
        d1.download_button(
            "Sessierapport (XLSX)",
            lambda: cal.session_report(ctx, user, session.id, "xlsx"),
            file_name=f"kalibratie-{session.id}.xlsx",
            on_click="ignore",
        )
        d2.download_button(
            "Sessierapport (PDF)",
            lambda: cal.session_report(ctx, user, session.id, "pdf"),
            file_name=f"kalibratie-{session.id}.pdf",
            mime="application/pdf",
            on_click="ignore",
        )


def _status_word(value) -> str:
    """A heat map cell's score as the checklist says it ("niet behaald"); "" when unscored."""
    try:
        return ScoreStatus(value).label
    except ValueError:
        return ""


def timeline_frame(tags, audio: bool = True) -> pd.DataFrame:
    """One row per tag for the timeline; 'teken' (+ or −) is drawn on each bar; 'passage' as the tag list says it."""
    return pd.DataFrame(
        [
            {
                "examinator": t.examiner,
                "item": t.item,
                "start": t.start,
                "eind": t.end,
                "teken": _SIGN[t.polarity],
                "markering": f"{t.item}{_SIGN[t.polarity]}",
                "bewijs": t.polarity.label,
                "passage": format_span(t.start, t.end, audio),
                "citaat": t.quote,
            }
            for t in tags
        ],
        columns=["examinator", "item", "start", "eind", "teken", "markering", "bewijs", "passage", "citaat"],
    )


def timeline_chart(tags, audio: bool = True) -> alt.LayerChart:
    """Every examiner's markeringen of one gesprek as bars over time (seconds) or turns.

    A chat's turn i spans [i - 1, i) in the data; drawn half a turn on, turn k is centred on tick k
    of a whole-number axis, so "beurt 1–2" covers the ticks 1 and 2, as the transcript counts.
    """
    df = timeline_frame(tags, audio)
    shift = 0.0 if audio else 0.5
    df["van"], df["tot"] = df["start"] + shift, df["eind"] + shift
    axis = alt.Axis() if audio else alt.Axis(tickMinStep=1, format="d")
    base = alt.Chart(df).encode(
        x=alt.X("van:Q", title="tijd (s)" if audio else "beurt", axis=axis, scale=alt.Scale(zero=audio)),
        y=alt.Y("examinator:N", title=None),
        tooltip=["examinator", "markering", "bewijs", "passage", "citaat"],
    )
    bars = base.mark_bar(height=12).encode(x2="tot:Q", color=alt.Color("item:N", title="toetsterm"))
    signs = base.mark_text(align="left", dx=2, fontWeight="bold").encode(text="teken:N")
    return bars + signs


def consensus_editor(ctx, user, session, comp) -> None:
    rubric = ctx.rubrics.get(*session.rubric_key.split("@"))
    with st.expander("Consensus vaststellen", expanded=not comp.consensus):
        with st.form(f"consensus{session.id}"):
            choices = {}
            for it in rubric.items:
                ratings = comp.ratings[comp.ratings["item"] == it.code]["status"].tolist()
                c1, c2, c3 = st.columns([3, 3, 3])
                c1.markdown(f"**{it.code}** · " + ", ".join(ScoreStatus(r).label for r in ratings if r))
                # a tie (or no scores) starts empty: the coördinator decides, nothing defaults to behaald
                current = comp.consensus.get(it.code) or proposed_consensus(ratings)
                choices[it.code] = (
                    c2.radio(
                        "consensus",
                        _OPTIONS,
                        key=f"cons{session.id}{it.code}",
                        index=_OPTIONS.index(current) if current else None,
                        horizontal=True,
                        label_visibility="collapsed",
                        format_func=lambda v: ScoreStatus(v).label,
                    ),
                    c3.text_input(
                        "notitie",
                        value=comp.consensus_notes.get(it.code, ""),
                        key=f"consn{session.id}{it.code}",
                        label_visibility="collapsed",
                        placeholder="notitie",
                    ),
                )
            if st.form_submit_button("Consensus opslaan", type="primary"):
                for code, (status, note) in choices.items():
                    if status:  # an item left empty stays open (no consensus yet)
                        cal.set_consensus(ctx, user, session.id, code, status, note)
                confirm("Consensus opgeslagen.")
                st.rerun()


def trends(ctx, user) -> None:
    trend, hist = cal.session_history(ctx, user)
    if len(trend) >= 1:
        st.markdown("#### Trend van α over sessies")
        st.altair_chart(
            alt.Chart(trend)
            .mark_line(point=True)
            .encode(x=alt.X("sessie:N", sort=None), y=alt.Y("alpha:Q", title="α", scale=alt.Scale(domain=[-0.2, 1]))),
            width="stretch",
        )
    if not hist.empty:
        st.markdown("#### Examinator t.o.v. consensus per sessie")
        st.dataframe(hist, hide_index=True)
