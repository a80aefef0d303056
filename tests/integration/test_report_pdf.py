"""The exam report PDF: render a passing and a failing exam, read the text back, rasterise page 1."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime

import pytest

from ksf_review.adapters.report_pdf import TITLE, render_exam_report
from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.domain.report import ExamReport, ReportConversation, ReportEvidence, ReportItem
from ksf_review.domain.verdict import ItemScore, NvtPolicy, ScoreStatus, compute_verdict

pytestmark = pytest.mark.slow

CONVERSATIONS = (
    ReportConversation("Vraag over hoge jaarafrekening", "telefoon", datetime(2025, 3, 10, 9, 15), duration=252.4),
    ReportConversation("Boze klant: storing al drie keer gemeld", "telefoon", datetime(2025, 3, 10, 10, 2), duration=365.0),
    ReportConversation("Adreswijziging via chat", "chat", datetime(2025, 3, 11, 14, 30), turns=14),
)

EXCERPT_SUMMARY = (
    "Als ik u goed begrijp, is uw voorschot vorig jaar te laag geweest en schrikt u nu van de eindafrekening van € 412,–, klopt dat?"
)
EXCERPT_AVG_POOR = "Ik zie hier dat uw vrouw nog € 86,50 open heeft staan op de rekening van maart."
NVT_REASON = "Geen situatie rond (niet) gebeld willen worden in de drie gesprekken; zie toelichting."

_EVIDENCE = {
    "1.1a": (
        ReportEvidence(
            CONVERSATIONS[0].title,
            31.2,
            44.8,
            "telefoon",
            "+",
            "Luistersignalen, laat klant uitpraten.",
            "Ja… hm-hm… ik hoor het, u had dus een veel lager bedrag verwacht.",
        ),
    ),
    "1.1b": (
        ReportEvidence(CONVERSATIONS[0].title, 95.0, 104.6, "telefoon", "+", "Samenvatting met controlevraag.", EXCERPT_SUMMARY),
        ReportEvidence(
            CONVERSATIONS[2].title,
            9.0,
            11.0,
            "chat",
            "+",
            "Afsluitende samenvatting met afspraken.",
            "Samengevat: uw nieuwe adres is Dorpsstraat 12 te Utrecht en gaat in per 1 april. Klopt dat?",
        ),
    ),
    "1.1e": (
        ReportEvidence(
            CONVERSATIONS[1].title,
            120.0,
            141.5,
            "telefoon",
            "-",
            "Gaat in discussie in plaats van meebewegen.",
            "Nee mevrouw, dat is echt niet waar, wij hebben u gewoon teruggebeld.",
        ),
    ),
    "1.3a": (
        ReportEvidence(
            CONVERSATIONS[1].title,
            12.0,
            19.5,
            "telefoon",
            "+",
            "Benoemt de emotie.",
            "Ik hoor dat u erg teleurgesteld bent, en dat begrijp ik.",
        ),
    ),
    "1.2a": (
        ReportEvidence(CONVERSATIONS[2].title, 2.0, 3.0, "chat", "+", "", "Wat is uw nieuwe adres, en per wanneer gaat de verhuizing in?"),
    ),
}


def build_report(passing: bool, unscored: tuple[str, ...] = ()) -> ExamReport:
    rubric = default_rubric()
    scores: dict[str, ItemScore] = {it.code: ItemScore(ScoreStatus.BEHAALD) for it in rubric.items}
    scores["1.1e"] = ItemScore(ScoreStatus.NIET_BEHAALD, comment="Discussieert bij weerstand (gesprek 2).")
    scores["1.2d"] = ItemScore(ScoreStatus.NIET_BEHAALD, comment="“U heeft toch zelf de meterstand verkeerd doorgegeven?” – sturend.")
    scores["3.2"] = ItemScore(ScoreStatus.NVT, reason=NVT_REASON)
    evidence = dict(_EVIDENCE)
    if not passing:
        scores["3.1"] = ItemScore(ScoreStatus.NIET_BEHAALD, comment="Noemt openstaand bedrag aan partner zonder machtiging.")
        evidence["3.1"] = (
            ReportEvidence(CONVERSATIONS[1].title, 201.0, 214.3, "telefoon", "-", "Openbaart gegevens vóór verificatie.", EXCERPT_AVG_POOR),
        )
    for code in unscored:
        del scores[code]
    policy = NvtPolicy.COUNTS_AS_ACHIEVED
    verdict = compute_verdict(rubric, scores, conversations=len(CONVERSATIONS), policy=policy)
    none = ItemScore(ScoreStatus.BEHAALD)
    items = tuple(
        ReportItem(
            code=it.code,
            text=it.text,
            points=it.points,
            eindterm=it.eindterm,
            status=scores[it.code].status.value if it.code in scores else None,
            reason=scores.get(it.code, none).reason,
            comment=scores.get(it.code, none).comment,
            evidence=evidence.get(it.code, ()),
            points_awarded=verdict.item_points[it.code],
        )
        for it in rubric.items
    )
    return ExamReport(
        candidate="Anouk de Vries-Ëlberg" if passing else "Sem Bakker",
        examiner="Marloes Jansen",
        exam_date=datetime(2025, 3, 12),
        organisation="Toetscentrum Klantcontact Noord B.V.",
        conversations=CONVERSATIONS,
        items=items,
        verdict=verdict,
        rubric_label=rubric.label,
        rubric_key=rubric.key,
        nvt_policy_label=policy.label,
        finalised_at=datetime(2025, 3, 12, 16, 40),
        finalised_by="Marloes Jansen",
        generated_at=datetime(2025, 3, 12, 16, 41),
        reopen_history=("Heropend op 12 maart 2025, 16:20 door Marloes Jansen: opmerking bij 1.2d aangevuld.",),
    )


def _text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("passing", [True, False])
def test_report_contains_what_an_auditor_needs(passing):
    report = build_report(passing)
    pdf = render_exam_report(report)
    assert pdf.startswith(b"%PDF")
    text, pages = _text(pdf)
    flat = _squash(text)

    assert report.candidate in flat
    assert _squash(TITLE.split(" — ")[0]) in flat
    word = "GESLAAGD" if passing else "GEZAKT"
    assert word in flat
    assert ("GEZAKT" in flat) is not passing
    assert f"{report.verdict.total} / 23" in flat
    assert report.verdict.total == (21 if passing else 20)
    for item in report.items:
        assert item.code in text, item.code
    assert _squash(NVT_REASON) in flat
    assert "€ 412,–" in flat and "voorschot vorig jaar" in flat  # evidence excerpt, Dutch characters intact
    assert "“" in flat and "”" in flat
    assert "1:35.0–1:44.6" in flat  # audio evidence time range, as the screens show it (m:ss.s)
    assert "beurt 10–11" in flat  # chat evidence turns (0-based 9.0–11.0 shown 1-based)
    assert "ksf-default@1" in flat
    assert f"pagina 1 van {pages}" in flat and f"pagina {pages} van {pages}" in flat
    assert "Adreswijziging via chat" in flat and "14 beurten" in flat
    if not passing:
        assert "Eindterm 3 (kritisch) niet behaald" in flat
        assert _squash(EXCERPT_AVG_POOR) in flat


def test_draft_report_is_marked_as_in_beoordeling():
    import dataclasses

    report = dataclasses.replace(build_report(True), finalised_at=None, finalised_by="")
    text, _ = _text(render_exam_report(report))
    assert "IN BEOORDELING" in text and "nog niet vastgesteld" in text
    assert "concept" not in text.lower()  # one word per idea, as on the Examens page


def test_unscored_item_makes_an_incomplete_report():
    report = build_report(True, unscored=("1.3b",))
    text, _ = _text(render_exam_report(report))
    flat = _squash(text)
    assert "ONVOLLEDIG" in flat and "GESLAAGD" not in flat
    assert "niet gescoord" in flat and "Nog niet gescoord: 1.3b" in flat
    assert "onvolledig" in flat.replace("ONVOLLEDIG", "")  # eindterm 1 marked incomplete, not failed


def test_awkward_text_does_not_break_rendering():
    """Markdown markers, emoji (no glyph) and a very long excerpt still render."""
    import dataclasses

    base = build_report(False)
    long_excerpt = "Ik wil niet meer gebeld worden. " * 60
    odd = ReportEvidence(CONVERSATIONS[2].title, 3.0, 4.0, "chat", "-", "**geen** __opmaak__ -- graag 😀", long_excerpt)
    items = tuple(dataclasses.replace(it, evidence=it.evidence + (odd,) * 3) if it.code == "3.2" else it for it in base.items)
    text, _ = _text(render_exam_report(dataclasses.replace(base, items=items)))
    flat = _squash(text)
    assert "**geen** __opmaak__ -- graag" in flat
    assert "beurt 4" in flat


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) ontbreekt")
def test_first_page_rasterises(tmp_path):
    pdf_path = tmp_path / "rapport.pdf"
    pdf_path.write_bytes(render_exam_report(build_report(False)))
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "p")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pngs = sorted(tmp_path.glob("p*.png"))
    assert pngs, "pdftoppm maakte geen PNG"
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pngs[0].stat().st_size > 5_000  # not a blank page


def test_user_text_makes_no_link_in_the_pdf():
    """A Markdown link typed in a comment, note or title is printed as text, not as a live link."""
    import dataclasses
    import io

    from pypdf import PdfReader

    base = build_report(False)
    link = "[klik hier](http://evil.example/pdf)"
    ev = ReportEvidence(link, 3.0, 4.0, "chat", "-", f"notitie {link}", f"fragment {link}")
    items = tuple(
        dataclasses.replace(it, comment=f"opmerking {link}", reason=link, evidence=it.evidence + (ev,)) if it.code == "3.2" else it
        for it in base.items
    )
    pdf = render_exam_report(dataclasses.replace(base, items=items, candidate=link))
    uris = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            uris.append(str(action.get("/URI", "")))
    assert not [u for u in uris if "evil.example" in u], uris
    flat = _squash(_text(pdf)[0]).replace("\u2060", "")
    assert "opmerking [klik hier](http://evil.example/pdf)" in flat


def test_the_report_says_toetsterm_not_item():
    """One word per idea (#14.15): the app calls a checklist entry a toetsterm, so does the report."""
    import re

    text, _ = _text(render_exam_report(build_report(True)))
    flat = _squash(text)
    assert "Beoordeling per toetsterm" in flat and "Toetsterm" in flat
    assert re.findall(r"\bitems?\b", flat, re.IGNORECASE) == []
