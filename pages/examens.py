"""Examens: overzicht, nieuw examen, gesprekken toevoegen en transcriptie volgen."""

import datetime as dt

import streamlit as st

from ksf_review.adapters.audio import UPLOAD_EXTENSIONS
from ksf_review.domain.verdict import NvtPolicy
from ksf_review.services import conversations as conv_svc
from ksf_review.services import demo as demo_svc
from ksf_review.services import exams as exam_svc
from ksf_review.services.context import ServiceError
from ksf_review.ui.context import app_context, current_user, show_error
from ksf_review.ui.jobs import conversation_table
from ksf_review.ui.overview import render_overview
from ksf_review.ui.selection import select_exam, selected_exam

ctx = app_context()
user = current_user()

st.title("Examens")

with st.expander(":material/add: Nieuw examen", expanded=False):
    with st.form("nieuw_examen", clear_on_submit=True):
        name = st.text_input("Kandidaat (naam of code)")
        date = st.date_input("Datum praktijktoets", value=dt.date.today(), format="DD-MM-YYYY")
        policy = st.selectbox("n.v.t.-beleid", [p.value for p in NvtPolicy],
                              format_func=lambda v: NvtPolicy(v).label)
        if st.form_submit_button("Examen aanmaken", type="primary"):
            try:
                exam = exam_svc.create_exam(ctx, user, name, nvt_policy=policy,
                                            exam_date=dt.datetime.combine(date, dt.time(9, 0)))
                select_exam(exam.id)
                st.success(f"Examen voor {exam.candidate} aangemaakt.")
            except ServiceError as exc:
                show_error(exc)

exams = exam_svc.list_exams(ctx, user)
if not exams:
    st.info("Nog geen examens. Maak hierboven een examen aan.")
    st.stop()

render_overview(ctx, user, exams)

ids = [e.id for e in exams]
current = selected_exam()
index = ids.index(current) if current in ids else 0
chosen = st.selectbox("Examen openen", ids, index=index,
                      format_func=lambda i: next(e.title for e in exams if e.id == i))
select_exam(chosen)
exam = next(e for e in exams if e.id == chosen)

st.subheader(f"{exam.candidate}")
st.caption(f"Status: {exam.status_label} · checklist {exam.rubric_id} versie {exam.rubric_version} · "
           f"{NvtPolicy(exam.nvt_policy).label}")

conversation_table(ctx, user, exam.id)

if not exam.finalised:
    st.markdown("#### Gesprek toevoegen")
    tab_audio, tab_text = st.tabs([":material/mic: Opname uploaden", ":material/chat: Chat of e-mail"])
    with tab_audio:
        with st.form("upload_audio", clear_on_submit=True):
            files = st.file_uploader("Opname(s)", type=UPLOAD_EXTENSIONS, accept_multiple_files=True,
                                     help="WAV, MP3, M4A/AAC, Ogg/Opus of FLAC; mono of stereo "
                                          "(medewerker en klant op eigen kanaal).")
            agent = st.radio("Medewerker staat op kanaal", ["left", "right"], horizontal=True,
                             format_func=lambda v: "links" if v == "left" else "rechts",
                             index=0 if ctx.settings.agent_channel == "left" else 1)
            if st.form_submit_button("Toevoegen", type="primary"):
                for f in files or []:
                    try:
                        c = conv_svc.add_audio_conversation(ctx, user, exam.id, f.name, f.getvalue(),
                                                            agent_channel=agent)
                        st.success(f"'{c.title}' toegevoegd; de transcriptie loopt op de achtergrond.")
                        for w in c.warnings:
                            st.warning(w)
                    except ServiceError as exc:
                        show_error(exc)
                if not files:
                    st.warning("Kies eerst een bestand.")
    with tab_text:
        with st.form("add_text", clear_on_submit=True):
            channel = st.radio("Kanaal", ["chat", "e-mail"], horizontal=True)
            title = st.text_input("Titel", placeholder="bijv. Adreswijziging via chat")
            text = st.text_area("Gesprek (één beurt per regel, met M: of K: ervoor)", height=180,
                                placeholder="K: Goedemiddag, ik wil mijn adres wijzigen.\n"
                                            "M: Dat regel ik graag voor u. Wat is uw klantnummer?")
            upload = st.file_uploader("… of een tekstbestand", type=["txt"])
            if st.form_submit_button("Toevoegen", type="primary"):
                try:
                    content = upload.getvalue() if upload is not None else text
                    c = conv_svc.add_text_conversation(ctx, user, exam.id, content, channel=channel, title=title)
                    st.success(f"'{c.title}' toegevoegd.")
                except ServiceError as exc:
                    show_error(exc)

if any(e.is_demo for e in exams):
    with st.expander("Demogegevens"):
        st.write("De demo-examens tonen hoe ksf-review werkt. Verwijderen kan altijd; ze komen niet terug.")
        if st.button("Demogegevens verwijderen"):
            n = demo_svc.delete_demo(ctx, user)
            select_exam(None)
            st.success(f"{n} demo-examen(s) verwijderd.")
            st.rerun()
