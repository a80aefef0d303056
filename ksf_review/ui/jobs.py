"""The conversations of an exam, with live transcription progress.

The list itself is drawn once per page run. Only the progress cell of an active job polls
(a small fragment that reads the job's status and progress in one query), and it stops
when the job ends: it then reruns the page once, which draws the final status without a
poll. A full list refresh every 2 s kept the server busy for everyone (#14.8).
"""

from __future__ import annotations

import streamlit as st

from ..domain.states import ACTIVE_JOBS, RETRYABLE_JOBS, JobState, JobStep, label_of
from ..domain.tags import format_time
from ..domain.verdict import MIN_CONVERSATIONS
from ..services import conversations as conv_svc
from ..services import transcription_jobs as jobs
from ..services.context import AppContext, ServiceError
from .escape import md
from .selection import select_conversation

CHANNEL_ICON = {"telefoon": ":material/call:", "chat": ":material/chat:", "e-mail": ":material/mail:"}
POLL_SECONDS = 2
NO_SPEECH = "geen spraak gevonden"


def status_text(is_text: bool, status: str | None, progress: float = 0.0, eta: float | None = None, step: str | None = None) -> str:
    if is_text:
        return "tekstgesprek"
    if status == JobState.RUNNING:
        left = f", nog ca. {format_time(eta)}" if eta else ""
        doing = f" · {label_of(JobStep, step)}" if step else ""  # a step where the bar waits (a mono call's speakers)
        return f"transcriptie bezig: {progress:.0%}{left}{doing}"
    if status == JobState.FAILED:
        return "transcriptie mislukt"
    return "transcriptie " + label_of(JobState, status)


def _progress(status: str | None, progress: float, eta: float | None, step: str | None = None) -> None:
    st.caption(status_text(False, status, progress, eta, step))
    if status == JobState.RUNNING:
        st.progress(min(1.0, max(0.0, progress)))


def job_progress_cell(ctx: AppContext, job_id: int) -> None:
    """Status and progress bar of an active job, polled every POLL_SECONDS until it ends."""

    @st.fragment(run_every=POLL_SECONDS)
    def _poll():
        state = jobs.job_progress(ctx, job_id)
        if state is None or state[0] not in ACTIVE_JOBS:
            st.rerun(scope="app")  # the job ended: draw the final row, and no more polling
        _progress(*state)

    _poll()


def conversation_table(ctx: AppContext, user, exam_id: int) -> None:
    items = conv_svc.list_conversations(ctx, user, exam_id)
    if not items:
        st.info("Dit examen heeft nog geen gesprekken. Voeg er minstens drie toe.")
        return
    st.markdown(f"#### Gesprekken ({len(items)})")
    for c in items:
        cols = st.columns([5, 3, 2, 2])
        length = f" · {format_time(c.duration)}" if c.has_audio else ""
        cols[0].markdown(f"{CHANNEL_ICON.get(c.channel, '')} **{md(c.title)}**{length}")
        with cols[1]:
            if c.job_status in ACTIVE_JOBS and c.job_id is not None:
                job_progress_cell(ctx, c.job_id)
            elif c.no_speech:
                st.caption(NO_SPEECH + (" · telt mee (bevestigd)" if c.no_speech_confirmed else " · telt nog niet mee"))
            else:
                st.caption(status_text(c.is_text, c.job_status, c.job_progress, c.job_eta))
        if c.job_status == JobState.FAILED and c.job_error:
            cols[0].error(md(c.job_error))
        if c.job_status in RETRYABLE_JOBS and cols[2].button("Opnieuw proberen", key=f"retry{c.id}"):
            try:
                jobs.retry_job(ctx, user, c.job_id)
                st.rerun()
            except ServiceError as exc:
                st.error(md(str(exc)))
        elif c.job_status in ACTIVE_JOBS and cols[2].button("Annuleren", key=f"cancel{c.id}"):
            try:
                jobs.cancel_job(ctx, user, c.job_id)
                st.rerun()
            except ServiceError as exc:
                st.error(md(str(exc)))
        elif c.no_speech and not c.no_speech_confirmed:
            cols[2].button(
                "Telt mee",
                key=f"speech{c.id}",
                on_click=confirm_no_speech,
                args=(ctx, user, c.id),
                help="Er is geen spraak gevonden (bijv. alleen een piep). Bevestig dat dit gesprek "
                "toch meetelt voor de minimaal drie gesprekken.",
            )
        if cols[3].button("Beoordelen", key=f"review{c.id}", type="primary"):
            select_conversation(c.id)
            st.switch_page("pages/beoordelen.py")
    counted = sum(c.counts for c in items)
    if counted < MIN_CONVERSATIONS:
        silent = len(items) - counted
        extra = f" ({silent} zonder gevonden spraak telt nog niet mee)" if silent else ""
        st.warning(f"De praktijktoets vraagt minimaal {MIN_CONVERSATIONS} gesprekken; dit examen heeft er {counted}{extra}.")


def confirm_no_speech(ctx: AppContext, user, conv_id: int) -> None:
    """Button callback: the examiner confirms a recording without speech counts all the same."""
    try:
        conv_svc.confirm_no_speech(ctx, user, conv_id)
    except ServiceError as exc:
        st.error(md(str(exc)))  # drawn at the top of the page
