"""Which exam and conversation the examiner is working on, shared across pages — and in the URL.

The URL carries the place (`?examen=…&gesprek=…&t=…`), so a reload, a new tab or a link sent
by a coördinator opens the same exam, conversation and moment. A place that comes from the
URL is checked like any other request: no access, no page (a Dutch refusal instead).
"""

from __future__ import annotations

import streamlit as st

from .escape import md

EXAM = "exam_id"
CONVERSATION = "conversation_id"
SEEK = "seek_request"  # {"conv": id, "t": seconds} from a link, for the player to jump to
Q_EXAM, Q_CONV, Q_TIME = "examen", "gesprek", "t"


def _set_param(name: str, value) -> None:
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def selected_exam() -> int | None:
    return st.session_state.get(EXAM)


def select_exam(exam_id: int | None) -> None:
    if st.session_state.get(EXAM) != exam_id:
        st.session_state[EXAM] = exam_id
        st.session_state.pop(CONVERSATION, None)
        _set_param(Q_CONV, None)
        _set_param(Q_TIME, None)
    _set_param(Q_EXAM, exam_id)


def selected_conversation() -> int | None:
    return st.session_state.get(CONVERSATION)


def select_conversation(conv_id: int | None) -> None:
    if st.session_state.get(CONVERSATION) != conv_id:
        _set_param(Q_TIME, None)
    st.session_state[CONVERSATION] = conv_id
    _set_param(Q_CONV, conv_id)


def follow(widget_key: str, options: list, current) -> None:
    """Before a keyed picker is drawn: show the current selection, also when it was set
    elsewhere (a link, a new exam, ▶ in the checklist)."""
    want = current if current in options else (options[0] if options else None)
    if st.session_state.get(widget_key) != want:
        st.session_state[widget_key] = want


def picked_exam(widget_key: str) -> None:
    """on_change of an exam picker. The URL must change in the callback: Streamlit 1.67 does
    not apply query params set later in a run that a widget change started."""
    select_exam(st.session_state.get(widget_key))


def picked_conversation(widget_key: str) -> None:
    """on_change of a conversation picker (see picked_exam)."""
    select_conversation(st.session_state.get(widget_key))


def show_place(exam_id: int | None, conv_id: int, seconds: float) -> None:
    """The exam, conversation and player position into the URL (whole seconds are close enough).

    Called on every report of the player, so the URL also heals when a page run that set
    it was cut short by the next rerun.
    """
    _set_param(Q_EXAM, exam_id)
    _set_param(Q_CONV, conv_id)
    if seconds and seconds >= 1:  # 0 is also "not reported yet": keep a ?t= the player is still seeking to
        _set_param(Q_TIME, int(seconds))


def pop_seek(conv_id: int) -> float | None:
    """The moment a link asked for in this conversation, once."""
    req = st.session_state.get(SEEK)
    if req and req.get("conv") == conv_id:
        st.session_state.pop(SEEK, None)
        return req["t"]
    return None


def _int(name: str) -> int | None:
    try:
        return int(st.query_params.get(name, ""))
    except ValueError:
        return None


def _exam_of_linked_gesprek(ctx, user, conv) -> int | None:
    """The exam of a gesprek a link names without ?examen=…, checked as the exam itself would be.

    A calibration participant may read a gesprek of another examiner's exam; Beoordelen would then
    fall back to one of the participant's own exams and show its first gesprek instead.
    """
    from ..services import exams as exam_svc
    from ..services.access import Forbidden
    from ..services.context import ServiceError

    if conv.exam_id is None:
        raise ServiceError("Dit gesprek hoort niet bij een examen; open het via Kalibratie.")
    try:
        exam_svc.get_exam(ctx, user, conv.exam_id)
    except Forbidden as exc:
        raise ServiceError("Dit gesprek hoort bij een examen waar je geen toegang toe hebt; open het via Kalibratie.") from exc
    return conv.exam_id


def restore_from_url(ctx, user) -> None:
    """Take the place from the URL when it differs from this tab's (a reload, a new tab, a link).

    Access is checked for every such place; a refused link shows why and stops the page.
    """
    from ..services import conversations as conv_svc
    from ..services import exams as exam_svc
    from ..services.context import ServiceError

    exam_id, conv_id = _int(Q_EXAM), _int(Q_CONV)
    if exam_id is None and conv_id is None:
        return
    if exam_id == selected_exam() and conv_id in (None, selected_conversation()):
        return
    try:
        if exam_id is not None:
            exam_svc.get_exam(ctx, user, exam_id)
        conv = conv_svc.get_conversation(ctx, user, conv_id) if conv_id is not None else None
        if conv is not None and exam_id is not None and conv.exam_id != exam_id:
            raise ServiceError("Dit gesprek hoort niet bij dit examen.")
        if exam_id is None and conv is not None:
            exam_id = _exam_of_linked_gesprek(ctx, user, conv)
        if exam_id is None:
            raise ServiceError("Deze link wijst niet naar een examen.")
    except ServiceError as exc:
        for name in (Q_EXAM, Q_CONV, Q_TIME):
            _set_param(name, None)
        st.error(f"Deze link kan niet worden geopend: {md(str(exc))}", icon=":material/block:")
        st.stop()
    st.session_state[EXAM] = exam_id
    if conv is not None:
        st.session_state[CONVERSATION] = conv.id
        try:
            t = float(st.query_params.get(Q_TIME, ""))
        except ValueError:
            t = None
        if t is not None and 0 <= t:
            st.session_state[SEEK] = {"conv": conv.id, "t": t}
    else:
        st.session_state.pop(CONVERSATION, None)
