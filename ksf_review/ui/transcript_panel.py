"""Transcript corrections (speakers, text) and exports, beside the player."""

from __future__ import annotations

import streamlit as st

from ..domain.rubric import Rubric
from ..domain.tags import format_time
from ..services import transcript_edits as edits
from ..services import transcript_exports as exports
from ..services.context import Conflict, ServiceError
from . import conflicts
from .dutch import CHOOSE
from .escape import md
from .feedback import confirm
from .player.payload import speaker_label
from .turn_input import turn_input
from .undo import conversation, remember, render_undo


def _save_names(ctx, user, conv_id: int, labels: list[str]) -> None:
    """Button callback: each changed name is saved against the name the examiner saw (ui.conflicts)."""
    state, k = st.session_state, f"rn{conv_id}"
    seen = dict(conflicts.seen_version(f"{k}_seen") or ())
    try:
        for lab in labels:
            name = str(state.get(f"{k}{lab}") or "").strip()
            name = lab if name == speaker_label(lab) else name  # "Klant" typed back: the label itself
            if name and name != seen.get(lab, lab) and name != speaker_label(lab, seen):
                edits.rename_speaker(ctx, user, conv_id, lab, name, expected=seen.get(lab, lab))
    except Conflict:
        conflicts.refused(f"{k}_error")
        return
    except ServiceError as exc:
        state[f"{k}_error"] = md(str(exc))
        return
    conflicts.saved(f"{k}_seen")
    confirm("Sprekersnamen opgeslagen.")


def render_corrections(ctx, user, conv, segments, *, disabled: bool = False) -> None:
    labels = sorted(
        {s.speaker for s in edits.segment_details(ctx, user, conv.id)} | ({"medewerker", "klant"} if conv.channels == 2 else {"spreker"})
    )
    stored = {lab: conv.speaker_names.get(lab, lab) for lab in labels}
    # the fields show "Klant" for a speaker never renamed, as the transcript does (the stored value stays "klant")
    shown = {f"rn{conv.id}{lab}": speaker_label(name) for lab, name in stored.items()}
    conflicts.show_stored(f"rn{conv.id}_seen", tuple(stored.items()), shown)
    with st.form(f"rename{conv.id}"):
        st.markdown("**Sprekers hernoemen** (in het hele gesprek en in exports)")
        for lab in labels:
            st.text_input(md(speaker_label(lab)), key=f"rn{conv.id}{lab}", disabled=disabled)  # "Klant", as the transcript says
        st.form_submit_button("Namen opslaan", disabled=disabled, on_click=_save_names, args=(ctx, user, conv.id, labels))
    conflicts.show_message(f"rn{conv.id}_error")
    if edits.speakers_guessed(ctx, user, conv.id):
        _render_swap(ctx, user, conv, disabled)
    details = edits.segment_details(ctx, user, conv.id)
    if not details:
        return
    names = conv.speaker_names or {}
    d = _pick_segment(conv.id, details, names)
    k = f"seg{conv.id}_{d.index}"
    conflicts.show_stored(f"{k}_seen", d.version, {f"{k}_text": d.text, f"{k}_speaker": d.speaker})
    with st.form(f"segedit{conv.id}"):
        st.text_area("Tekst", key=f"{k}_text", disabled=disabled)
        st.selectbox(
            "Spreker", labels, key=f"{k}_speaker", format_func=lambda lab: speaker_label(lab, names), placeholder=CHOOSE, disabled=disabled
        )
        if d.text != d.original_text:
            st.caption(f"Herkend: “{md(d.original_text)}” · gecorrigeerd door {md(d.edited_by)} op {d.edited_at:%d-%m-%Y %H:%M}")
        st.form_submit_button(
            "Correctie opslaan (tijden blijven gelijk)",
            disabled=disabled,
            on_click=_save_segment,
            args=(ctx, user, conv.id, d.index, k, {"text": d.text, "speaker": d.speaker}),
        )
    conflicts.show_message(f"{k}_error")
    if not disabled:
        render_undo(ctx, user, key=f"text{conv.id}", where=conversation(conv.id))


def _pick_segment(conv_id: int, details, names: dict):
    """The turn to correct: a number ("Beurt") with that turn's time, speaker and current text.

    Not a selectbox over every turn: that built a 60-minute call's 1,000 labelled options on
    every run of Beoordelen. The form below edits exactly the turn shown here."""
    st.markdown("**Beurt corrigeren**")
    no = turn_input(st, "Beurt", f"segno{conv_id}", 1, len(details))
    d = details[no - 1]
    text = d.text if len(d.text) <= 80 else d.text[:79] + "…"
    st.caption(md(f"{format_time(d.start)} {speaker_label(d.speaker, names)}: {text}"))
    return d


def _render_swap(ctx, user, conv, disabled: bool) -> None:
    """Mono call: speakers were told apart by voice and the medewerker is a guess; one click swaps."""
    st.caption(
        "Eén kanaal: medewerker en klant zijn aan hun stem onderscheiden. Wie de medewerker is, "
        "is een gok (wie met een bedrijfsbegroeting opent, anders wie als eerste spreekt)."
    )
    if st.button(
        "Sprekers omwisselen",
        key=f"swap{conv.id}",
        disabled=disabled,
        help="Medewerker en klant wisselen in het hele gesprek; tijden en markeringen blijven.",
    ):
        try:
            edits.swap_speakers(ctx, user, conv.id)
            st.rerun()
        except Conflict:
            st.error(edits.CONFLICT)
        except ServiceError as exc:
            st.error(md(str(exc)))


def _save_segment(ctx, user, conv_id: int, index: int, k: str, before: dict | None = None) -> None:
    """Save a correction against the version the form showed (see ui.conflicts)."""
    state = st.session_state
    try:
        saved = edits.edit_segment(
            ctx,
            user,
            conv_id,
            index,
            text=state[f"{k}_text"],
            speaker=state[f"{k}_speaker"],
            expected_version=conflicts.seen_version(f"{k}_seen"),
        )
        if before is not None:
            remember(
                f"correctie regel {index + 1}",
                "segment_edited",
                conversation(conv_id),
                conv_id=conv_id,
                index=index,
                version=saved.version,
                before=before,
            )
        conflicts.saved(f"{k}_seen")
        confirm("Correctie opgeslagen; de tijden blijven gelijk.")
    except Conflict:
        conflicts.refused(f"{k}_error")
    except ServiceError as exc:
        state[f"{k}_error"] = str(exc)


def render_exports(ctx, user, conv, segments, tags, rubric: Rubric) -> None:
    stem = "".join(c if c.isalnum() else "-" for c in conv.title.lower()).strip("-") or f"gesprek-{conv.id}"
    cols = st.columns(3)
    for i, (fmt, label, mime) in enumerate(
        [
            ("vtt", "WebVTT", "text/vtt"),
            ("srt", "SRT", "application/x-subrip"),
            ("txt", "Tekst", "text/plain"),
            ("json", "JSON", "application/json"),
        ]
    ):
        cols[i % 3].download_button(
            label,
            lambda fmt=fmt: exports.transcript_file(ctx, user, conv, segments, fmt),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"exp{conv.id}{fmt}",
            on_click="ignore",
        )
    cols[1].download_button(
        "ELAN (.eaf)",
        lambda: exports.tags_file(ctx, user, conv, segments, tags, "eaf", rubric),
        file_name=f"{stem}.eaf",
        mime="application/xml",
        key=f"exp{conv.id}eaf",
        on_click="ignore",
    )
    cols[2].download_button(
        "Label Studio",
        lambda: exports.tags_file(ctx, user, conv, segments, tags, "labelstudio", rubric),
        file_name=f"{stem}-labelstudio.json",
        mime="application/json",
        key=f"exp{conv.id}ls",
        on_click="ignore",
    )
