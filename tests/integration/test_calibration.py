"""Calibration: blind until reveal (server-side), statistics after, consensus as reference."""

import pytest

from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services import exams, scoring, tagging
from ksf_review.services.access import Forbidden
from ksf_review.services.context import ServiceError
from ksf_review.services.users import get_or_create_user
from tests.conftest import ALL_ITEMS


@pytest.fixture
def setup(ctx, user):
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    carla = get_or_create_user(ctx, "carla", "examinator", "Carla")
    outsider = get_or_create_user(ctx, "otto", "examinator", "Otto")
    exam = exams.create_exam(ctx, user, "Kalibratiekandidaat")
    c = [
        convs.add_text_conversation(ctx, user, exam.id, f"K: vraag {i}\nM: Als ik u goed begrijp, klopt dat?", channel="chat")
        for i in range(3)
    ]
    session = cal.create_session(ctx, coord, "Sessie november", [anna.id, bert.id, carla.id], exam_id=exam.id)
    return dict(coord=coord, anna=anna, bert=bert, carla=carla, otto=outsider, exam=exam, convs=c, session=session)


def ctx_user(ctx):
    from ksf_review.services.users import ensure_default_user

    return ensure_default_user(ctx)


def score_all(ctx, who, aid, overrides=None):
    for code in ALL_ITEMS:
        cal.set_score(ctx, who, aid, code, (overrides or {}).get(code, "behaald"))


def test_blind_until_reveal(ctx, setup):
    d = setup
    sid = d["session"].id
    a_anna = cal.my_assessment(ctx, d["anna"], sid)
    a_bert = cal.my_assessment(ctx, d["bert"], sid)
    conv = d["convs"][0].id
    tagging.add_tag(ctx, d["anna"], conv, 1, 2, "1.1b", "+", "samenvatting", assessment_id=a_anna)
    score_all(ctx, d["anna"], a_anna)
    cal.submit(ctx, d["anna"], a_anna)
    # Bert (and even the coördinator) cannot read Anna's tags or scores before reveal
    for who in (d["bert"], d["coord"]):
        with pytest.raises(Forbidden):
            tagging.list_tags(ctx, who, conv, assessment_id=a_anna)
        with pytest.raises(Forbidden):
            cal.scores_of(ctx, who, a_anna)
    with pytest.raises(ServiceError, match="blind"):
        cal.comparison(ctx, d["coord"], sid)
    # Bert cannot write into Anna's assessment; an outsider cannot even open the conversation
    with pytest.raises(Forbidden):
        cal.set_score(ctx, d["bert"], a_anna, "1.1a", "niet_behaald")
    with pytest.raises(ServiceError):
        cal.my_assessment(ctx, d["otto"], sid)
    # the original examiner's exam tags stay hidden from participants
    tagging.add_tag(ctx, ctx_user(ctx), conv, 0, 1, "1.1a", "+", "examentag")
    with pytest.raises(Forbidden):
        tagging.list_tags(ctx, d["bert"], conv)
    # calibration tags never show up as exam evidence
    assert [t.note for t in tagging.list_tags(ctx, d["coord"], conv)] == ["examentag"]
    assert list(scoring.evidence_by_item(ctx, d["coord"], d["exam"].id)) == ["1.1a"]
    # submitted = locked
    with pytest.raises(ServiceError, match="ingediend"):
        cal.set_score(ctx, d["anna"], a_anna, "1.1a", "niet_behaald")
    with pytest.raises(ServiceError, match="minstens twee"):
        cal.reveal(ctx, d["coord"], sid)
    assert cal.scores_of(ctx, d["anna"], a_anna)["1.1a"][0] == "behaald"
    assert not tagging.list_tags(ctx, d["bert"], conv, assessment_id=a_bert)


def test_reveal_compare_and_consensus_with_missing_ratings(ctx, setup):
    d = setup
    sid = d["session"].id
    ids = {n: cal.my_assessment(ctx, d[n], sid) for n in ("anna", "bert", "carla")}
    score_all(ctx, d["anna"], ids["anna"])
    score_all(ctx, d["bert"], ids["bert"], {"3.1": "niet_behaald", "1.1a": "niet_behaald"})
    for code in ALL_ITEMS[:5]:  # Carla never finishes: her ratings are missing from the comparison
        cal.set_score(ctx, d["carla"], ids["carla"], code, "behaald")
    conv = d["convs"][1].id
    tagging.add_tag(ctx, d["anna"], conv, 1, 2, "1.1b", "+", assessment_id=ids["anna"])
    tagging.add_tag(ctx, d["bert"], conv, 1, 2, "1.1b", "+", assessment_id=ids["bert"])
    tagging.add_tag(ctx, d["bert"], conv, 0, 1, "1.2a", "+", assessment_id=ids["bert"])
    with pytest.raises(ServiceError, match="alle toetstermen"):
        cal.submit(ctx, d["carla"], ids["carla"])
    cal.submit(ctx, d["anna"], ids["anna"])
    cal.submit(ctx, d["bert"], ids["bert"])
    with pytest.raises(ServiceError):
        cal.reveal(ctx, d["anna"], sid)  # only a coördinator reveals
    cal.reveal(ctx, d["coord"], sid)
    # after reveal participants see each other's work
    assert tagging.list_tags(ctx, d["anna"], conv, assessment_id=ids["bert"])
    comp = cal.comparison(ctx, d["coord"], sid, n_boot=50)
    assert set(comp.ratings["examiner"]) == {"Anna", "Bert"}
    assert comp.stats.verdicts[next(iter(comp.stats.verdicts))] in ("geslaagd", "gezakt")
    verdicts = {ex: v for (unit, ex), v in comp.stats.verdicts.items()}
    assert verdicts == {"Anna": "geslaagd", "Bert": "gezakt"}
    m = comp.matchings[conv]
    assert len(m.matches) == 1 and m.matches[0].a.item == "1.1b"
    assert any(c.shared for c in comp.clusters[conv])
    # consensus per item becomes the reference
    for code in ALL_ITEMS:
        cal.set_consensus(ctx, d["coord"], sid, code, "niet_behaald" if code == "3.1" else "behaald", "besproken")
    comp = cal.comparison(ctx, d["coord"], sid, n_boot=50)
    labels = {e.examiner: e for e in comp.stats.examiners}
    assert labels["Anna"].mean_difference == 1 and labels["Bert"].mean_difference == -2
    assert labels["Anna"].label == "mild" and labels["Bert"].label == "streng"
    hist = cal.examiner_history(ctx, d["coord"])
    assert set(hist["examinator"]) == {"Anna", "Bert"}
    # calibration never touches the exam's own result
    assert scoring.get_scores(ctx, d["coord"], d["exam"].id) == {}


@pytest.mark.slow
def test_session_exports(ctx, setup):
    import io
    from datetime import datetime

    import pandas as pd
    from pypdf import PdfReader

    from ksf_review.adapters.calibration_export import session_pdf, session_xlsx

    d = setup
    sid = d["session"].id
    for n, over in (("anna", {}), ("bert", {"1.1a": "niet_behaald"})):
        aid = cal.my_assessment(ctx, d[n], sid)
        score_all(ctx, d[n], aid, over)
        cal.submit(ctx, d[n], aid)
    cal.reveal(ctx, d["coord"], sid)
    for code in ALL_ITEMS:
        cal.set_consensus(ctx, d["coord"], sid, code, "behaald")
    comp = cal.comparison(ctx, d["coord"], sid, n_boot=50)
    sheets = pd.read_excel(io.BytesIO(session_xlsx(comp)), sheet_name=None)
    assert {"Beoordelingen", "Statistieken", "Consensus", "Examinatoren", "Uitslagen"} <= set(sheets)
    assert "Krippendorff α (ordinaal, alle toetstermen)" in sheets["Statistieken"]["statistiek"].tolist()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(session_pdf(comp, datetime.now()))).pages)
    assert "Sessie november" in text and "Bert" in text and "α" in text
