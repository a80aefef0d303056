"""Managing an exam on the Examens page: rename it, give it to another examinator, rename or
delete its conversations (#19.9). A delete asks for confirmation first.

Every change runs in a button callback, before the page is drawn, so the lists above show
what is stored; a refusal is shown in Dutch in the expander and loses nothing.
"""

from __future__ import annotations

import streamlit as st

from ..domain.roles import MANAGERS
from ..services import conversations as conv_svc
from ..services import exams as exam_svc
from ..services.context import ServiceError
from .dutch import CHOOSE
from .escape import md
from .feedback import confirm
from .selection import select_conversation

_ERROR = "exam_admin_error"
_PENDING_DELETE = "exam_admin_delete"  # conversation id waiting for "Ja, verwijderen"
_PICK = "exam_admin_pick"  # + exam id: the conversation chosen to rename or delete


def _refused(exc: ServiceError) -> None:
    st.session_state[_ERROR] = str(exc)


def _rename_exam(ctx, user, exam_id: int) -> None:
    try:
        view = exam_svc.rename_exam(ctx, user, exam_id, st.session_state.get(f"exam_name{exam_id}", ""))
        confirm(f"Examen hernoemd naar {view.candidate}.")
    except ServiceError as exc:
        _refused(exc)


def _reassign(ctx, user, exam_id: int) -> None:
    target = st.session_state.get(f"exam_examiner{exam_id}")
    try:
        if target is None:
            raise ServiceError("Kies eerst een examinator.")
        view = exam_svc.reassign_exam(ctx, user, exam_id, target)
        confirm(f"Examen toegewezen aan {view.examiner}.")
    except ServiceError as exc:
        _refused(exc)


def _rename_conversation(ctx, user, exam_id: int) -> None:
    conv_id = st.session_state.get(_PICK + str(exam_id))
    try:
        if conv_id is None:
            raise ServiceError("Kies eerst een gesprek.")
        view = conv_svc.rename_conversation(ctx, user, conv_id, st.session_state.get(f"conv_title{exam_id}_{conv_id}", ""))
        confirm(f"Gesprek hernoemd naar '{view.title}'.")
    except ServiceError as exc:
        _refused(exc)


def _ask_delete(exam_id: int) -> None:
    st.session_state[_PENDING_DELETE] = st.session_state.get(_PICK + str(exam_id))


def _delete_conversation(ctx, user, conv_id: int) -> None:
    st.session_state.pop(_PENDING_DELETE, None)
    try:
        title = conv_svc.delete_conversation(ctx, user, conv_id)
        confirm(f"Gesprek '{title}' verwijderd.")
        select_conversation(None)
    except ServiceError as exc:
        _refused(exc)


def _cancel_delete() -> None:
    st.session_state.pop(_PENDING_DELETE, None)


def manage_exam(ctx, user, exam) -> None:
    """'Examen beheren' below the exam's conversation list."""
    error = st.session_state.pop(_ERROR, None)
    pending = st.session_state.get(_PENDING_DELETE)
    convs = conv_svc.list_conversations(ctx, user, exam.id)
    # a toggle, not an expander: its state lives on the server, so it stays open across the reruns
    # that typing and the confirmation cause
    if error or pending:
        st.session_state[f"exam_admin_open{exam.id}"] = True
    if not st.toggle(":material/edit: Examen beheren", key=f"exam_admin_open{exam.id}"):
        return
    with st.container(border=True):
        if error:
            st.error(md(error), icon=":material/warning:")
        if exam.finalised:
            st.info("Dit examen is afgerond: heropen het om het examen of zijn gesprekken te hernoemen of te verwijderen.")
        else:
            c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
            c1.text_input("Naam of code van de kandidaat", value=exam.candidate, key=f"exam_name{exam.id}")
            c2.button("Naam opslaan", key=f"exam_rename{exam.id}", on_click=_rename_exam, args=(ctx, user, exam.id))
            if convs:
                titles = {c.id: c.title for c in convs}
                # the titles are in the key: after a rename the browser would keep showing the old one
                pick_key = f"conv_pick{exam.id}_{abs(hash(tuple(titles.items())))}"
                remembered = st.session_state.get(_PICK + str(exam.id))
                picked = st.selectbox(
                    "Te beheren gesprek",
                    list(titles),
                    key=pick_key,
                    format_func=titles.get,
                    index=list(titles).index(remembered) if remembered in titles else 0,
                    placeholder=CHOOSE,
                )
                st.session_state[_PICK + str(exam.id)] = picked
                c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
                c1.text_input("Nieuwe naam van het gesprek", value=titles.get(picked, ""), key=f"conv_title{exam.id}_{picked}")
                c2.button(
                    "Naam van het gesprek opslaan", key=f"conv_rename{exam.id}", on_click=_rename_conversation, args=(ctx, user, exam.id)
                )
                c3.button(
                    "Gesprek verwijderen", key=f"conv_delete{exam.id}", on_click=_ask_delete, args=(exam.id,), icon=":material/delete:"
                )
                if pending in titles:
                    st.warning(
                        f"Gesprek '{md(titles[pending])}' verwijderen, met zijn transcript, markeringen en "
                        "opname? Dit kan niet ongedaan worden gemaakt; het auditlog bewaart wat er "
                        "gebeurd is.",
                        icon=":material/warning:",
                    )
                    d1, d2 = st.columns(2)
                    d1.button(
                        "Ja, verwijderen", type="primary", key="conv_delete_yes", on_click=_delete_conversation, args=(ctx, user, pending)
                    )
                    d2.button("Annuleren", key="conv_delete_no", on_click=_cancel_delete)
        if user.role in MANAGERS and not exam.is_demo:
            people = dict(exam_svc.reassignable_examiners(ctx, user))
            c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
            c1.selectbox(
                "Examinator",
                list(people),
                key=f"exam_examiner{exam.id}",
                format_func=people.get,
                index=list(people).index(exam.examiner_id) if exam.examiner_id in people else None,
                placeholder=CHOOSE,
            )
            c2.button("Toewijzen", key=f"exam_reassign{exam.id}", on_click=_reassign, args=(ctx, user, exam.id))
