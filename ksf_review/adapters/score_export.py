"""Score exports (CSV, XLSX): one row per exam and checklist item, for audits and analysis.

CSV is written for Dutch Excel, which is what coordinators open it with:
- `;` as separator, because in the nl-NL locale the comma is the decimal separator and
  Excel's list separator is `;` (a comma-separated file opens as one column);
- UTF-8 **with BOM**, because Excel only recognises UTF-8 by its BOM and otherwise reads
  the file as Windows-1252, mangling ë, é, € and “quotes”;
- text that Excel would evaluate as a formula is defused (``spreadsheet_safety``, the one
  rule every export uses).
XLSX cells are typed (numbers, dates, text), so text is stored as text, never as a formula.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ksf_review.adapters import spreadsheet_safety
from ksf_review.domain.report import ExamReport

COLUMNS = (
    "kandidaat",
    "examinator",
    "datum",
    "status_examen",
    "uitslag",
    "totaal",
    "eindterm",
    "item",
    "punten_max",
    "score",
    "punten",
    "reden_nvt",
    "opmerking",
    "aantal_bewijs",
    "checklist",
)


def score_rows(reports: list[ExamReport]) -> pd.DataFrame:
    """One row per exam and item, in checklist order."""
    rows = []
    for r in reports:
        for it in r.items:
            rows.append(
                {
                    "kandidaat": r.candidate,
                    "examinator": r.examiner,
                    "datum": pd.Timestamp(r.exam_date).normalize(),
                    "status_examen": r.status_label,
                    "uitslag": r.verdict.status.value,
                    "totaal": r.verdict.total,
                    "eindterm": str(it.eindterm),
                    "item": it.code,
                    "punten_max": it.points,
                    "score": "" if it.status_code is None else it.status_label,
                    "punten": it.points_awarded,
                    "reden_nvt": it.reason,
                    "opmerking": it.comment,
                    "aantal_bewijs": len(it.evidence),
                    "checklist": r.rubric_key,
                }
            )
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    if df.empty:
        return df
    return df.astype({"totaal": "int64", "punten_max": "int64", "punten": "int64", "aantal_bewijs": "int64"})


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for Dutch Excel: `;`-separated, UTF-8 with BOM, ISO dates (see module docstring)."""
    return spreadsheet_safety.to_csv_bytes(df, date_format="%Y-%m-%d")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "Scores") -> bytes:
    """An XLSX workbook with a bold, frozen, filterable header and readable column widths."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]  # Excel's limit for sheet names
    ws.append([str(c) for c in df.columns])
    for values in df.itertuples(index=False, name=None):
        ws.append([_cell_value(v) for v in values])
    spreadsheet_safety.protect_worksheets([ws])  # openpyxl would turn "=…" into a formula
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "year"):
                cell.number_format = "dd-mm-yyyy"

    header_fill = PatternFill("solid", fgColor="E2E8F0")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    if df.shape[1]:
        ws.auto_filter.ref = f"A1:{get_column_letter(df.shape[1])}{max(1, df.shape[0] + 1)}"
    for idx, col in enumerate(df.columns, start=1):
        width = len(str(col)) + 4  # room for the filter button
        for value in df[col].head(2000):
            width = max(width, _display_len(value) + 2)
        ws.column_dimensions[get_column_letter(idx)].width = min(width, 60)

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell_value(value):
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars → Python
        return value.item()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _display_len(value) -> int:
    if value is None:
        return 0
    if isinstance(value, pd.Timestamp):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)
