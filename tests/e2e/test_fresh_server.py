"""The first request a freshly started server gets is a link, not the start page (#14.11).

Streamlit keeps a process-wide flag that a folder `pages/` next to the main script means the
old multipage mode (each page file run on its own) until some run calls `st.navigation`.
After a restart or a deploy, the first links, reloads and new tabs therefore ran the page file
alone, without app.py: the place in the link was never read (the page fell back to its first
exam and rewrote the URL), and the sidebar had no logout. app.py turns the old mode off.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ksf_review.services import conversations as convs
from ksf_review.services import exams, login_sessions
from ksf_review.ui.session_cookie import COOKIE
from tests.e2e.conftest import admin_of, app_context, app_env, pause, picker, settle, track_page

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_a_link_as_the_first_request_opens_its_exam_and_gesprek(browser, streamlit_server, tmp_path):
    """An examiner still logged in (the cookie) follows a link right after the server started."""
    env = app_env(tmp_path / "data")
    with app_context(env) as ctx:
        admin = admin_of(ctx)
        older = exams.create_exam(ctx, admin, "Eerste Kandidaat")
        convs.add_text_conversation(ctx, admin, older.id, "K: Hallo\nM: Goedemiddag", channel="chat", title="Eerste chat")
        wanted = convs.add_text_conversation(ctx, admin, older.id, "K: Nog een\nM: Zeker", channel="e-mail", title="Gevraagde mail")
        newer = exams.create_exam(ctx, admin, "Tweede Kandidaat")
        convs.add_text_conversation(ctx, admin, newer.id, "K: Dag\nM: Dag", channel="chat", title="Andere chat")
        _, code = login_sessions.start(ctx, admin)
        token = login_sessions.redeem(ctx, code)
    url = streamlit_server(ROOT / "app.py", env=env)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        context.add_cookies([{"name": COOKIE, "value": token, "url": url, "httpOnly": True}])
        page = track_page(context.new_page())
        page.goto(f"{url}/beoordelen?examen={older.id}&gesprek={wanted.id}")  # nothing else has run in this server
        page.get_by_role("heading", name="Beoordelen").wait_for(timeout=60000)
        settle(page)
        pause(1.0)  # a page that falls back to its first exam rewrites the address at once
        settle(page)
        assert f"examen={older.id}&gesprek={wanted.id}" in page.url, page.url
        assert "Gevraagde mail" in picker(page, "Gesprek").locator("input").input_value()
        assert page.get_by_role("button", name="Uitloggen").count() == 1  # app.py ran: its sidebar
    finally:
        context.close()
