"""Promote a tag to the library: pick the tag, adjust context, review the anonymisation."""

from __future__ import annotations

import streamlit as st

from ..domain.pii import LABEL_DESCRIPTIONS, LABELS, PiiSpan
from ..domain.tags import format_span
from ..domain.transcript import speaker_label
from ..services import conversations as conv_svc
from ..services import exams as exam_svc
from ..services import library, tagging
from ..services.context import ServiceError
from .dutch import CHOOSE
from .escape import md
from .feedback import form_key, form_saved
from .pickers import pick_by_id

EXTRA = "library_extra_spans"
REMOVED = "library_removed_spans"
#: a message shown once after the rerun that follows a save (the page then lists what is stored)
FLASH = "library_flash"


def _pick_tag(ctx, user) -> tuple[int, int, bool] | None:
    """(conversation id, tag id, has audio) the curator picked, or None.

    The conversation picker is keyed by the exam and the tag picker by the conversation, so
    switching exam can never leave a conversation (or tag) of another candidate selected.
    No tag is picked by default: the anonymiser is only loaded once a curator asks for a preview.
    """
    exams = exam_svc.list_exams(ctx, user)
    if not exams:
        st.caption("Geen examens.")
        return None
    e = pick_by_id("Examen", exams, lambda x: x.title, key="lib_exam")
    convs = conv_svc.list_conversations(ctx, user, e)
    if not convs:
        st.caption("Dit examen heeft geen gesprekken.")
        return None
    c = pick_by_id("Gesprek", convs, lambda x: x.title, key=f"lib_conv_{e}")
    tags = tagging.list_tags(ctx, user, c)
    c_audio = next((x.has_audio for x in convs if x.id == c), True)
    if not tags:
        st.caption("Dit gesprek heeft nog geen markeringen.")
        return None
    t = pick_by_id(
        "Markering",
        tags,
        lambda t: f"{t.item} {t.polarity} · {format_span(t.start, t.end, c_audio)} · {t.note}",
        key=f"lib_tag_{c}",
        index=None,
        placeholder="Kies een markering",
    )
    return None if t is None else (c, t, c_audio)


def _span_key(span: PiiSpan) -> str:
    return f"{span.start_char}:{span.end_char}"


def _remember_kept(removed: dict[int, set[str]], line: int, options: list[str], widget: str) -> None:
    removed[line] = (removed.get(line, set()) - set(options)) | (set(options) - set(st.session_state[widget]))


def _preview(ctx, user, conv_id, tag_id, before, after, extra, removed_keys):
    """The preview with the curator's edits: spans switched off are removed, also added ones."""
    base = library.preview(ctx, user, tag_id, before, after, extra, None, conversation_id=conv_id)
    removed = {i: [s for s in spans if _span_key(s) in removed_keys.get(i, set())] for i, spans in enumerate(base.excerpt.spans)}
    removed = {i: r for i, r in removed.items() if r}
    if not removed:
        return base, base, extra, {}
    kept_extra = {i: [x for x in spans if not any(x.overlaps(r) for r in removed.get(i, ()))] for i, spans in extra.items()}
    pv = library.preview(ctx, user, tag_id, before, after, kept_extra, removed, conversation_id=conv_id)
    return base, pv, kept_extra, removed


def promote_panel(ctx, user, rubric) -> None:
    picked = _pick_tag(ctx, user)
    if picked is None:
        return
    conv_id, tag_id, audio = picked
    if audio:
        a, b = st.columns(2)
        before = a.slider("Context vooraf (s)", 0.0, 10.0, 2.0, 0.5)
        after = b.slider("Context achteraf (s)", 0.0, 10.0, 2.0, 0.5)
    else:  # a chat/e-mail example is its tagged turns (the service adds no context there)
        before = after = 0.0
        st.caption("Een voorbeeld uit een chat of e-mail bevat precies de gemarkeerde beurten.")
    extra = st.session_state.setdefault(EXTRA, {}).setdefault(tag_id, {})
    removed_keys = st.session_state.setdefault(REMOVED, {}).setdefault(tag_id, {})
    try:
        with st.spinner("Persoonsgegevens zoeken (de eerste keer wordt de anonimiseerder geladen) …"):
            base, pv, kept_extra, removed = _preview(ctx, user, conv_id, tag_id, before, after, extra, removed_keys)
    except ServiceError as exc:
        st.error(md(str(exc)))
        return
    st.markdown("**Voor en na anonimisering**")
    for i, (seg, before_t, after_t, spans) in enumerate(
        zip(pv.excerpt.segments, pv.excerpt.texts_before, pv.excerpt.texts_after, base.excerpt.spans)
    ):
        c1, c2 = st.columns(2)
        c1.caption(md(speaker_label(seg.speaker)))
        c1.markdown(md(before_t))
        c2.caption(md(speaker_label(seg.speaker)))
        c2.markdown(md(after_t))
        if spans:
            labels = {_span_key(s): f"{s.label}: {s.text}" for s in spans}
            options = list(labels)
            widget = f"lib_keep{tag_id}_{i}_{'_'.join(options)}"
            st.multiselect(
                f"Gevonden in regel {i + 1} (weghalen = niet anonimiseren)",
                options,
                default=[k for k in options if k not in removed_keys.get(i, set())],
                format_func=labels.get,
                key=widget,
                placeholder="Niets anonimiseren",
                select_all=False,
                on_change=_remember_kept,
                args=(removed_keys, i, options, widget),
            )
    if pv.has_audio:
        _redaction_waveform(ctx, user, pv)
    with st.form(form_key(f"lib_add{tag_id}")):
        st.markdown("**Extra anonimiseren** (iets gemist?)")
        c1, c2, c3 = st.columns([1, 3, 2])
        line = c1.number_input("Regel", 1, max(1, len(pv.excerpt.segments)), 1)
        fragment = c2.text_input("Letterlijke tekst")
        label = c3.selectbox("Soort", list(LABELS), format_func=lambda v: f"[{v}] {LABEL_DESCRIPTIONS.get(v, '')}", placeholder=CHOOSE)
        if st.form_submit_button("Toevoegen"):
            text = pv.excerpt.texts_before[int(line) - 1]
            pos = text.find(fragment) if fragment else -1
            if pos < 0:
                st.error("Die tekst staat niet in deze regel.")
            else:
                span = PiiSpan.of(text, pos, pos + len(fragment), label)
                extra.setdefault(int(line) - 1, []).append(span)
                removed_keys.get(int(line) - 1, set()).discard(_span_key(span))
                form_saved(f"lib_add{tag_id}")
                st.rerun()
    with st.form(f"lib_save{tag_id}"):
        kind = st.radio(
            "Voorbeeld",
            list(library.LABELS),
            horizontal=True,
            index=0 if pv.polarity == "+" else 1,
            format_func=lambda v: library.LABELS[v],
        )
        desc = st.text_area("Beschrijving", placeholder="Wat laat dit fragment zien?")
        mode = st.radio(
            "Audio bij persoonsgegevens",
            ["bleep", "silence"],
            horizontal=True,
            format_func=lambda v: "piep" if v == "bleep" else "stilte",
            disabled=not pv.has_audio,
        )
        if st.form_submit_button("Opslaan in bibliotheek (alleen geanonimiseerd)", type="primary"):
            try:
                clip = library.promote(
                    ctx,
                    user,
                    tag_id,
                    label=kind,
                    description=desc,
                    before=before,
                    after=after,
                    extra_spans=kept_extra,
                    removed_spans=removed,
                    mode=mode,
                    conversation_id=conv_id,
                )
            except ServiceError as exc:
                st.error(md(str(exc)))
            else:
                # rerun the whole page: the list below is then read back from storage
                st.session_state[FLASH] = f"Toegevoegd aan de bibliotheek: {library.describe(clip)}."
                st.rerun()


def show_flash() -> None:
    msg = st.session_state.pop(FLASH, None)
    if msg:
        st.success(md(msg))


def _seconds(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


@st.cache_data(max_entries=16, show_spinner=False)
def _envelope(_ctx, _user, _pv, tag_id: int, start: float, end: float):
    return library.preview_envelope(_ctx, _user, _pv)


def _redaction_waveform(ctx, user, pv) -> None:
    """The clip's waveform with every stretch that will be bleeped in red, before anything is saved."""
    import altair as alt
    import pandas as pd

    start, end = pv.range.start, pv.range.end
    ranges = [r for r in pv.excerpt.time_ranges if r.end > start and r.start < end]
    st.markdown("**Audio: wat wordt weggepiept**")
    env = _envelope(ctx, user, pv, pv.tag_id, start, end)
    spans = pd.DataFrame(
        {
            "van": [max(start, r.start) for r in ranges],
            "tot": [min(end, r.end) for r in ranges],
            "piep": [f"{_seconds(r.start)}–{_seconds(r.end)} s" for r in ranges],
        }
    )
    x = alt.X("t:Q", title="tijd in het gesprek (s)", scale=alt.Scale(domain=[start, end], nice=False))
    layers = []
    if env is not None and len(env):
        n = len(env)
        wave = pd.DataFrame({"t": [start + (end - start) * (i + 0.5) / n for i in range(n)], "laag": env[:, 0], "hoog": env[:, 1]})
        layers.append(
            alt.Chart(wave)
            .mark_area(color="#4a6fa5")
            .encode(x=x, y=alt.Y("laag:Q", axis=None, scale=alt.Scale(domain=[-1, 1])), y2="hoog:Q")
        )
    layers.append(
        alt.Chart(spans)
        .mark_rect(color="#d62728", opacity=0.4)
        .encode(
            x=alt.X("van:Q", scale=alt.Scale(domain=[start, end], nice=False), title="tijd in het gesprek (s)"),
            x2="tot:Q",
            tooltip=[alt.Tooltip("piep:N", title="piep")],
        )
    )
    st.altair_chart(alt.layer(*layers).properties(height=110), use_container_width=True)
    if ranges:
        st.caption(
            "Rood = piep (of stilte), over de hele tijd van elk weggehaald woord, met marge: "
            + ", ".join(f"{_seconds(r.start)}–{_seconds(r.end)} s" for r in ranges)
            + "."
        )
    else:
        st.caption("Er wordt niets weggepiept: in deze passage is geen persoonsgegeven gevonden.")
