"""Score exports: rows per exam and item, CSV for Dutch Excel, XLSX read back."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.adapters.score_export import COLUMNS, score_rows, to_csv_bytes, to_xlsx_bytes
from ksf_review.domain.report import ExamReport, ReportConversation, ReportEvidence, ReportItem
from ksf_review.domain.verdict import ItemScore, NvtPolicy, compute_verdict

RUBRIC = default_rubric()
CONVS = (
    ReportConversation("Jaarafrekening", "telefoon", datetime(2025, 3, 10, 9, 0), duration=250.0),
    ReportConversation("Storing", "telefoon", datetime(2025, 3, 10, 10, 0), duration=300.0),
    ReportConversation("Adreswijziging", "chat", None, turns=12),
)
EV = ReportEvidence("Jaarafrekening", 10.0, 14.5, "telefoon", "+", "goed", "Als ik u goed begrijp … klopt dat?")


def _report(candidate: str, overrides: dict[str, ItemScore], final: bool = True) -> ExamReport:
    scores = {it.code: overrides.get(it.code, ItemScore.parse("behaald")) for it in RUBRIC.items}
    verdict = compute_verdict(RUBRIC, scores, conversations=3, policy=NvtPolicy.COUNTS_AS_ACHIEVED)
    items = tuple(
        ReportItem(
            it.code,
            it.text,
            it.points,
            it.eindterm,
            scores[it.code].status.value,
            scores[it.code].reason,
            scores[it.code].comment,
            (EV, EV) if it.code == "1.1b" else (),
            verdict.item_points[it.code],
        )
        for it in RUBRIC.items
    )
    return ExamReport(
        candidate=candidate,
        examiner="Zoë Öztürk",
        exam_date=datetime(2025, 3, 12, 13, 45),
        organisation="Toetscentrum",
        conversations=CONVS,
        items=items,
        verdict=verdict,
        rubric_label=RUBRIC.label,
        rubric_key=RUBRIC.key,
        nvt_policy_label=NvtPolicy.COUNTS_AS_ACHIEVED.label,
        finalised_at=datetime(2025, 3, 12, 16, 0) if final else None,
        finalised_by="Zoë Öztürk",
        generated_at=datetime(2025, 3, 12, 16, 1),
    )


@pytest.fixture(scope="module")
def reports():
    passing = _report(
        "Anouk de Vries-Ëlberg",
        {
            "3.2": ItemScore.parse({"status": "nvt", "reason": "Geen Bel-Me-Niet-situatie; € 0,– schade"}),
            "1.1e": ItemScore.parse({"status": "niet_behaald", "comment": "Discussieert – “nee mevrouw”"}),
        },
    )
    failing = _report(
        "Sem Bakker",
        {
            "3.1": ItemScore.parse({"status": "niet_behaald", "comment": '=HYPERLINK("x") noemt bedrag aan partner'}),
        },
        final=False,
    )
    return [passing, failing]


def test_one_row_per_exam_and_item(reports):
    df = score_rows(reports)
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == 2 * len(RUBRIC.items) == 36
    a = df[df.kandidaat == "Anouk de Vries-Ëlberg"].set_index("item")
    assert a.loc["1.1a", "uitslag"] == "geslaagd" and a.loc["1.1a", "totaal"] == 22
    assert a.loc["1.1e", "score"] == "niet behaald" and a.loc["1.1e", "punten"] == 0
    assert a.loc["1.1b", "aantal_bewijs"] == 2 and a.loc["1.1b", "punten_max"] == 2
    assert a.loc["3.2", "score"] == "n.v.t." and a.loc["3.2", "punten"] == 1
    assert a.loc["3.2", "reden_nvt"].startswith("Geen Bel-Me-Niet")
    assert a.loc["3.2", "eindterm"] == "3" and a.loc["3.2", "checklist"] == "ksf-default@1"
    assert a.loc["3.2", "status_examen"] == "afgerond"
    s = df[df.kandidaat == "Sem Bakker"].set_index("item")
    assert s.loc["3.1", "uitslag"] == "gezakt" and s.loc["3.1", "status_examen"] == "in beoordeling"
    assert int(df[df.kandidaat == "Sem Bakker"].punten.sum()) == s.loc["3.1", "totaal"] == 22
    assert df.datum.iloc[0] == pd.Timestamp("2025-03-12")


def test_empty_export_has_the_columns():
    df = score_rows([])
    assert df.empty and list(df.columns) == list(COLUMNS)
    assert to_csv_bytes(df).decode("utf-8-sig").strip() == ";".join(COLUMNS)
    back = pd.read_excel(io.BytesIO(to_xlsx_bytes(df)))
    assert list(back.columns) == list(COLUMNS)


def test_csv_is_for_dutch_excel_and_round_trips(reports):
    df = score_rows(reports)
    raw = to_csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads ë and € correctly
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header == ";".join(COLUMNS)
    back = pd.read_csv(io.BytesIO(raw), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.shape == df.shape
    assert (back.kandidaat.head(18) == "Anouk de Vries-Ëlberg").all()
    assert back.examinator.iloc[0] == "Zoë Öztürk"
    assert back.datum.iloc[0] == "2025-03-12"
    row = back[(back.kandidaat == "Anouk de Vries-Ëlberg") & (back.item == "3.2")].iloc[0]
    assert row.reden_nvt == "Geen Bel-Me-Niet-situatie; € 0,– schade"  # the ';' inside is quoted
    row = back[(back.kandidaat == "Anouk de Vries-Ëlberg") & (back.item == "1.1e")].iloc[0]
    assert row.opmerking == "Discussieert – “nee mevrouw”"
    assert back.punten.astype(int).tolist() == df.punten.tolist()


def test_csv_defuses_formulas(reports):
    back = pd.read_csv(io.BytesIO(to_csv_bytes(score_rows(reports))), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    row = back[(back.kandidaat == "Sem Bakker") & (back.item == "3.1")].iloc[0]
    assert row.opmerking.startswith("'=HYPERLINK")


def test_xlsx_reads_back_with_header_styling(reports):
    df = score_rows(reports)
    data = to_xlsx_bytes(df, sheet="Scores maart")
    back = pd.read_excel(io.BytesIO(data), sheet_name="Scores maart", dtype={"eindterm": str})
    assert list(back.columns) == list(COLUMNS) and len(back) == 36
    assert back.kandidaat.iloc[0] == "Anouk de Vries-Ëlberg"
    assert back.datum.iloc[0] == pd.Timestamp("2025-03-12")
    assert back.punten.tolist() == df.punten.tolist()
    row = back[(back.kandidaat == "Anouk de Vries-Ëlberg") & (back.item == "3.2")].iloc[0]
    assert row.reden_nvt == "Geen Bel-Me-Niet-situatie; € 0,– schade"

    ws = load_workbook(io.BytesIO(data))["Scores maart"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:O37"
    assert 8 <= ws.column_dimensions["A"].width <= 60
    assert ws.column_dimensions["M"].width > ws.column_dimensions["F"].width  # opmerking wider than totaal
    formula = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Sem Bakker" and r[7].value == "3.1")[12]
    assert formula.data_type == "s" and formula.value.startswith("=HYPERLINK")  # text, not a formula


def test_enum_and_unscored_statuses(reports):
    import dataclasses

    from ksf_review.domain.verdict import ScoreStatus

    items = list(reports[0].items)
    items[0] = dataclasses.replace(items[0], status=ScoreStatus.NIET_BEHAALD)  # enum instead of str
    items[1] = dataclasses.replace(items[1], status=None)  # not scored yet
    df = score_rows([dataclasses.replace(reports[0], items=tuple(items))])
    assert df.score.iloc[0] == "niet behaald"
    assert df.score.iloc[1] == ""
