"""The session report after a partial consensus: the heat map shows the points (it was drawn from
the deviation, which exists only for a complete consensus, so it came out empty) and the
Examinatoren section names each examiner's verdict and total instead of staying empty."""

import io

import pypdf

from ksf_review.adapters.calibration_export import heatmap_png
from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services import exams, scoring
from ksf_review.services.users import get_or_create_user


def _session(ctx):
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    exam = exams.create_exam(ctx, coord, "Kandidaat")
    convs.add_text_conversation(ctx, coord, exam.id, "K: Hallo\nM: Goedemiddag", channel="chat", title="Chat")
    s = cal.create_session(ctx, coord, "Sessie", [anna.id, bert.id], exam_id=exam.id)
    for who in (anna, bert):
        aid = cal.my_assessment(ctx, who, s.id)
        for item in scoring.exam_rubric(ctx, exam.id).items:
            cal.set_score(ctx, who, aid, item.code, "behaald" if who is anna or item.code != "3.1" else "niet_behaald")
        cal.submit(ctx, who, aid)
    cal.reveal(ctx, coord, s.id)
    cal.set_consensus(ctx, coord, s.id, "1.1a", "behaald")  # one of 18: not a reference yet
    return coord, s


def test_partial_consensus_report_shows_points_and_verdicts(ctx, monkeypatch):
    from ksf_review.domain import agreement

    coord, s = _session(ctx)
    comp = cal.comparison(ctx, coord, s.id, n_boot=0)
    drawn = []
    real = agreement.heatmap_matrix

    def matrix(frame, value="deviation"):
        m = real(frame, value=value)
        drawn.append(int(m.notna().sum().sum()))
        return m

    monkeypatch.setattr(agreement, "heatmap_matrix", matrix)
    assert heatmap_png(comp) is not None
    assert drawn == [2 * 18]  # every cell of both examiners has its points
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(cal.session_report(ctx, coord, s.id, "pdf"))).pages)
    after = text.split("Examinatoren", 1)[1]
    assert "Anna" in after and "geslaagd" in after and "Bert" in after and "gezakt" in after
    assert "consensus" in after
