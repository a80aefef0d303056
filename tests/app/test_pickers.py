"""One picker helper: values are ids, texts are titles; the exam picker follows the shared exam."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def _app():
    from types import SimpleNamespace

    import streamlit as st

    from ksf_review.ui.pickers import exam_picker, pick_by_id

    exams = [SimpleNamespace(id=7, title="Sanne"), SimpleNamespace(id=9, title="Piet")]
    st.session_state["picked"] = exam_picker(exams, "pick_exam_test")
    st.session_state["people"] = pick_by_id("Mensen", exams, lambda e: e.title.upper(), widget=st.multiselect)


def test_exam_picker_shows_titles_returns_ids_and_follows_the_shared_exam():
    at = AppTest.from_function(_app)
    at.session_state["exam_id"] = 9  # chosen on another page
    at.run()
    assert not at.exception
    assert at.selectbox[0].options == ["Sanne", "Piet"] and at.session_state["picked"] == 9
    at.selectbox[0].select(7).run()
    assert at.session_state["picked"] == 7 and at.session_state["exam_id"] == 7
    assert at.multiselect[0].options == ["SANNE", "PIET"]
    at.multiselect[0].select(9).run()
    assert at.session_state["people"] == [9]


def test_the_pick_by_id_line_is_written_once():
    """No page or UI module scans a list for the title of every option any more."""
    sources = [*(ROOT / "pages").glob("*.py"), *(ROOT / "ksf_review" / "ui").rglob("*.py")]
    scans = [f"{p.name}: {m}" for p in sources for m in re.findall(r"format_func=lambda \w+: next\(", p.read_text(encoding="utf-8"))]
    assert scans == []
