"""Voorbeeldbibliotheek: geanonimiseerde fragmenten per toetsterm, afspelen, delen."""

import logging

import streamlit as st

from ksf_review.domain.file_types import ZIP
from ksf_review.domain.roles import MANAGERS
from ksf_review.domain.transcript import labelled_lines
from ksf_review.services import library
from ksf_review.services.context import ServiceError
from ksf_review.ui.ask import confirmed
from ksf_review.ui.context import app_context, current_user, show_error
from ksf_review.ui.dutch import CHOOSE
from ksf_review.ui.escape import md
from ksf_review.ui.feedback import form_key, form_saved
from ksf_review.ui.library import FLASH, promote_panel, show_flash

log = logging.getLogger("ksf_review.pages.bibliotheek")
ctx = app_context()
user = current_user()
rubric = ctx.rubrics.default()
curator = user.role in MANAGERS
st.title("Voorbeeldbibliotheek")
st.caption("Geanonimiseerde passages met goed en minder goed gedrag per toetsterm, voor training en kalibratie.")
show_flash()

if curator:
    with st.expander(":material/add: Voorbeeld toevoegen uit een markering"):
        promote_panel(ctx, user, rubric)

c1, c2, c3, c4, c5 = st.columns([1, 2, 1, 1, 2])
eindterm = c1.selectbox("Eindterm", ["", "1", "2", "3"], format_func=lambda v: v or "alle", placeholder=CHOOSE)
items = [i.code for i in rubric.items if not eindterm or i.eindterm == eindterm]
item = c2.selectbox(
    "Toetsterm", [""] + items, format_func=lambda c: c and f"{c} · {rubric.item(c).text[:40]}" or "alle", placeholder=CHOOSE
)
label = c3.selectbox("Voorbeeld", ["", "goed", "slecht"], format_func=lambda v: v or "alle", placeholder=CHOOSE)
channel = c4.selectbox("Kanaal", ["", "telefoon", "chat", "e-mail"], format_func=lambda v: v or "alle", placeholder=CHOOSE)
text = c5.text_input("Zoeken in tekst")
clips = library.list_clips(ctx, user, eindterm=eindterm, item=item, label=label, channel=channel, text=text)
st.markdown(f"**{len(clips)} voorbeeld(en)**")

selected = []
for clip in clips:
    with st.container(border=True):
        top = st.columns([6, 1])
        colour = "green" if clip.label == "goed" else "red"
        top[0].markdown(
            f":{colour}[**{library.LABELS[clip.label]}**] · **{clip.item}** "
            f"{rubric.item(clip.item).text if rubric.has_item(clip.item) else ''}"
        )
        if top[1].checkbox("kies", key=f"sel{clip.id}", label_visibility="collapsed"):
            selected.append(clip.id)
        if clip.description:
            st.caption(md(clip.description, multiline=True))
        if clip.audio_path and clip.audio_path.exists():
            st.audio(str(clip.audio_path), format="audio/ogg")
        st.code(labelled_lines(clip.excerpt), language=None, wrap_lines=True)
        if curator:
            with st.expander("Bewerken"):
                with st.form(f"clip{clip.id}"):
                    new_item = st.selectbox(
                        "Toetsterm",
                        [i.code for i in rubric.items],
                        index=[i.code for i in rubric.items].index(clip.item),
                        placeholder=CHOOSE,
                    )
                    new_label = st.radio("Voorbeeld", list(library.LABELS), horizontal=True, index=list(library.LABELS).index(clip.label))
                    desc = st.text_area("Beschrijving", value=clip.description)
                    if st.form_submit_button("Opslaan"):
                        library.update_clip(ctx, user, clip.id, item=new_item, label=new_label, description=desc)
                        st.rerun()
                if confirmed(
                    "Voorbeeld verwijderen",
                    f"Voorbeeld {clip.item} ({library.LABELS[clip.label]}) "
                    "uit de bibliotheek verwijderen? Dit kan niet ongedaan worden gemaakt.",
                    key=f"clip_delete{clip.id}",
                ):
                    library.delete_clip(ctx, user, clip.id)
                    st.rerun()

if clips:
    ids = selected or [c.id for c in clips]
    st.download_button(
        f"Exporteren als zip ({len(ids)} voorbeelden)",
        lambda: library.export_zip(ctx, user, ids),
        file_name="ksf-voorbeelden.zip",
        mime="application/zip",
        on_click="ignore",
    )
if curator:
    with st.form(form_key("import")):
        up = st.file_uploader("Voorbeelden importeren (zip uit ksf-review)")  # no type=: refused below, by name
        if st.form_submit_button("Importeren"):
            try:
                if up is None:  # nothing chosen, or a file above the size limit (the browser keeps it)
                    raise ServiceError(f"Er is geen zipbestand ontvangen (hoogstens {st.get_option('server.maxUploadSize')} MB).")
                if refused := ZIP.refusal(up.name):
                    raise ServiceError(refused)
                report = library.import_zip(ctx, user, up)
            except ServiceError as exc:
                show_error(exc)
            except Exception:  # never a traceback (with server paths) on the page
                log.exception("library import failed")
                st.error("Importeren is mislukt door een onverwachte fout. Er is niets geïmporteerd.")
            else:  # rerun: the list above then shows what is stored
                st.session_state[FLASH] = report.message()
                form_saved("import")
                st.rerun()
