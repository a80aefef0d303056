"""Chat/e-mail in a real browser: doubtful lines before import, and a long chat a page at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.ui.review import PAGE_TURNS
from tests.e2e.conftest import admin_of, app_context, app_env, login

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
TURNS = 3000


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, streamlit_server_module):
    env = app_env(tmp_path_factory.mktemp("e2e-text"))
    with app_context(env) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "Tekst Kandidaat")
        text = "\n".join(f"{'K' if i % 2 else 'M'}: dit is beurt nummer {i + 1} van een lange chat" for i in range(TURNS))
        convs.add_text_conversation(ctx, admin, exam.id, text, channel="chat", title="Lange chat")
    return streamlit_server_module(ROOT / "app.py", env=env)


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
