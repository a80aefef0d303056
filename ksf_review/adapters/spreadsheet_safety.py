"""User text in spreadsheets stays text: one rule for every CSV and XLSX export.

Excel and LibreOffice evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
after a tab or carriage return, whatever follows) as a formula: a note ``=HYPERLINK(…)``
becomes a live link, ``=1+1`` a sum (CSV/formula injection, OWASP).

* CSV has no cell types, so such text gets a leading apostrophe, which Excel shows as a
  text marker and does not evaluate.
* XLSX cells are typed: text is stored as a string cell (openpyxl would otherwise turn
  ``"=…"`` into a formula) with Excel's *quote prefix*, so it stays text after an edit too.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def defuse(value):
    """The CSV form of one cell: text that a spreadsheet would evaluate gets a leading ``'``."""
    return "'" + value if is_formula_like(value) else value


def defuse_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every text cell (and text header) defused for CSV."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(defuse)
    out.columns = [defuse(c) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame, *, date_format: str | None = "%Y-%m-%d") -> bytes:
    """CSV for Dutch Excel: ``;``-separated (``,`` is the decimal separator there), UTF-8 with
    BOM (Excel only recognises UTF-8 by its BOM), CRLF, and every text cell defused."""
    text = defuse_frame(df).to_csv(sep=";", index=False, date_format=date_format, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def protect_worksheets(worksheets: Iterable) -> None:
    """Make every text cell of openpyxl worksheets a string cell, never a formula."""
    for ws in worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str):
                    if cell.data_type == "f" or is_formula_like(value):
                        cell.data_type = "s"
                        cell.quotePrefix = True
                    else:
                        cell.data_type = "s"
