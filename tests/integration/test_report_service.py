import io

import pandas as pd
import pytest
from pypdf import PdfReader

from ksf_review.services import conversations as convs
from ksf_review.services import exams, reports, scoring, tagging
from tests.conftest import ALL_ITEMS

pytestmark = pytest.mark.slow


def test_report_and_export_from_a_real_exam(ctx, user):
    exam = exams.create_exam(ctx, user, "Fenna Visser")
    chats = [
        convs.add_text_conversation(
            ctx, user, exam.id, f"K: vraag {i}\nM: Als ik u goed begrijp, klopt dat?", channel="chat", title=f"Chat {i}"
        )
        for i in range(3)
    ]
    tagging.add_tag(ctx, user, chats[0].id, 1, 2, "1.1b", "+", "samenvatting", excerpt="Als ik u goed begrijp, klopt dat?")
    for code in ALL_ITEMS:
        scoring.set_item_score(ctx, user, exam.id, code, "behaald")
    scoring.set_item_score(ctx, user, exam.id, "3.2", "nvt", reason="geen telemarketing in deze gesprekken")
    scoring.finalise_exam(ctx, user, exam.id)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(reports.exam_report_pdf(ctx, user, exam.id))).pages)
    for needle in ["Fenna Visser", "GESLAAGD", "23 / 23", "geen telemarketing", "Als ik u goed begrijp", "ksf-default@1", "Chat 2"]:
        assert needle in text, needle
    df = pd.read_excel(io.BytesIO(reports.scores_export(ctx, user, [exam.id], "xlsx")))
    assert len(df) == 18 and set(df["kandidaat"]) == {"Fenna Visser"}
    assert df.loc[df["item"] == "3.2", "reden_nvt"].iloc[0] == "geen telemarketing in deze gesprekken"
