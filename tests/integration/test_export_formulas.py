"""Every spreadsheet export keeps user text as text: no `=HYPERLINK(…)` or `=1+1` formula."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from ksf_review.services import accounts, audit_log, exams, reports, scoring
from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services.users import get_or_create_user
from tests.conftest import ALL_ITEMS, library_doc, library_example, library_zip

LINK = '=HYPERLINK("http://evil.example/x","klik")'
SUM = "=1+1"
ITEMS = ALL_ITEMS


@pytest.fixture
def admin(ctx, monkeypatch):
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    return accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")


def _assert_no_formula(xlsx: bytes, *planted: str) -> set[str]:
    """No cell is a formula; returns every text value (so the caller can see the text survived)."""
    wb = load_workbook(io.BytesIO(xlsx))
    texts = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    for p in planted:
        assert any(p in t for t in texts), p
    return texts


def _assert_csv_defused(data: bytes, *planted: str) -> None:
    df = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    cells = [c for col in df.columns for c in df[col]] + list(df.columns)
    for c in cells:
        assert not c.startswith(("=", "+", "-", "@")), c
    for p in planted:
        assert any(c == "'" + p for c in cells), p


@pytest.mark.slow
def test_calibration_xlsx_names_notes_and_consensus_stay_text(ctx, user):
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    anna = get_or_create_user(ctx, "anna", "examinator", LINK)
    bert = get_or_create_user(ctx, "bert", "examinator", SUM)
    exam = exams.create_exam(ctx, user, "Kandidaat")
    for i in range(3):
        convs.add_text_conversation(ctx, user, exam.id, f"K: vraag {i}\nM: Klopt dat?", channel="chat")
    session = cal.create_session(ctx, coord, "=2*3 sessie", [anna.id, bert.id], exam_id=exam.id)
    for who, over in ((anna, {}), (bert, {"1.1a": "niet_behaald"})):
        aid = cal.my_assessment(ctx, who, session.id)
        for code in ITEMS:
            cal.set_score(ctx, who, aid, code, over.get(code, "behaald"))
        cal.submit(ctx, who, aid)
    cal.reveal(ctx, coord, session.id)
    for code in ITEMS:
        cal.set_consensus(
            ctx, coord, session.id, code, "niet_behaald" if code == "1.1a" else "behaald", "@SUM(A1) notitie" if code == "1.1a" else ""
        )
    from ksf_review.adapters.calibration_export import session_xlsx

    texts = _assert_no_formula(session_xlsx(cal.comparison(ctx, coord, session.id, n_boot=20)), LINK, SUM, "@SUM(A1) notitie")
    # Dutch words, not the stored codes
    assert "niet behaald" in texts and "niet_behaald" not in texts and "nvt" not in texts


def test_score_exports_csv_and_xlsx_keep_comments_as_text(ctx, user):
    exam = exams.create_exam(ctx, user, SUM)
    scoring.set_item_score(ctx, user, exam.id, "1.1a", "niet_behaald", "", LINK)
    scoring.set_item_score(ctx, user, exam.id, "3.2", "nvt", "@reden", "")
    _assert_csv_defused(reports.scores_export(ctx, user, [exam.id], "csv"), SUM, LINK, "@reden")
    _assert_no_formula(reports.scores_export(ctx, user, [exam.id], "xlsx"), SUM, LINK, "@reden")


def test_audit_log_csv_defuses_every_user_cell(ctx, user, admin):
    exams.create_exam(ctx, user, SUM)
    kees = accounts.create_user(ctx, admin, "-kees", "examinator", "wachtwoord-lang-genoeg", LINK)
    exams.create_exam(ctx, kees, LINK)
    rows = audit_log.search(ctx, admin)
    data = audit_log.export_csv(ctx, admin, rows)
    df = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for col in df.columns:
        for c in df[col]:
            assert not c.startswith(("=", "+", "-", "@")), (col, c)
    cells = [c for col in df.columns for c in df[col]]
    assert "'-kees" in cells and any(SUM in c for c in cells) and any(LINK in c for c in cells)


def test_library_zip_manifest_csv_keeps_text_as_text(ctx, user, admin):
    import json
    import zipfile

    from ksf_review.services import library

    assert (
        library.import_zip(ctx, admin, library_zip(library_doc(library_example(item="1.1a", description=LINK, excerpt=SUM)))).examples == 1
    )
    ids = [c.id for c in library.list_clips(ctx, admin)]
    with zipfile.ZipFile(io.BytesIO(library.export_zip(ctx, admin, ids))) as zf:
        _assert_csv_defused(zf.read("manifest.csv"), LINK, SUM)
        assert json.loads(zf.read("manifest.json"))["examples"][0]["description"] == LINK  # JSON keeps it as is
