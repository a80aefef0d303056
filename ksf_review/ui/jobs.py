"""The conversations of an exam with live transcription progress (refreshes itself)."""

from __future__ import annotations

import streamlit as st

from ..domain.tags import format_time
from ..services import conversations as conv_svc
from ..services import transcription_jobs as jobs
from ..services.context import AppContext, ServiceError
from .selection import select_conversation

CHANNEL_ICON = {"telefoon": ":material/call:", "chat": ":material/chat:", "e-mail": ":material/mail:"}


def _status_text(c) -> str:
    if c.is_text:
        return "tekstgesprek"
    if c.job_status == "running":
        eta = f", nog ca. {format_time(c.job_eta)}" if c.job_eta else ""
        return f"transcriptie bezig: {c.job_progress:.0%}{eta}"
    if c.job_status == "failed":
        return "transcriptie mislukt"
    return "transcriptie " + jobs.JOB_LABELS.get(c.job_status or "", "onbekend")


def conversation_table(ctx: AppContext, user, exam_id: int) -> None:
    convs = conv_svc.list_conversations(ctx, user, exam_id)
    active = any(c.job_status in ("queued", "running") for c in convs)

    @st.fragment(run_every=2 if active else None)
    def _table():
        items = conv_svc.list_conversations(ctx, user, exam_id)
        if not items:
            st.info("Dit examen heeft nog geen gesprekken. Voeg er minstens drie toe.")
            return
        st.markdown(f"#### Gesprekken ({len(items)})")
        for c in items:
            cols = st.columns([5, 3, 2, 2])
            length = f" · {format_time(c.duration)}" if c.has_audio else ""
            cols[0].markdown(f"{CHANNEL_ICON.get(c.channel, '')} **{c.title}**{length}")
            cols[1].caption(_status_text(c))
            if c.job_status == "running":
                cols[1].progress(min(1.0, c.job_progress))
            if c.job_status == "failed" and c.job_error:
                cols[0].error(c.job_error)
            if c.job_status in ("failed", "cancelled") and cols[2].button("Opnieuw", key=f"retry{c.id}"):
                try:
                    jobs.retry_job(ctx, user, c.job_id)
                    st.rerun()
                except ServiceError as exc:
                    st.error(str(exc))
            elif c.job_status in ("queued", "running") and cols[2].button("Annuleren", key=f"cancel{c.id}"):
                try:
                    jobs.cancel_job(ctx, user, c.job_id)
                    st.rerun()
                except ServiceError as exc:
                    st.error(str(exc))
            if cols[3].button("Beoordelen", key=f"review{c.id}", type="primary"):
                select_conversation(c.id)
                st.switch_page("pages/beoordelen.py")
        if len(items) < 3:
            st.warning(f"De praktijktoets vraagt minimaal 3 gesprekken; dit examen heeft er {len(items)}.")

    _table()
