"""The review workspace: player + transcript on the left, tagging on the right."""

from __future__ import annotations

import streamlit as st

from ..domain.tags import format_time
from ..services import conversations as conv_svc
from ..services import tagging
from .tagging import tag_form, tag_list

PENDING = "pending_selection"


def _segment_label(i: int, sg, has_audio: bool) -> str:
    when = format_time(sg.start) if has_audio else f"beurt {i + 1}"
    text = sg.text if len(sg.text) < 60 else sg.text[:57] + "…"
    return f"{when} {sg.speaker}: {text}"


def _transcript_fallback(conv, segments, play_from: float | None) -> None:
    """Plain audio + transcript (used where the custom player cannot render, e.g. AppTest)."""
    if conv.has_audio and conv.audio_path is not None:
        st.audio(str(conv.audio_path), format=conv.mimetype, start_time=int(play_from or 0))
    for i, sg in enumerate(segments):
        when = format_time(sg.start) if conv.has_audio else f"{i + 1}"
        st.markdown(f"<small>{when}</small> **{sg.speaker}**: {sg.text}", unsafe_allow_html=True)


def _job_notice(conv) -> None:
    if conv.is_text:
        return
    if conv.job_status in ("queued", "running"):
        st.info(f"De transcriptie loopt nog ({conv.job_progress:.0%}). Je kunt al luisteren; "
                "het transcript verschijnt vanzelf.", icon="⏳")
    elif conv.job_status == "failed":
        st.error(f"Transcriptie mislukt: {conv.job_error}. Start hem opnieuw op de pagina Examens.")
    elif conv.audio_path is None:
        st.warning("De opname is verwijderd (bewaartermijn verlopen); transcript en markeringen blijven.")


def render_workspace(ctx, user, exam, conv, rubric, *, assessment_id: int | None = None,
                     locked: bool | None = None) -> None:
    """`assessment_id` set: a calibration participant's own blind tags instead of the exam's."""
    _job_notice(conv)
    segments = conv_svc.conversation_segments(ctx, user, conv.id)
    tags = tagging.list_tags(ctx, user, conv.id, assessment_id=assessment_id)
    locked = exam.finalised if locked is None else locked
    if locked and assessment_id is None:
        st.info("Dit examen is afgerond; markeringen kunnen niet meer wijzigen.", icon="🔒")
    play = st.session_state.pop("play_request", None)

    left, right = st.columns([3, 2], gap="large")
    with left:
        _transcript_fallback(conv, segments, play["start"] if play else None)

    with right:
        st.markdown("#### Markeren")
        pending = st.session_state.get(PENDING)
        if segments and not locked:
            labels = [_segment_label(i, sg, conv.has_audio) for i, sg in enumerate(segments)]
            a, b = st.columns(2)
            first = a.selectbox("Van", range(len(segments)), format_func=lambda i: labels[i], key=f"from{conv.id}")
            last = b.selectbox("Tot en met", range(len(segments)), index=first, format_func=lambda i: labels[i],
                               key=f"to{conv.id}")
            if last < first:
                first, last = last, first
            start, end = segments[first].start, segments[last].end
            if pending and pending.get("conv") == conv.id:
                start, end = pending["start"], pending["end"]
            if tag_form(ctx, user, rubric, conv, segments, start, end, key=f"tagform{conv.id}",
                        assessment_id=assessment_id):
                st.session_state.pop(PENDING, None)
                st.rerun()
        elif not segments:
            st.caption("Nog geen transcript om te markeren.")
        st.markdown(f"#### Markeringen ({len(tags)})")
        request = tag_list(ctx, user, rubric, conv, tags, disabled=locked)
        if request:
            st.session_state["play_request"] = request
            st.rerun()
