"""Calibration in a real browser (#19.11): after the reveal, the consensus form starts empty on
an item the examiners split on, and filled on the items they agree on."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services.users import get_or_create_user
from tests.e2e.conftest import admin_of, app_context, app_env, login

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
T = 60000


@pytest.fixture(scope="module")
def app(tmp_path_factory, streamlit_server_module):
    env = app_env(tmp_path_factory.mktemp("e2e-cal"))
    with app_context(env) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "Kalibratie Kandidaat")
        convs.add_text_conversation(ctx, admin, exam.id, "K: Hallo\nM: Goedemiddag", channel="chat", title="Chat")
        anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
        bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
        s = cal.create_session(ctx, admin, "Sessie gelijkspel", [anna.id, bert.id], exam_id=exam.id)
        items = [i.code for i in default_rubric().items]
        for who in (anna, bert):
            aid = cal.my_assessment(ctx, who, s.id)
            for code in items:
                cal.set_score(ctx, who, aid, code, "behaald" if who is anna or code != "3.1" else "niet_behaald")
            cal.submit(ctx, who, aid)
        cal.reveal(ctx, admin, s.id)
    return {"url": streamlit_server_module(ROOT / "app.py", env=env), "items": items}


def test_consensus_starts_empty_on_a_split(page, app):
    login(page, app["url"])
    page.get_by_role("link", name="Kalibratie").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Consensus opslaan")
    form.wait_for(timeout=T)
    groups = form.locator('[role="radiogroup"]')
    expect(groups).to_have_count(len(app["items"]), timeout=T)
    checked = form.locator('input[type="radio"]:checked')
    expect(checked).to_have_count(len(app["items"]) - 1, timeout=T)  # 3.1: behaald vs niet behaald
    split = groups.nth(app["items"].index("3.1"))
    expect(split.locator('input[type="radio"]:checked')).to_have_count(0)
