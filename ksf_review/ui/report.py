"""Download buttons for the exam report (PDF), once the report renderer is available."""

from __future__ import annotations

import streamlit as st


def render_report_download(ctx, user, exam) -> None:
    from ..services.reports import exam_report_pdf

    st.download_button(
        "Rapport (PDF) downloaden",
        lambda: exam_report_pdf(ctx, user, exam.id),
        file_name=f"rapport-examen-{exam.id}.pdf",
        mime="application/pdf",
        type="primary",
        width="stretch",
        on_click="ignore",
    )
