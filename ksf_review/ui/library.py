"""Promote a tag to the library: pick the tag, adjust context, review the anonymisation."""

from __future__ import annotations

import streamlit as st

from ..adapters.anonymisation import LABEL_DESCRIPTIONS, LABELS, PiiSpan
from ..domain.tags import format_time
from ..services import conversations as conv_svc
from ..services import exams as exam_svc
from ..services import library, tagging
from ..services.context import ServiceError

EXTRA = "library_extra_spans"
REMOVED = "library_removed_spans"


def _pick_tag(ctx, user):
    exams = exam_svc.list_exams(ctx, user)
    if not exams:
        st.caption("Geen examens.")
        return None
    e = st.selectbox("Examen", [x.id for x in exams], format_func=lambda i: next(x.title for x in exams if x.id == i),
                     key="lib_exam")
    convs = conv_svc.list_conversations(ctx, user, e)
    if not convs:
        st.caption("Dit examen heeft geen gesprekken.")
        return None
    c = st.selectbox("Gesprek", [x.id for x in convs], format_func=lambda i: next(x.title for x in convs if x.id == i),
                     key="lib_conv")
    tags = tagging.list_tags(ctx, user, c)
    if not tags:
        st.caption("Dit gesprek heeft nog geen markeringen.")
        return None
    return st.selectbox("Markering", [t.id for t in tags], key="lib_tag", format_func=lambda i: next(
        f"{t.item} {t.polarity} · {format_time(t.start)}–{format_time(t.end)} · {t.note}" for t in tags if t.id == i))


def promote_panel(ctx, user, rubric) -> None:
    tag_id = _pick_tag(ctx, user)
    if tag_id is None:
        return
    a, b = st.columns(2)
    before = a.slider("Context vooraf (s)", 0.0, 10.0, 2.0, 0.5)
    after = b.slider("Context achteraf (s)", 0.0, 10.0, 2.0, 0.5)
    extra = st.session_state.setdefault(EXTRA, {}).setdefault(tag_id, {})
    removed = st.session_state.setdefault(REMOVED, {}).setdefault(tag_id, {})
    try:
        pv = library.preview(ctx, user, tag_id, before, after, extra, removed)
    except ServiceError as exc:
        st.error(str(exc))
        return
    st.markdown("**Voor en na anonimisering**")
    for i, (seg, before_t, after_t, spans) in enumerate(zip(pv.excerpt.segments, pv.excerpt.texts_before,
                                                            pv.excerpt.texts_after, pv.excerpt.spans)):
        c1, c2 = st.columns(2)
        c1.markdown(f"<small>{seg.speaker}</small><br>{before_t}", unsafe_allow_html=True)
        c2.markdown(f"<small>{seg.speaker}</small><br>{after_t}", unsafe_allow_html=True)
        if spans:
            keep = st.multiselect(f"Gevonden in regel {i + 1} (weghalen = niet anonimiseren)",
                                  [f"{s.label}: {s.text}" for s in spans],
                                  default=[f"{s.label}: {s.text}" for s in spans], key=f"lib_keep{tag_id}_{i}")
            dropped = [s for s in spans if f"{s.label}: {s.text}" not in keep]
            if dropped:
                removed.setdefault(i, []).extend(dropped)
                st.rerun()
    with st.form(f"lib_add{tag_id}", clear_on_submit=True):
        st.markdown("**Extra anonimiseren** (iets gemist?)")
        c1, c2, c3 = st.columns([1, 3, 2])
        line = c1.number_input("Regel", 1, max(1, len(pv.excerpt.segments)), 1)
        fragment = c2.text_input("Letterlijke tekst")
        label = c3.selectbox("Soort", list(LABELS), format_func=lambda v: f"[{v}] {LABEL_DESCRIPTIONS.get(v, '')}")
        if st.form_submit_button("Toevoegen"):
            text = pv.excerpt.texts_before[int(line) - 1]
            pos = text.find(fragment) if fragment else -1
            if pos < 0:
                st.error("Die tekst staat niet in deze regel.")
            else:
                extra.setdefault(int(line) - 1, []).append(PiiSpan.of(text, pos, pos + len(fragment), label))
                st.rerun()
    with st.form(f"lib_save{tag_id}"):
        kind = st.radio("Voorbeeld", list(library.LABELS), horizontal=True,
                        index=0 if pv.polarity == "+" else 1, format_func=lambda v: library.LABELS[v])
        desc = st.text_area("Beschrijving", placeholder="Wat laat dit fragment zien?")
        mode = st.radio("Audio bij persoonsgegevens", ["bleep", "silence"], horizontal=True,
                        format_func=lambda v: "piep" if v == "bleep" else "stilte", disabled=not pv.has_audio)
        if st.form_submit_button("Opslaan in bibliotheek (alleen geanonimiseerd)", type="primary"):
            try:
                library.promote(ctx, user, tag_id, label=kind, description=desc, before=before, after=after,
                                extra_spans=extra, removed_spans=removed, mode=mode)
                st.success("Toegevoegd aan de bibliotheek.")
            except ServiceError as exc:
                st.error(str(exc))
