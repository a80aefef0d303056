"""One rule for every spreadsheet export: user text that looks like a formula stays text."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook, load_workbook

from ksf_review.adapters.spreadsheet_safety import defuse, defuse_frame, protect_worksheets, to_csv_bytes

HOSTILE = ['=HYPERLINK("http://evil.example/x","klik")', "=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def test_defuse_prefixes_formula_starts_only():
    for text in HOSTILE:
        assert defuse(text) == "'" + text
    for text in ("gewone tekst", "1+1=2", "", "n.v.t.", "’=quote"):
        assert defuse(text) == text
    assert defuse(3) == 3 and defuse(None) is None


def test_defuse_frame_touches_every_text_column_and_no_numbers():
    df = pd.DataFrame({"naam": ["=1+1", "Anna"], "getal": [-1, 2], "vrij": ["@x", "ok"]})
    out = defuse_frame(df)
    assert out["naam"].tolist() == ["'=1+1", "Anna"]
    assert out["vrij"].tolist() == ["'@x", "ok"]
    assert out["getal"].tolist() == [-1, 2]
    assert df["naam"].tolist() == ["=1+1", "Anna"]  # the input is not changed


def test_csv_for_dutch_excel_has_no_live_formula():
    data = to_csv_bytes(pd.DataFrame({"a": HOSTILE}))
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", keep_default_na=False)
    for cell in back["a"]:
        assert not cell.startswith(("=", "+", "-", "@")), cell


def test_xlsx_text_cells_are_strings_with_quote_prefix():
    wb = Workbook()
    ws = wb.active
    for text in HOSTILE:
        ws.append([text, "gewoon", 5])
    protect_worksheets(wb.worksheets)
    buf = io.BytesIO()
    wb.save(buf)
    back = load_workbook(io.BytesIO(buf.getvalue())).active
    for row, text in zip(back.iter_rows(), HOSTILE):
        assert row[0].value.lstrip() == text.lstrip()  # XML stores a lone \r as \n
        assert row[0].data_type == "s" and row[0].quotePrefix
        assert row[1].value == "gewoon" and row[2].value == 5
