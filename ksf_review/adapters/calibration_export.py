"""Calibration session report: XLSX (ratings, statistics, markeringen, consensus) and PDF with plots.

Plots are drawn with matplotlib (headless Agg) and embedded as PNG, so the PDF shows the
same heat map and leniency chart as the app. Fonts come from matplotlib's bundled DejaVu,
like the exam report.
"""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd

from ..domain.tags import Polarity, format_span
from ..domain.verdict import ScoreStatus
from .spreadsheet_safety import protect_worksheets


def status_label(value) -> str:
    """The Dutch word of a score status ('niet behaald', not 'niet_behaald'); '' when missing."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    try:
        return ScoreStatus(value).label
    except ValueError:
        return str(value)


def statistics_rows(comp) -> pd.DataFrame:
    st = comp.stats
    rows = [
        ("Krippendorff α (ordinaal, alle toetstermen)", st.overall_alpha),
        ("Overeenstemming geslaagd/gezakt", st.verdict_agreement),
        ("Gwet AC1 geslaagd/gezakt", st.verdict_ac1),
        ("Overeenstemming kritische toetstermen", st.critical_agreement),
        ("Gwet AC1 kritische toetstermen", st.critical_ac1),
        ("Zakken herkend (t.o.v. consensus)", st.fail_detection),
        ("ICC(2,1) totaalscores", st.total_icc),
    ]
    out = [
        {"statistiek": name, "waarde": s.value, "BI laag": s.ci_low, "BI hoog": s.ci_high, "n": s.n, "toelichting": s.display()}
        for name, s in rows
    ]
    for it in st.items:
        out.append(
            {
                "statistiek": f"Toetsterm {it.item}: overeenstemming",
                "waarde": it.agreement.value,
                "BI laag": None,
                "BI hoog": None,
                "n": it.agreement.n,
                "toelichting": it.agreement.display(),
            }
        )
    return pd.DataFrame(out)


def examiner_rows(comp) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "examinator": e.examiner,
                "kappa": e.kappa.value,
                "verschil (punten)": e.mean_difference,
                "oordeel": e.label,
                "toelichting": e.display(),
            }
            for e in comp.stats.examiners
        ],
        columns=["examinator", "kappa", "verschil (punten)", "oordeel", "toelichting"],
    )


def tag_rows(comp) -> pd.DataFrame:
    """Every submitted examiner's markeringen, per gesprek in session order and by time: the passages the page compares."""
    rows = []
    for cid in comp.session.conversation_ids:
        title, audio = comp.conversations.get(cid, (str(cid), True))
        for t in sorted(comp.tags.get(cid, []), key=lambda t: (t.start, t.examiner, t.item)):
            rows.append(
                {
                    "gesprek": title,
                    "examinator": t.examiner,
                    "passage": format_span(t.start, t.end, audio),
                    "toetsterm": t.item,
                    "bewijs": "−" if t.polarity == Polarity.NEGATIVE else "+",
                    "notitie": t.note,
                    "citaat": t.quote,
                }
            )
    return pd.DataFrame(rows, columns=["gesprek", "examinator", "passage", "toetsterm", "bewijs", "notitie", "citaat"])


def session_xlsx(comp) -> bytes:
    """The session as a workbook: Dutch labels throughout, user text never a formula."""
    buf = io.BytesIO()
    labelled = comp.ratings.assign(status=comp.ratings["status"].map(status_label))
    ratings = labelled.pivot_table(index="examiner", columns="item", values="status", aggfunc="first")
    ratings.index.name, ratings.columns.name = "examinator", "toetsterm"
    consensus = pd.DataFrame(
        [{"toetsterm": k, "consensus": status_label(v), "notitie": comp.consensus_notes.get(k, "")} for k, v in comp.consensus.items()],
        columns=["toetsterm", "consensus", "notitie"],
    )
    verdicts = pd.DataFrame(
        [{"examinator": ex, "uitslag": v, "totaal": comp.stats.totals.get((u, ex))} for (u, ex), v in comp.stats.verdicts.items()]
    )
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        ratings.to_excel(xw, sheet_name="Beoordelingen")
        verdicts.to_excel(xw, sheet_name="Uitslagen", index=False)
        statistics_rows(comp).to_excel(xw, sheet_name="Statistieken", index=False)
        examiner_rows(comp).to_excel(xw, sheet_name="Examinatoren", index=False)
        tag_rows(comp).to_excel(xw, sheet_name="Markeringen", index=False)
        consensus.to_excel(xw, sheet_name="Consensus", index=False)
        protect_worksheets(xw.book.worksheets)
        for ws in xw.book.worksheets:
            ws.freeze_panes = "B2"
            for col in ws.columns:
                width = max(len(str(c.value or "")) for c in col)
                ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
    return buf.getvalue()


def heatmap_png(comp) -> bytes | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..domain.agreement import heatmap_matrix, heatmap_value

    value = heatmap_value(comp.heatmap)
    try:
        m = heatmap_matrix(comp.heatmap, value=value)
    except (KeyError, ValueError):
        return None
    if m.empty:
        return None
    fig, ax = plt.subplots(figsize=(9, 0.5 + 0.45 * len(m.index)), dpi=150)
    cmap = "RdBu" if value == "deviation" else "Blues"
    vals = m.astype(float).values
    im = ax.imshow(vals, cmap=cmap, aspect="auto", vmin=-2 if value == "deviation" else 0, vmax=2)
    ax.set_xticks(range(len(m.columns)), m.columns, rotation=60, fontsize=7)
    ax.set_yticks(range(len(m.index)), m.index, fontsize=8)
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            if vals[i, j] == vals[i, j]:
                ax.text(j, i, f"{vals[i, j]:+.0f}" if value == "deviation" else f"{vals[i, j]:.0f}", ha="center", va="center", fontsize=6)
    ax.set_title("Afwijking van de consensus (punten)" if value == "deviation" else "Punten per toetsterm", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.02)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def leniency_png(comp) -> bytes | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [(e.examiner, e.mean_difference) for e in comp.stats.examiners if e.mean_difference is not None]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(6, 0.6 + 0.4 * len(rows)), dpi=150)
    names, diffs = zip(*rows)
    ax.barh(names, diffs, color=["#16a34a" if d > 0 else "#dc2626" if d < 0 else "#64748b" for d in diffs])
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("punten t.o.v. consensus (− streng, + mild)", fontsize=8)
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def session_pdf(comp, generated_at: datetime) -> bytes:
    from fpdf import FPDF

    from .report_pdf import _font_files  # the same bundled DejaVu fonts as the exam report

    fonts = _font_files()
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(fonts[""]))
    pdf.add_font("DejaVu", "B", str(fonts["B"]))
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(0, 9, f"Kalibratiesessie: {comp.session.title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(
        0,
        5,
        f"Coördinator {comp.session.coordinator} · {len(comp.session.participants)} deelnemers · "
        f"checklist {comp.session.rubric_key} · gegenereerd {generated_at:%d-%m-%Y %H:%M}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 7, "Statistieken", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for _, r in statistics_rows(comp).iterrows():
        if str(r["statistiek"]).startswith("Toetsterm "):
            continue
        pdf.multi_cell(0, 5, f"{r['statistiek']}: {r['toelichting']}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 7, "Examinatoren", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    verdicts = {ex: v for (u, ex), v in comp.stats.verdicts.items()}
    totals = {ex: t for (u, ex), t in comp.stats.totals.items()}
    for e in comp.stats.examiners:
        pdf.multi_cell(0, 5, f"{e.display()} — uitslag: {verdicts.get(e.examiner, '—')}", new_x="LMARGIN", new_y="NEXT")
    if not comp.stats.examiners:  # κ and strict/lenient need the complete consensus: say so, with what there is
        for examiner, verdict in verdicts.items():
            pdf.multi_cell(0, 5, f"{examiner} — uitslag: {verdict}, {totals.get(examiner, '—')} punten", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(
            0, 5, "κ en streng/mild volgen zodra de consensus voor alle toetstermen is vastgesteld.", new_x="LMARGIN", new_y="NEXT"
        )
    for png in (heatmap_png(comp), leniency_png(comp)):
        if png:
            pdf.ln(3)
            pdf.image(io.BytesIO(png), w=180)
    return bytes(pdf.output())
