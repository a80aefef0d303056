"""'Meerdere examens uit een zip' on the Examens page (#19.10): upload the zip, then a summary
of the exams created and the files refused, which stays until the next import."""

from __future__ import annotations

import streamlit as st

from ..domain.file_types import ZIP
from ..services import bulk_upload
from ..services.context import ServiceError
from .escape import md

_RESULT = "bulk_upload_result"


def _key() -> str:
    return f"bulk_zip{st.session_state.get('bulk_zip_gen', 0)}"


def _import(ctx, user) -> None:
    upload = st.session_state.get(_key())
    if upload is None:  # nothing chosen, or a file above the size limit (the browser keeps it)
        limit = st.get_option("server.maxUploadSize")
        st.session_state[_RESULT] = (
            "error",
            f"Er is geen zipbestand ontvangen. Kies of sleep er een in het vak hierboven (hoogstens {limit} MB).",
        )
        return
    if refused := ZIP.refusal(upload.name):
        st.session_state[_RESULT] = ("error", refused)
        return
    try:
        result = bulk_upload.import_exams_zip(ctx, user, upload.getvalue(), agent_channel=st.session_state.get("bulk_agent"))
    except ServiceError as exc:
        st.session_state[_RESULT] = ("error", str(exc))
        return
    st.session_state[_RESULT] = ("done", result)
    st.session_state["bulk_zip_gen"] = st.session_state.get("bulk_zip_gen", 0) + 1


def bulk_upload_form(ctx, user) -> None:
    kind, payload = st.session_state.get(_RESULT, (None, None))
    with st.expander(":material/folder_zip: Meerdere examens uit een zip", expanded=kind is not None):
        st.caption(
            "Een zip met opnames en één CSV-bestand met de kolommen **kandidaat** en **bestand** "
            "(de naam van de opname in de zip) en eventueel **titel**, gescheiden door ; of ,. "
            "Elke kandidaat krijgt een nieuw examen met zijn gesprekken."
        )
        with st.form("bulk_upload"):
            st.file_uploader("Zipbestand", key=_key())  # no type=: a wrong file is refused by _import, by name
            st.radio(
                "Kanaal van de medewerker in de opnames",
                ["left", "right"],
                horizontal=True,
                key="bulk_agent",
                format_func=lambda v: "links" if v == "left" else "rechts",
                index=0 if ctx.settings.agent_channel == "left" else 1,
            )
            st.form_submit_button("Examens aanmaken", type="primary", on_click=_import, args=(ctx, user))
        if kind == "error":
            st.error(md(payload), icon=":material/warning:")
        elif kind == "done":
            st.success(bulk_upload.summary(payload))  # numbers only, no user text
            if payload.created:
                st.markdown("**Aangemaakt**\n\n" + "\n".join(f"- {md(line)}" for line in payload.created))
            if payload.refused:
                st.warning("**Geweigerd of overgeslagen**\n\n" + "\n".join(f"- {md(line)}" for line in payload.refused))
            for w in payload.warnings:
                st.caption(md(w))
