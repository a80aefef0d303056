"""The exam report for the candidate's file: an A4 PDF rendered with fpdf2.

Auditors must be able to trace every score to what was heard, so the report lists, per
item, the score, the n.v.t. reason, the examiner's comment and every evidence passage
(conversation, time range or turns, +/−, excerpt, note). The settings the exam was judged
under (rubric version, n.v.t. policy) and who finalised it are in the footer of every page.

The font is DejaVu Sans taken from matplotlib's package data (a pinned dependency), so no
system font package is needed; Debian's fonts-dejavu-core is the fallback.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import Align, CellBordersLayout, TableBordersLayout, VAlign, XPos, YPos

from ksf_review.domain.report import ExamReport, ReportItem, format_date_nl
from ksf_review.domain.verdict import ScoreStatus, Verdict, VerdictStatus

TITLE = "Praktijktoets branchecertificaat medewerkers klantcontact — beoordelingsrapport"
FONT = "dejavu"
PAGE_ALIAS = "{nb}"  # fpdf2 reserves the width of "000" for it

# Colours (RGB): a sober navy accent plus status colours that stay readable in greyscale print.
ACCENT = (31, 58, 96)
INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (200, 205, 212)
ZEBRA = (246, 248, 250)
HEAD_FILL = (226, 232, 240)
STATUS_COLOURS = {
    VerdictStatus.GESLAAGD: (21, 115, 56),
    VerdictStatus.GEZAKT: (176, 32, 32),
    VerdictStatus.ONVOLLEDIG: (176, 106, 0),
}
SCORE_COLOURS = {
    ScoreStatus.BEHAALD: (21, 115, 56),
    ScoreStatus.NIET_BEHAALD: (176, 32, 32),
    ScoreStatus.NVT: (70, 90, 120),
    None: (176, 106, 0),
}
MINUS = "\u2212"

MAX_EXCERPT = 600  # characters; the time range is the trace, the excerpt only a reminder
MAX_FREE_TEXT = 1500  # a single table row must fit on one page


class ReportFontError(RuntimeError):
    """No usable Unicode TTF font (message in Dutch)."""


def _font_files() -> dict[str, Path]:
    """DejaVu Sans regular/bold/oblique: matplotlib's copy first, then Debian's."""
    names = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf", "BI": "DejaVuSans-BoldOblique.ttf"}
    folders: list[Path] = []
    spec = importlib.util.find_spec("matplotlib")  # locate without importing matplotlib
    if spec is not None and spec.origin:
        folders.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    folders.append(Path("/usr/share/fonts/truetype/dejavu"))
    for folder in folders:
        if all((folder / n).is_file() for n in names.values()):
            return {style: folder / n for style, n in names.items()}
    raise ReportFontError("Lettertype DejaVu Sans niet gevonden (matplotlib of fonts-dejavu-core); het rapport kan niet worden gemaakt.")


def _shorten(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _ReportPDF(FPDF):
    """FPDF with the running header/footer of the report."""

    def __init__(self, report: ExamReport):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        for style, path in _font_files().items():
            self.add_font(FONT, style, str(path))
        self._glyphs = set(self.fonts[FONT].cmap)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=22)
        self.alias_nb_pages(PAGE_ALIAS, align="L")
        self.set_fill_color(255, 255, 255)
        self.set_title(TITLE)
        self.set_author(report.examiner)
        self.set_subject(f"Beoordelingsrapport {report.candidate}")
        self.set_creator("ksf-review")
        self.set_creation_date(report.generated_at)  # same report data → same metadata
        self.set_lang("nl")
        self.set_text_color(*INK)

    # -- text hygiene -------------------------------------------------------------------
    def clean(self, text: str | None) -> str:
        """Make user text printable: no control characters, unknown glyphs → '□'."""
        out = []
        for ch in str(text or ""):
            if ch == "\n":
                out.append(ch)
            elif ch == "\t":
                out.append(" ")
            elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
                continue
            elif ord(ch) in self._glyphs:
                out.append(ch)
            else:
                out.append("□")
        return "".join(out)

    def md(self, text: str | None) -> str:
        """Cleaned text with fpdf2's markdown markers escaped, for markdown table cells.

        fpdf2 also turns ``[text](url)`` into a live link and has no escape for it, so a
        word joiner (U+2060, invisible, in the bundled font) goes between ``]`` and ``(``.
        """
        text = self.clean(text).replace("\\", "\\\\")
        for marker in ("**", "__", "--", "~~"):
            text = text.replace(marker, "\\" + marker)
        return text.replace("](", "]\u2060(")

    # -- running header and footer --------------------------------------------------------
    def header(self) -> None:
        r = self.report
        concept = "" if r.is_final else "IN BEOORDELING — nog niet vastgesteld"
        if self.page_no() == 1:
            if concept:
                self.set_xy(self.l_margin, 9)
                self.set_font(FONT, "B", 8)
                self.set_text_color(*STATUS_COLOURS[VerdictStatus.ONVOLLEDIG])
                self.cell(self.epw, 4, concept, align="R")
                self.set_text_color(*INK)
            self.set_xy(self.l_margin, self.t_margin)
            return
        self.set_xy(self.l_margin, 10)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        date = format_date_nl(r.exam_date)
        date_w = self.get_string_width(date) + 2
        left = f"Beoordelingsrapport praktijktoets — {self.clean(r.candidate)}"
        self.cell(self.epw - date_w - 55, 4, left)
        self.set_font(FONT, "B", 8)
        self.set_text_color(*STATUS_COLOURS[VerdictStatus.ONVOLLEDIG])
        self.cell(55, 4, concept, align="R")
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(date_w, 4, date, align="R")
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, 15, self.l_margin + self.epw, 15)
        self.set_xy(self.l_margin, 19)
        self.set_text_color(*INK)

    def footer(self) -> None:
        r = self.report
        self.set_y(-17)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(1.5)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        self.cell(
            self.epw,
            3.4,
            self.clean(f"Checklist {r.rubric_key} · n.v.t.-beleid: {r.nvt_policy_label}"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        if r.is_final:
            final = f"vastgesteld door {r.finalised_by or '—'} op {format_date_nl(r.finalised_at, True)}"
        else:
            final = "nog niet vastgesteld (in beoordeling)"
        left = f"Gegenereerd op {format_date_nl(r.generated_at, True)} · {final}"
        self.cell(self.epw - 30, 3.4, self.clean(left))
        self.cell(30, 3.4, f"pagina {self.page_no()} van {PAGE_ALIAS}", align="R")
        self.set_text_color(*INK)

    # -- building blocks ----------------------------------------------------------------
    def section_title(self, text: str, right: str = "", right_colour=MUTED, space_needed: float = 30) -> None:
        """A heading that never sits alone at the bottom of a page."""
        if self.will_page_break(space_needed):
            self.add_page()
        self.ln(3)
        y = self.get_y()
        self.set_font(FONT, "B", 11.5)
        self.set_text_color(*ACCENT)
        self.cell(self.epw * 0.62, 6.5, self.clean(text))
        if right:
            self.set_font(FONT, "B", 9)
            self.set_text_color(*right_colour)
            self.cell(self.epw * 0.38, 6.5, self.clean(right), align="R")
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.4)
        self.line(self.l_margin, y + 7, self.l_margin + self.epw, y + 7)
        self.set_xy(self.l_margin, y + 9)
        self.set_text_color(*INK)

    def bullets(self, lines, colour=INK, size: float = 9) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(*colour)
        for line in lines:
            x = self.l_margin
            self.set_x(x)
            self.cell(5, 4.6, "•")
            self.multi_cell(self.epw - 5, 4.6, self.clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.set_text_color(*INK)


# -- page sections ------------------------------------------------------------------------


def _title_block(pdf: _ReportPDF) -> None:
    r = pdf.report
    pdf.set_font(FONT, "B", 8)
    pdf.set_text_color(*ACCENT)
    pdf.cell(pdf.epw, 4, pdf.clean(r.organisation).upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    head, _, tail = TITLE.partition(" — ")
    size = 16.0
    pdf.set_font(FONT, "B", size)
    while size > 12 and pdf.get_string_width(head) > pdf.epw - 1:  # one line if it can be read
        size -= 0.5
        pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*INK)
    pdf.multi_cell(pdf.epw, 7.4, head, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 13)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(pdf.epw, 6.5, "— " + tail, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(3)

    label = FontFace(family=FONT, emphasis="", size_pt=7.5, color=MUTED)
    value = FontFace(family=FONT, emphasis="B", size_pt=9.5, color=INK)
    plain = FontFace(family=FONT, emphasis="", size_pt=9.5, color=INK)
    rows = [
        ("Kandidaat", r.candidate, value, "Examinator", r.examiner, plain),
        ("Datum praktijktoets", format_date_nl(r.exam_date), plain, "Organisatie", r.organisation, plain),
        ("Checklist", r.rubric_label, plain, "Status beoordeling", _status_text(r), plain),
    ]
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        col_widths=(30, 57, 30, 57),
        borders_layout=TableBordersLayout.NONE,
        first_row_as_headings=False,
        text_align=Align.L,
        v_align=VAlign.T,
        line_height=4.8,
        padding=(1.0, 1.0, 1.0, 0),
    ) as table:
        for l1, v1, s1, l2, v2, s2 in rows:
            row = table.row()
            row.cell(l1, style=label)
            row.cell(pdf.clean(v1) or "—", style=s1)
            row.cell(l2, style=label)
            row.cell(pdf.clean(v2) or "—", style=s2)
    pdf.ln(2)


def _status_text(r: ExamReport) -> str:
    if r.is_final:
        return f"afgerond — vastgesteld {format_date_nl(r.finalised_at, True)}"
    return "in beoordeling — nog niet vastgesteld"


def _verdict_block(pdf: _ReportPDF) -> None:
    v: Verdict = pdf.report.verdict
    colour = STATUS_COLOURS[v.status]
    pdf.section_title("Uitslag", space_needed=70)
    # Banner: the verdict word left, the total right, white on the status colour.
    y = pdf.get_y()
    h = 15
    pdf.set_fill_color(*colour)
    pdf.rect(pdf.l_margin, y, pdf.epw, h, style="F")
    pdf.set_fill_color(255, 255, 255)  # tables pick up the current fill colour
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(pdf.l_margin + 5, y + 2.2)
    pdf.set_font(FONT, "B", 20)
    pdf.cell(pdf.epw * 0.55, 10.6, v.status.value.upper())
    pdf.set_xy(pdf.l_margin + pdf.epw * 0.45, y + 2.2)
    pdf.set_font(FONT, "", 8)
    pdf.cell(pdf.epw * 0.55 - 5, 4, "totaal", align="R")
    pdf.set_xy(pdf.l_margin + pdf.epw * 0.45, y + 6.2)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(pdf.epw * 0.55 - 5, 6.5, f"{v.total} / {v.max} punten", align="R")
    pdf.set_text_color(*INK)
    pdf.set_xy(pdf.l_margin, y + h + 2.5)

    head = FontFace(family=FONT, emphasis="B", size_pt=8, color=ACCENT, fill_color=HEAD_FILL)
    pdf.set_font(FONT, "", 9)
    with pdf.table(
        col_widths=(18, 68, 20, 20, 18, 30),
        headings_style=head,
        text_align=(Align.L, Align.L, Align.C, Align.C, Align.C, Align.L),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        line_height=5,
        padding=(1.2, 1.5, 1.2, 1.5),
        v_align=VAlign.M,
    ) as table:
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        table.row(["Eindterm", "Omschrijving", "Punten", "Minimum", "Kritisch", "Resultaat"])
        for e in v.eindtermen:
            row = table.row()
            row.cell(e.code, style=FontFace(emphasis="B"))
            row.cell(pdf.clean(e.title))
            row.cell(f"{e.points} / {e.max}", style=FontFace(emphasis="B"))
            row.cell(str(e.minimum))
            row.cell("ja" if e.critical else "nee", style=FontFace(emphasis="B" if e.critical else ""))
            label, colour_ = _eindterm_result(e)
            row.cell(label, style=FontFace(emphasis="B", color=colour_))
    pdf.set_font(FONT, "I", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.ln(1)
    pdf.multi_cell(pdf.epw, 3.8, _cesuur_text(v), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)

    if v.problems:
        pdf.ln(2)
        pdf.set_font(FONT, "B", 9)
        pdf.set_text_color(*colour)
        label = "Nog niet compleet" if v.status is VerdictStatus.ONVOLLEDIG else "Reden van de uitslag"
        pdf.cell(pdf.epw, 5, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.bullets(v.problems, colour=colour)
    if v.notes:
        pdf.ln(2)
        pdf.set_font(FONT, "B", 9)
        pdf.set_text_color(*ACCENT)
        pdf.cell(pdf.epw, 5, "Toelichting n.v.t.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.bullets(v.notes)


def _eindterm_result(e) -> tuple[str, tuple[int, int, int]]:
    """'✓ behaald' / '✗ niet behaald', or '… onvolledig' while items are unscored."""
    if not e.complete:
        return "○ onvolledig", STATUS_COLOURS[VerdictStatus.ONVOLLEDIG]
    if e.met:
        return "✓ behaald", STATUS_COLOURS[VerdictStatus.GESLAAGD]
    return "✗ niet behaald", STATUS_COLOURS[VerdictStatus.GEZAKT]


def _cesuur_text(v: Verdict) -> str:
    parts = [f"eindterm {e.code} ≥ {e.minimum} van {e.max}" + (" (kritisch)" if e.critical else "") for e in v.eindtermen]
    return (
        "Cesuur: geslaagd als " + "; ".join(parts) + ". Wie een kritische eindterm niet volledig "
        "haalt, is gezakt, ongeacht de overige punten."
    )


def _conversations_block(pdf: _ReportPDF) -> None:
    convs = pdf.report.conversations
    pdf.section_title("Beoordeelde gesprekken", right=f"{len(convs)} gesprek{'ken' if len(convs) != 1 else ''}")
    if not convs:
        pdf.bullets(["Er zijn geen gesprekken aan deze praktijktoets gekoppeld."], colour=MUTED)
        return
    head = FontFace(family=FONT, emphasis="B", size_pt=8, color=ACCENT, fill_color=HEAD_FILL)
    pdf.set_font(FONT, "", 9)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    with pdf.table(
        col_widths=(8, 20, 84, 38, 24),
        headings_style=head,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        text_align=(Align.R, Align.L, Align.L, Align.L, Align.R),
        line_height=4.8,
        padding=(1.2, 1.5, 1.2, 1.5),
        v_align=VAlign.T,
    ) as table:
        table.row(["#", "Kanaal", "Titel", "Datum", "Lengte"])
        for i, c in enumerate(convs, start=1):
            table.row(
                [
                    str(i),
                    pdf.clean(c.channel),
                    pdf.clean(c.title) or "—",
                    format_date_nl(
                        c.occurred_at, with_time=c.occurred_at is not None and (c.occurred_at.hour, c.occurred_at.minute) != (0, 0)
                    ),
                    c.length_label,
                ]
            )


# Items table grid: code | +/− | where | (text …) | max | score | points
_ITEM_COLS = (13, 7, 38, 61, 11, 28, 16)


def _items_block(pdf: _ReportPDF) -> None:
    r = pdf.report
    known = {e.code for e in r.verdict.eindtermen}
    groups = [(e, r.items_of(e.code)) for e in r.verdict.eindtermen]
    leftovers = [it for it in r.items if it.eindterm not in known]
    first = True
    for e, items in groups:
        if not items:
            continue
        label, met_colour = _eindterm_result(e)
        crit = " · kritisch" if e.critical else ""
        right = f"{e.points} / {e.max} punten (min. {e.minimum}){crit} · {label.split(' ', 1)[1]}"
        if first:
            pdf.section_title("Beoordeling per toetsterm", space_needed=60)
            first = False
        _eindterm_heading(pdf, f"Eindterm {e.code} — {e.title}", right, met_colour)
        _items_table(pdf, items)
    if leftovers:
        _eindterm_heading(pdf, "Overige toetstermen", "", MUTED)
        _items_table(pdf, leftovers)


def _eindterm_heading(pdf: _ReportPDF, left: str, right: str, right_colour) -> None:
    if pdf.will_page_break(40):
        pdf.add_page()
    pdf.ln(2.5)
    pdf.set_font(FONT, "B", 10)
    pdf.set_text_color(*INK)
    pdf.cell(pdf.epw * 0.55, 6, pdf.clean(left))
    pdf.set_font(FONT, "B", 8.5)
    pdf.set_text_color(*right_colour)
    pdf.cell(pdf.epw * 0.45, 6, pdf.clean(right), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.ln(0.8)


def _items_table(pdf: _ReportPDF, items: list[ReportItem]) -> None:
    head = FontFace(family=FONT, emphasis="B", size_pt=8, color=ACCENT, fill_color=HEAD_FILL)
    small = 8
    pdf.set_font(FONT, "", 9)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    top = CellBordersLayout.TOP
    none = CellBordersLayout.NONE
    with pdf.table(
        col_widths=_ITEM_COLS,
        headings_style=head,
        borders_layout=TableBordersLayout.NONE,
        text_align=Align.L,
        line_height=4.4,
        padding=(1.0, 1.4, 1.0, 1.4),
        v_align=VAlign.T,
        markdown=True,
        repeat_headings=1,
    ) as table:
        hrow = table.row()
        hrow.cell("Code", border=CellBordersLayout.BOTTOM)
        hrow.cell("Toetsterm", colspan=3, border=CellBordersLayout.BOTTOM)
        hrow.cell("Max.", align=Align.C, border=CellBordersLayout.BOTTOM)
        hrow.cell("Score", border=CellBordersLayout.BOTTOM)
        hrow.cell("Punten", align=Align.C, border=CellBordersLayout.BOTTOM)
        for n, it in enumerate(items):
            fill = ZEBRA if n % 2 else (255, 255, 255)
            detail_rows = _detail_rows(pdf, it)
            span = 1 + len(detail_rows)
            score_colour = SCORE_COLOURS.get(it.status_code, MUTED)
            row = table.row()
            # The code cell spans the item's detail rows, since fpdf2 never breaks a page inside a
            # rowspan; an item with very many rows may break (a rowspan taller than a page cannot).
            row.cell(pdf.md(it.code), rowspan=span if span <= 10 else 1, style=FontFace(emphasis="B", fill_color=fill), border=top)
            row.cell(pdf.md(it.text), colspan=3, style=FontFace(fill_color=fill), border=top)
            row.cell(str(it.points), align=Align.C, style=FontFace(fill_color=fill), border=top)
            row.cell(pdf.md(it.status_label), style=FontFace(emphasis="B", color=score_colour, fill_color=fill), border=top)
            row.cell(str(it.points_awarded), align=Align.C, style=FontFace(emphasis="B", fill_color=fill), border=top)
            for cells in detail_rows:
                drow = table.row()
                if span > 10:
                    drow.cell("", style=FontFace(fill_color=fill), border=none)
                for text, colspan, style, align in cells:
                    st = FontFace(
                        family=style.family, emphasis=style.emphasis, size_pt=style.size_pt or small, color=style.color, fill_color=fill
                    )
                    drow.cell(text, colspan=colspan, style=st, align=align, border=none)


def _detail_rows(pdf: _ReportPDF, it: ReportItem) -> list[list[tuple]]:
    """Rows under an item (each a list of (markdown text, colspan, FontFace, align)) for columns 2-7."""
    rows: list[list[tuple]] = []
    plain = FontFace(color=INK)
    if it.status_code == ScoreStatus.NVT or it.reason:
        reason = pdf.md(_shorten(it.reason, MAX_FREE_TEXT)) or "(geen reden opgegeven)"
        rows.append([(f"**Reden n.v.t.:** {reason}", 6, plain, Align.L)])
    if it.comment:
        rows.append([(f"**Opmerking examinator:** {pdf.md(_shorten(it.comment, MAX_FREE_TEXT))}", 6, plain, Align.L)])
    if not it.evidence:
        rows.append([("Geen bewijspassage gekoppeld.", 6, FontFace(emphasis="I", color=MUTED), Align.L)])
    for ev in it.evidence:
        sign = "+" if ev.is_positive else MINUS
        colour = SCORE_COLOURS[ScoreStatus.BEHAALD] if ev.is_positive else SCORE_COLOURS[ScoreStatus.NIET_BEHAALD]
        where = f"{pdf.md(ev.conversation_title)}\n{pdf.md(ev.location)}"
        parts = []
        if ev.excerpt:
            parts.append("__“" + pdf.md(_shorten(ev.excerpt, MAX_EXCERPT)) + "”__")
        if ev.note:
            parts.append(pdf.md(_shorten(ev.note, MAX_EXCERPT)))
        what = "\n".join(parts) or "—"
        rows.append(
            [
                (f"**{sign}**", 1, FontFace(emphasis="B", size_pt=10, color=colour), Align.C),
                (where, 1, FontFace(color=MUTED), Align.L),
                (what, 4, plain, Align.L),
            ]
        )
    return rows


def _closing_block(pdf: _ReportPDF) -> None:
    r = pdf.report
    history = list(r.reopen_history)
    # Keep the whole section (text, history, signature lines) on one page.
    needed = 45 + (7 + 5 * len(history) if history else 0)
    pdf.section_title("Vaststelling", space_needed=needed)
    pdf.set_font(FONT, "", 9)
    if r.is_final:
        text = f"Deze beoordeling is vastgesteld door {r.finalised_by or '—'} op {format_date_nl(r.finalised_at, True)}."
    else:
        text = (
            "Dit examen is nog in beoordeling: de uitslag is nog niet vastgesteld en kan nog veranderen. "
            "Gebruik alleen een vastgesteld rapport voor het kandidaatdossier."
        )
    pdf.multi_cell(pdf.epw, 4.8, pdf.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if history:
        pdf.ln(1.5)
        pdf.set_font(FONT, "B", 8.5)
        pdf.cell(pdf.epw, 4.8, "Eerder heropend", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.bullets(history, size=8.5)
    if pdf.will_page_break(17):
        pdf.add_page()
    y = pdf.get_y() + 2
    col = (pdf.epw - 10) / 2
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.2)
    for i, label in enumerate((f"Handtekening examinator ({r.examiner})", "Datum")):
        x = pdf.l_margin + i * (col + 10)
        pdf.line(x, y + 10, x + col, y + 10)
        pdf.set_xy(x, y + 11)
        pdf.set_font(FONT, "", 7.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(col, 4, pdf.clean(label))
    pdf.set_text_color(*INK)
    pdf.set_xy(pdf.l_margin, y + 16)


def render_exam_report(report: ExamReport) -> bytes:
    """Render the report as an A4 PDF (bytes) for the candidate's file."""
    pdf = _ReportPDF(report)
    pdf.add_page()
    _title_block(pdf)
    _verdict_block(pdf)
    _conversations_block(pdf)
    _items_block(pdf)
    _closing_block(pdf)
    return bytes(pdf.output())
