"""Tagging widgets: the form that turns a selected passage into a tag, and the tag list."""

from __future__ import annotations

import streamlit as st

from ..domain.quote import quote
from ..domain.rubric import Rubric
from ..domain.tags import format_clock, format_span, parse_clock
from ..services import tagging
from ..services.context import Conflict, ServiceError
from . import conflicts
from .dutch import CHOOSE
from .escape import md
from .feedback import confirm
from .undo import conversation, remember

EINDTERM_COLOURS = {"1": "#2f6fdf", "2": "#8a4fd8", "3": "#e07a1f"}


def item_options(rubric: Rubric) -> list[str]:
    return [it.code for it in rubric.items]


def item_label(rubric: Rubric, code: str) -> str:
    it = rubric.item(code)
    text = it.text if len(it.text) < 70 else it.text[:67] + "…"
    return f"{code} · {text}"


def tag_form(
    ctx,
    user,
    rubric: Rubric,
    conv,
    segments,
    start: float,
    end: float,
    *,
    key: str,
    origin: str = "manual",
    disabled: bool = False,
    assessment_id: int | None = None,
    rerun: list[str] | None = None,
) -> None:
    """A form for a new tag over [start, end], saved in the button's callback.

    A save stores the range the form showed when the examiner pressed the button (kept in the
    session per form), not whatever the selection became meanwhile. The form keeps its input
    until the tag is stored: it is emptied only after a successful save (in the next run,
    before its widgets are drawn), and a refused save says why and keeps what was typed.
    `rerun`: the fragments that show tags (the form's own among them); a save reruns those,
    not the page (#14.9). None: the page.
    """
    when = format_span(start, end, conv.has_audio)
    state = st.session_state
    item_key, pol_key, note_key = f"{key}_item", f"{key}_pol", f"{key}_note"
    state[f"_{key}_shown"] = (start, end)  # what is on screen: what a press of the button saves
    if state.pop(f"_{key}_saved", False):
        state[item_key], state[pol_key], state[note_key] = [], "+", ""
    excerpt = quote(segments, start, end)
    with st.form(key, border=True):
        st.markdown(f"**Nieuwe markering** · {when}")
        if excerpt:
            st.caption(f"“{md(excerpt)}”")
        st.multiselect(
            "Toetstermen",
            item_options(rubric),
            format_func=lambda c: item_label(rubric, c),
            placeholder="Zoek toetstermen (typ bijv. 'samenvatten' of '3.1'); meer dan één mag",
            key=item_key,
            filter_mode="contains",
            select_all=False,
        )
        st.radio(
            "Bewijs",
            ["+", "-"],
            horizontal=True,
            key=pol_key,
            format_func=lambda p: ":green[**+**] positief" if p == "+" else ":red[**−**] negatief",
        )
        st.text_input("Notitie", placeholder="Wat hoor je hier?", key=note_key)
        st.form_submit_button(
            "Markering opslaan",
            type="primary",
            disabled=disabled,
            on_click=_save_new,
            args=(ctx, user, conv, segments, key, origin, assessment_id, rerun),
        )
    error = state.pop(f"_{key}_error", None)
    if error:
        st.error(error)


def _save_new(ctx, user, conv, segments, key: str, origin: str, assessment_id: int | None, rerun: list[str] | None) -> None:
    """The form's callback: store the tag(s), or keep the input and say why not."""
    state = st.session_state
    codes = state.get(f"{key}_item") or []
    if not codes:
        state[f"_{key}_error"] = "Kies een toetsterm; er is niets opgeslagen."
        return
    s, e = state[f"_{key}_shown"]
    try:
        made = tagging.add_tags(
            ctx,
            user,
            conv.id,
            s,
            e,
            codes,
            state.get(f"{key}_pol", "+"),
            state.get(f"{key}_note", ""),
            origin=origin,
            excerpt=quote(segments, s, e),
            assessment_id=assessment_id,
        )
    except ServiceError as exc:
        state[f"_{key}_error"] = f"Niet opgeslagen: {md(str(exc))}"
        return
    state[f"_{key}_saved"] = True
    remember(
        f"markering {', '.join(codes)}",
        "tags_added",
        conversation(conv.id),
        conv_id=conv.id,
        ids=[t.id for t in made],
        versions=[t.version for t in made],
    )
    span = format_span(s, e, conv.has_audio)  # as the list shows it
    confirm(
        f"Markering {', '.join(codes)} ({span}) opgeslagen."
        if len(codes) == 1
        else f"{len(codes)} markeringen ({', '.join(codes)}; {span}) opgeslagen."
    )
    st.rerun(rerun or "app")


def _shown_times(start: float, end: float, audio: bool) -> tuple[str, str]:
    """A tag's range as its edit form shows it: m:ss.s in a recording, turn numbers in a chat
    or e-mail (turns i..j are stored as [i - 1, j), as the list says "beurt i–j")."""
    return (format_clock(start), format_clock(end)) if audio else (str(int(start) + 1), str(int(end)))


def _read_times(start: str, end: str, audio: bool) -> tuple[float, float]:
    """The inverse of _shown_times; a ValueError says in Dutch what is wrong."""
    if audio:
        return parse_clock(start), parse_clock(end)
    try:
        first, last = int(str(start).strip()), int(str(end).strip())
    except ValueError:
        raise ValueError("vul een beurtnummer in, bijv. 3") from None
    return float(first - 1), float(last)


def _save_edit(ctx, user, tag_id: int, before: dict | None = None, audio: bool = True) -> None:
    state, k = st.session_state, f"tag{tag_id}"
    try:
        start, end = _read_times(state[f"{k}_start"], state[f"{k}_end"], audio)
    except ValueError as exc:  # what was typed stays in the fields
        state[f"{k}_error"] = f"Niet opgeslagen: {exc}."
        return
    try:
        saved = tagging.update_tag(
            ctx,
            user,
            tag_id,
            conflicts.seen_version(f"{k}_seen"),
            item=state[f"{k}_item"],
            polarity=state[f"{k}_pol"],
            start=start,
            end=end,
            note=state[f"{k}_note"],
        )
        if before is not None:
            remember(
                f"wijziging markering {saved.item}",
                "tag_updated",
                conversation(saved.conversation_id),
                id=tag_id,
                version=saved.version,
                before=before,
            )
        conflicts.saved(f"{k}_seen")
        confirm(f"Markering {state[f'{k}_item']} bijgewerkt.")
        st.rerun()  # the whole page: the player and the checklist show the new times (a tag list is a fragment)
    except Conflict:
        conflicts.refused(f"{k}_error")
    except ServiceError as exc:
        state[f"{k}_error"] = str(exc)


def edit_key(tag_id: int) -> str:
    """The key of a tag's "Bewerken" expander: True in the session while it is open."""
    return f"tagedit{tag_id}"


def _edit_form(ctx, user, rubric: Rubric, t, audio: bool = True) -> None:
    """Edit a tag; the save sends the version whose values the form shows (see ui.conflicts)."""
    k = f"tag{t.id}"
    codes = item_options(rubric)
    shown_start, shown_end = _shown_times(t.start, t.end, audio)
    conflicts.show_stored(
        f"{k}_seen",
        t.version,
        {
            f"{k}_item": t.item if t.item in codes else codes[0],
            f"{k}_pol": t.polarity,
            f"{k}_start": shown_start,
            f"{k}_end": shown_end,
            f"{k}_note": t.note,
        },
    )
    with st.form(f"edit{t.id}"):
        st.selectbox("Toetsterm", codes, key=f"{k}_item", format_func=lambda c: item_label(rubric, c), placeholder=CHOOSE)
        st.radio(
            "Bewijs",
            ["+", "-"],
            key=f"{k}_pol",
            horizontal=True,
            format_func=lambda p: ":green[**+**] positief" if p == "+" else ":red[**−**] negatief",
        )
        a, b = st.columns(2)
        if audio:
            a.text_input("Begin (m:ss.s)", key=f"{k}_start", help="Bijv. 1:02.5; een komma mag ook.")
            b.text_input("Eind (m:ss.s)", key=f"{k}_end", help="Bijv. 1:04.0")
        else:
            a.text_input("Van beurt", key=f"{k}_start")
            b.text_input("Tot en met beurt", key=f"{k}_end")
        st.text_input("Notitie", key=f"{k}_note")
        st.checkbox("Ja, deze markering verwijderen", key=f"{k}_sure")
        s1, s2 = st.columns(2)
        s1.form_submit_button(
            "Opslaan",
            type="primary",
            on_click=_save_edit,
            args=(ctx, user, t.id, {"item": t.item, "polarity": t.polarity, "start": t.start, "end": t.end, "note": t.note}, audio),
        )
        s2.form_submit_button("Verwijderen", on_click=_delete, args=(ctx, user, t))


def _delete(ctx, user, t) -> None:
    """Button callback (before the page reads the tags again): the delete sends the version the
    examiner saw, so a tag a colleague changed since is not deleted over their change."""
    state, k = st.session_state, f"tag{t.id}"
    if not state.get(f"{k}_sure"):  # a confirmation for a destructive action (#19.4)
        state[f"{k}_warning"] = "Vink eerst 'Ja, deze markering verwijderen' aan; er is niets verwijderd."
        return
    try:
        tagging.delete_tag(ctx, user, t.id, conflicts.seen_version(f"{k}_seen"))
    except Conflict:
        conflicts.refused(f"{k}_error")
        return
    except ServiceError as exc:
        state[f"{k}_error"] = md(str(exc))
        return
    remember(
        f"verwijderen markering {t.item}",
        "tag_deleted",
        conversation(t.conversation_id),
        conv_id=t.conversation_id,
        start=t.start,
        end=t.end,
        item=t.item,
        polarity=t.polarity,
        note=t.note,
        origin=t.origin,
        excerpt=t.excerpt,
        assessment_id=t.assessment_id,
    )
    confirm(f"Markering {t.item} verwijderd.")
    st.rerun()


PAGE = 20


def page_of(rows: list, *, key: str, size: int = PAGE) -> list:
    """One page of a long list, with a picker when there is more than one page.

    Each row is a handful of widgets; 200 tags with their edit forms were ~3,400 elements,
    rebuilt and sent on every rerun of the page (#14.9). A page's label never depends on the
    number of rows ("21–40", not "21–28 van 28"): Streamlit's selectbox keeps showing the old
    text of the chosen option when its label changes, so a save showed a stale count.
    """
    if len(rows) <= size:
        return rows
    pages = range((len(rows) + size - 1) // size)
    page = st.selectbox(
        "Tonen",
        pages,
        key=key,
        label_visibility="collapsed",
        format_func=lambda p: f"{p * size + 1}–{(p + 1) * size}",
        placeholder=CHOOSE,
    )
    return rows[page * size : (page + 1) * size]


def tag_list(ctx, user, rubric: Rubric, conv, tags, *, disabled: bool = False) -> dict | None:
    """List tags with play/edit/delete; returns a play request {start, end} when clicked."""
    request = None
    if not tags:
        st.caption("Nog geen markeringen in dit gesprek.")
        return None
    for t in page_of(tags, key=f"tagpage{conv.id}"):
        when = format_span(t.start, t.end, conv.has_audio)
        sign = ":green[**+**]" if t.polarity == "+" else ":red[**−**]"
        colour = EINDTERM_COLOURS.get(rubric.item(t.item).eindterm, "#555") if rubric.has_item(t.item) else "#555"
        with st.container(border=True):
            c1, c2 = st.columns([5, 1])
            c1.markdown(
                f"{sign} <span style='color:{colour};font-weight:600'>{md(t.item)}</span> · {when}", unsafe_allow_html=True
            )  # our markup; the note below is user text
            if t.note:
                c1.caption(md(t.note, multiline=True))
            if c2.button("▶", key=f"playtag{t.id}", help="Passage afspelen"):
                request = {"start": t.start, "end": t.end, "tag": t.id}
            if not disabled:
                # the form is built only while its expander is open: 20 collapsed edit forms
                # were half of every tag-panel rerun (a tag save, an accept, #14.9)
                with st.expander("Bewerken", key=edit_key(t.id), on_change="rerun") as box:
                    if box.open:
                        _edit_form(ctx, user, rubric, t, audio=conv.has_audio)
                conflicts.show_message(f"tag{t.id}_error")
                if warning := st.session_state.pop(f"tag{t.id}_warning", None):
                    st.warning(warning)
    return request
