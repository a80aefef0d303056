"""Calibration in a real browser (#19.11): after the reveal, the consensus form starts empty on
an item the examiners split on, and filled on the items they agree on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.config import load_settings
from ksf_review.services import accounts, exams
from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services.context import build_context
from ksf_review.services.users import get_or_create_user

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "e2e-wachtwoord-123"
T = 60000


@pytest.fixture(scope="module")
def app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-cal")
    env = {"KSF_DATA_DIR": str(data), "KSF_DEMO": "0", "KSF_WORKER": "0", "KSF_ADMIN_PASSWORD": PASSWORD}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        ctx = build_context(load_settings())
        accounts.ensure_admin(ctx)
        admin = accounts.authenticate(ctx, "beheerder", PASSWORD)
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
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    url = streamlit_server_module(ROOT / "app.py", env=env)
    yield {"url": url, "items": items}
    ctx.db.dispose()


def test_consensus_starts_empty_on_a_split(page, app):
    page.goto(app["url"])
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Examens").wait_for(timeout=T)
    page.get_by_role("link", name="Kalibratie").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Consensus opslaan")
    form.wait_for(timeout=T)
    groups = form.locator('[role="radiogroup"]')
    expect(groups).to_have_count(len(app["items"]), timeout=T)
    checked = form.locator('input[type="radio"]:checked')
    expect(checked).to_have_count(len(app["items"]) - 1, timeout=T)  # 3.1: behaald vs niet behaald
    split = groups.nth(app["items"].index("3.1"))
    expect(split.locator('input[type="radio"]:checked')).to_have_count(0)
