"""The session workbook carries every examiner's markeringen, per gesprek and passage, next to the
scores (the page compares passages; the XLSX had scores and statistics only), with the passage
said as everywhere (m:ss.s or beurt i–j) and user text as text, never a formula."""

import io

import openpyxl

from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services import exams, scoring, tagging
from ksf_review.services.users import get_or_create_user


def test_the_workbook_lists_each_examiners_markeringen(ctx):
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    exam = exams.create_exam(ctx, coord, "Kandidaat")
    chat = convs.add_text_conversation(ctx, coord, exam.id, "K: Ik ben boos\nM: Wat vervelend\nK: Ja", channel="chat", title="Boze chat")
    s = cal.create_session(ctx, coord, "Sessie", [anna.id, bert.id], exam_id=exam.id)
    for who, note in ((anna, '=HYPERLINK("http://x","y")'), (bert, "erkent de emotie")):
        aid = cal.my_assessment(ctx, who, s.id)
        tagging.add_tag(ctx, who, chat.id, 0, 2, "1.3a", "+", note, assessment_id=aid)
        for item in scoring.exam_rubric(ctx, exam.id).items:
            cal.set_score(ctx, who, aid, item.code, "behaald")
        cal.submit(ctx, who, aid)
    cal.reveal(ctx, coord, s.id)

    wb = openpyxl.load_workbook(io.BytesIO(cal.session_report(ctx, coord, s.id, "xlsx")))
    ws = wb["Markeringen"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][:6] == ["gesprek", "examinator", "passage", "toetsterm", "bewijs", "notitie"]
    body = sorted(rows[1:], key=lambda r: r[1])
    assert [r[:5] for r in body] == [["Boze chat", "Anna", "beurt 1–2", "1.3a", "+"], ["Boze chat", "Bert", "beurt 1–2", "1.3a", "+"]]
    cell = next(c for r in ws.iter_rows() for c in r if c.value == '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s" and cell.quotePrefix  # shown as text, not run
