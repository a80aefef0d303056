"""The exams overview: filter, search and export the scores of the selected exams."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..services import reports
from .dutch import ALL

STATUS = ("in beoordeling", "afgerond")


def filter_exams(exams, text: str, statuses: list[str], verdicts: list[str]):
    text = text.strip().lower()
    out = []
    for e in exams:
        if text and text not in f"{e.candidate} {e.examiner}".lower():
            continue
        if statuses and e.status_label not in statuses:
            continue
        if verdicts and (e.verdict_status or "nog geen") not in verdicts:
            continue
        out.append(e)
    return out


def render_overview(ctx, user, exams) -> None:
    c1, c2, c3 = st.columns([3, 2, 2])
    text = c1.text_input("Zoeken", placeholder="kandidaat of examinator")
    statuses = c2.multiselect("Status", list(STATUS), placeholder=ALL, select_all=False)
    verdicts = c3.multiselect("Uitslag", ["geslaagd", "gezakt", "nog geen"], placeholder=ALL, select_all=False)
    shown = filter_exams(exams, text, statuses, verdicts)
    df = pd.DataFrame(
        [
            {
                "Kandidaat": e.candidate,
                "Examinator": e.examiner,
                "Datum": e.exam_date.strftime("%d-%m-%Y"),
                "Gesprekken": e.conversations,
                "Status": e.status_label,
                "Uitslag": (e.verdict_status or "—") + (f" ({e.verdict_total} pt)" if e.verdict_total is not None else ""),
                "Demo": "ja" if e.is_demo else "",
            }
            for e in shown
        ],
        columns=["Kandidaat", "Examinator", "Datum", "Gesprekken", "Status", "Uitslag", "Demo"],
    )
    event = st.dataframe(df, hide_index=True, width="stretch", on_select="rerun", selection_mode="multi-row", key="overview")
    rows = event.selection.rows if event and event.selection else []
    selected = [shown[i].id for i in rows] if rows else [e.id for e in shown]
    label = f"{len(selected)} geselecteerde" if rows else f"alle {len(selected)} getoonde"
    if selected:
        with st.popover(f"Scores exporteren ({label})"):  # as wide as its label: a narrow column cut it off
            st.download_button(
                "CSV",
                lambda: reports.scores_export(ctx, user, selected, "csv"),
                file_name="ksf-scores.csv",
                mime="text/csv",
                on_click="ignore",
            )
            st.download_button(
                "Excel (XLSX)",
                lambda: reports.scores_export(ctx, user, selected, "xlsx"),
                file_name="ksf-scores.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                on_click="ignore",
            )
