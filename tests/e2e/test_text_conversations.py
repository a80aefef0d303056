"""Chat/e-mail in a real browser: doubtful lines before import, and a long chat a page at a time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ksf_review.config import load_settings
from ksf_review.services import accounts, exams
from ksf_review.services import conversations as convs
from ksf_review.services.context import build_context
from ksf_review.ui.review import PAGE_TURNS

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "e2e-wachtwoord-123"
TURNS = 3000


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-text")
    env = {"KSF_DATA_DIR": str(data), "KSF_DEMO": "0", "KSF_WORKER": "0", "KSF_ADMIN_PASSWORD": PASSWORD}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        ctx = build_context(load_settings())
        accounts.ensure_admin(ctx)
        admin = accounts.authenticate(ctx, "beheerder", PASSWORD)
        exam = exams.create_exam(ctx, admin, "Tekst Kandidaat")
        text = "\n".join(f"{'K' if i % 2 else 'M'}: dit is beurt nummer {i + 1} van een lange chat" for i in range(TURNS))
        convs.add_text_conversation(ctx, admin, exam.id, text, channel="chat", title="Lange chat")
        ctx.db.dispose()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return streamlit_server_module(ROOT / "app.py", env=env)


def login(page, url):
    page.goto(url)
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Examens").wait_for(timeout=60000)


def test_doubtful_line_is_shown_then_corrected_before_import(page, app_url):
    login(page, app_url)
    page.get_by_role("tab", name="Chat of e-mail").click()
    page.get_by_label("Titel").fill("Partnerchat")
    body = page.get_by_label("Gesprek (één beurt per regel, met M: of K: ervoor)")
    body.fill("K: Ik bel voor mijn man.\nJan: Ik ben de partner.\nM: Dan heb ik zijn toestemming nodig.")
    page.get_by_role("button", name="Toevoegen").last.click()
    page.get_by_text("Regel 2: “Jan: Ik ben de partner.”", exact=False).wait_for(timeout=60000)
    page.get_by_role("button", name="Tekst aanpassen").click()
    page.get_by_role("button", name="Tekst aanpassen").wait_for(state="detached", timeout=60000)
    assert "Jan: Ik ben de partner." in body.input_value()
    assert page.get_by_label("Titel").input_value() == "Partnerchat"
    body.fill(body.input_value().replace("Jan:", "K:"))
    page.get_by_role("button", name="Toevoegen").last.click()
    page.get_by_text("'Partnerchat' toegevoegd.").wait_for(timeout=60000)


def test_long_chat_renders_one_page_of_turns(page, app_url):
    login(page, app_url)
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-row").first.wait_for(timeout=120000)
    assert page.locator(".kp-row").count() == PAGE_TURNS  # not 3,000 rows in the browser
    assert page.locator(".kp-row").first.text_content().count("beurt nummer 1 ") == 1
    assert f"beurt nummer {PAGE_TURNS} " in page.locator(".kp-row").last.text_content() + " "
    assert page.locator('[data-testid="stSelectbox"]').filter(has_text="Beurten").count() == 1
