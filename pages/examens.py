"""Examens: overzicht, nieuw examen, gesprekken toevoegen en transcriptie volgen.

Saves run in the forms' callbacks, before the page is drawn, so the overview and the
conversation list below always show what is stored (not the state before the save).
"""

import datetime as dt

import streamlit as st

from ksf_review.domain.file_types import AUDIO, TEXT, upload_mb
from ksf_review.domain.verdict import NvtPolicy
from ksf_review.services import conversations as conv_svc
from ksf_review.services import demo as demo_svc
from ksf_review.services import exams as exam_svc
from ksf_review.services.context import ServiceError
from ksf_review.ui.ask import asking, confirmed
from ksf_review.ui.bulk_upload import bulk_upload_form
from ksf_review.ui.context import app_context, current_user, show_error
from ksf_review.ui.dutch import CHOOSE
from ksf_review.ui.escape import md
from ksf_review.ui.exam_admin import manage_exam
from ksf_review.ui.jobs import conversation_table
from ksf_review.ui.overview import render_overview
from ksf_review.ui.pickers import exam_picker
from ksf_review.ui.selection import select_exam

ctx = app_context()
user = current_user()
FLASH = "examens_flash"
PENDING_TEXT = "examens_pending_text"


def _flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH, []).append((kind, text))


def _show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        if kind == "success":  # user text in it is escaped where it is put in
            st.success(text)
        elif kind == "warning":  # warnings quote file names: user text
            st.warning(md(text))
        else:
            show_error(text)


def _create_exam() -> None:
    try:
        exam = exam_svc.create_exam(
            ctx,
            user,
            st.session_state.get("new_candidate", ""),
            nvt_policy=st.session_state.get("new_policy"),
            exam_date=dt.datetime.combine(st.session_state.get("new_date") or dt.date.today(), dt.time(9, 0)),
        )
        select_exam(exam.id)
        _flash("success", f"Examen voor {md(exam.candidate)} aangemaakt.")
        st.session_state["new_candidate"] = ""  # emptied only now that the exam is stored
    except ServiceError as exc:
        _flash("error", str(exc))


def _audio_upload_key() -> str:
    """The uploader's key changes once every file is stored: a file uploader cannot be emptied otherwise."""
    return f"upload_files{st.session_state.get('upload_files_gen', 0)}"


def _add_audio(exam_id: int) -> None:
    files = st.session_state.get(_audio_upload_key()) or []
    if not files:  # the browser sent nothing: no file chosen, or one above the size limit
        _flash("warning", f"Er is geen opname ontvangen. Kies of sleep er een in het vak hierboven: {AUDIO.allowed}, {_size_limit()}.")
    stored = 0
    for f in files:
        if refused := AUDIO.refusal(f.name):
            _flash("error", refused)
            continue
        try:
            c = conv_svc.add_audio_conversation(
                ctx, user, exam_id, f.name, f.getvalue(), agent_channel=st.session_state.get("upload_agent")
            )
            _flash("success", f"'{md(c.title)}' toegevoegd; de transcriptie loopt op de achtergrond.")
            for w in c.warnings:
                _flash("warning", w)
            stored += 1
        except ServiceError as exc:
            _flash("error", str(exc))
    if files and stored == len(files):  # a refused file stays in the form, with its message
        st.session_state["upload_files_gen"] = st.session_state.get("upload_files_gen", 0) + 1


def _text_upload_key() -> str:
    """The uploader's key changes after a save: a file uploader cannot be emptied otherwise."""
    return f"text_upload{st.session_state.get('text_upload_gen', 0)}"


def _size_limit() -> str:
    return f"hoogstens {st.get_option('server.maxUploadSize')} MB per bestand"


def _text_limit() -> str:
    return conv_svc.size_text(ctx.settings.max_text_kb * 1024)


def _add_text(exam_id: int) -> None:
    upload = st.session_state.get(_text_upload_key())
    if upload is None and not str(st.session_state.get("text_body") or "").strip():
        # nothing pasted and no file received: none chosen, or one above the limit (the browser keeps it)
        _flash("warning", f"Er is geen tekst ontvangen. Plak het gesprek of kies een tekstbestand (UTF-8, hoogstens {_text_limit()}).")
        return
    if upload is not None and (refused := TEXT.refusal(upload.name)):
        _flash("error", refused)  # the file stays in the form
        return
    content = upload.getvalue() if upload is not None else st.session_state.get("text_body", "")
    _import_text(exam_id, content, st.session_state.get("text_channel"), st.session_state.get("text_title", ""))


def _import_text(exam_id: int, content, channel, title: str, confirmed: bool = False) -> None:
    """The text stays in the form until it is stored: a refusal or a question loses nothing."""
    st.session_state.pop(PENDING_TEXT, None)
    try:
        c = conv_svc.add_text_conversation(ctx, user, exam_id, content, channel=channel, title=title, confirmed=confirmed)
        _flash("success", f"'{md(c.title)}' toegevoegd.")
        st.session_state["text_body"], st.session_state["text_title"] = "", ""
        st.session_state["text_upload_gen"] = st.session_state.get("text_upload_gen", 0) + 1
    except conv_svc.NeedsConfirmation as exc:
        # nothing stored yet: the examiner sees the lines and confirms, or edits the text
        st.session_state[PENDING_TEXT] = {
            "exam": exam_id,
            "content": content,
            "channel": channel,
            "title": title,
            "message": str(exc),
            "lines": conv_svc.describe_warnings(exc.warnings),
        }
    except ServiceError as exc:
        _flash("error", str(exc))


def _confirm_text() -> None:
    p = st.session_state.get(PENDING_TEXT)
    if p:
        _import_text(p["exam"], p["content"], p["channel"], p["title"], confirmed=True)


def _edit_text() -> None:
    """Back to the form; an uploaded file's text moves into the text field to be corrected there."""
    p = st.session_state.pop(PENDING_TEXT, None)
    if p and isinstance(p["content"], bytes):
        st.session_state["text_body"] = p["content"].decode("utf-8-sig", "replace")
        st.session_state["text_upload_gen"] = st.session_state.get("text_upload_gen", 0) + 1


def _pending_text(exam_id: int) -> None:
    """The preview step: lines that are not clearly a turn, before anything is stored."""
    p = st.session_state.get(PENDING_TEXT)
    if not p or p["exam"] != exam_id:
        return
    with st.container(border=True):
        st.warning(p["message"], icon=":material/warning:")
        for line in p["lines"][:50]:
            st.text(line)
        if len(p["lines"]) > 50:
            st.caption(f"… en nog {len(p['lines']) - 50} regel(s).")
        c1, c2 = st.columns(2)
        c1.button("Toch toevoegen", type="primary", key="text_confirm", on_click=_confirm_text)
        c2.button("Tekst aanpassen", key="text_edit", on_click=_edit_text)


st.title("Examens")

with st.expander(":material/add: Nieuw examen", expanded=False):
    with st.form("nieuw_examen"):
        st.text_input("Kandidaat (naam of code)", key="new_candidate")
        st.date_input("Datum praktijktoets", value=dt.date.today(), format="DD-MM-YYYY", key="new_date")
        st.selectbox(
            "n.v.t.-beleid", [p.value for p in NvtPolicy], key="new_policy", format_func=lambda v: NvtPolicy(v).label, placeholder=CHOOSE
        )
        st.form_submit_button("Examen aanmaken", type="primary", on_click=_create_exam)
bulk_upload_form(ctx, user)

exams = exam_svc.list_exams(ctx, user)
if not exams:
    _show_flash()
    st.info("Nog geen examens. Maak hierboven een examen aan.")
    st.stop()

render_overview(ctx, user, exams)

chosen = exam_picker(exams, "pick_exam_exams", label="Examen openen")
exam = next(e for e in exams if e.id == chosen)

st.subheader(md(exam.candidate), anchor=False)
st.caption(f"Status: {exam.status_label} · checklist {exam.rubric_id} versie {exam.rubric_version} · {NvtPolicy(exam.nvt_policy).label}")

conversation_table(ctx, user, exam.id)
_show_flash()
manage_exam(ctx, user, exam)

if not exam.finalised:
    st.markdown("#### Gesprek toevoegen")
    # keyed and tracked: a rerun (a warning about a chat line, an upload) keeps the tab the examiner is on
    tab_audio, tab_text = st.tabs(
        [":material/mic: Opname uploaden", ":material/chat: Chat of e-mail"], key=f"add_tab_{exam.id}", on_change="rerun"
    )
    with tab_audio:
        with st.form("upload_audio"):
            st.file_uploader(  # no type=: a wrong file reaches _add_audio, which says why it is refused
                "Opname(s)",
                accept_multiple_files=True,
                key=_audio_upload_key(),
                help=f"{AUDIO.allowed}; mono of stereo (medewerker en klant op eigen kanaal).",
            )
            st.radio(
                "Medewerker staat op kanaal",
                ["left", "right"],
                horizontal=True,
                key="upload_agent",
                format_func=lambda v: "links" if v == "left" else "rechts",
                index=0 if ctx.settings.agent_channel == "left" else 1,
            )
            st.form_submit_button("Toevoegen", type="primary", on_click=_add_audio, args=(exam.id,))
    with tab_text:
        with st.form("add_text"):
            st.radio("Kanaal", ["chat", "e-mail"], horizontal=True, key="text_channel")
            st.text_input("Titel", placeholder="bijv. Adreswijziging via chat", key="text_title")
            st.text_area(
                "Gesprek (één beurt per regel, met M: of K: ervoor)",
                height=180,
                key="text_body",
                placeholder="K: Goedemiddag, ik wil mijn adres wijzigen.\nM: Dat regel ik graag voor u. Wat is uw klantnummer?",
            )
            st.file_uploader(  # no type=: see the recordings above
                "… of een tekstbestand",
                key=_text_upload_key(),
                max_upload_size=upload_mb(ctx.settings.max_text_kb * 1024),  # the field says the real limit, not 200 MB
                help=f"UTF-8-tekst van hoogstens {_text_limit()}.",
            )
            st.form_submit_button("Toevoegen", type="primary", on_click=_add_text, args=(exam.id,))
        _pending_text(exam.id)

if any(e.is_demo for e in exams) and demo_svc.may_delete_demo(user):
    with st.expander("Demogegevens", expanded=asking("demo_delete")):
        st.write("De demo-examens tonen hoe ksf-review werkt. Verwijderen kan altijd; ze komen niet terug.")
        demo = [e for e in exams if e.is_demo]
        if confirmed(
            "Demogegevens verwijderen",
            f"{len(demo)} demo-examen(s) met hun gesprekken, markeringen en scores verwijderen? Dit kan niet ongedaan worden gemaakt.",
            key="demo_delete",
        ):
            try:
                n = demo_svc.delete_demo(ctx, user)
            except ServiceError as exc:
                show_error(exc)
            else:
                select_exam(None)
                _flash("success", f"{n} demo-examen(s) verwijderd.")
                st.rerun()
