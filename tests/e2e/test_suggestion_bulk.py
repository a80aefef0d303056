"""Suggestions in bulk in a real browser (#19.3): reject all in one action, the rejected ones
stay listed (collapsed) and one is put back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import suggestions as sugg
from tests.e2e.conftest import admin_of, app_context, app_env, login

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
T = 60000
CHAT = """K: Ik ben echt boos, ik heb al drie keer gebeld!
M: Als ik u goed begrijp wilt u dat de storing vandaag wordt opgelost, klopt dat?
K: Ja.
M: Als ik u goed begrijp wilt u ook een nieuwe meter, klopt dat?
K: Ja."""


@pytest.fixture(scope="module")
def app(tmp_path_factory, streamlit_server_module):
    env = app_env(tmp_path_factory.mktemp("e2e-sugg"))
    with app_context(env) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "Suggestie Kandidaat")
        conv = convs.add_text_conversation(ctx, admin, exam.id, CHAT, channel="chat", title="Storing")
    return {"url": streamlit_server_module(ROOT / "app.py", env=env), "env": env, "conv_id": conv.id}


def open_proposals(app) -> int:
    """How many suggestions are stored as still open (neither accepted nor rejected)."""
    with app_context(app["env"]) as ctx:
        return len(sugg.proposals(ctx, admin_of(ctx), app["conv_id"]))


def test_reject_all_then_restore_one(page, app):
    n = open_proposals(app)
    assert n >= 3
    login(page, app["url"])
    page.get_by_role("link", name="Beoordelen").click()
    page.get_by_role("tab", name=re.compile("Suggesties")).click(timeout=T)
    page.get_by_text("In één keer accepteren of afwijzen").click(timeout=T)
    page.get_by_role("button", name=f"Alle {n} afwijzen").click(timeout=T)
    expect(page.get_by_text(f"Afgewezen suggesties ({n})")).to_be_visible(timeout=T)
    assert open_proposals(app) == 0
    page.get_by_text(f"Afgewezen suggesties ({n})").click()
    page.get_by_role("button", name="Terugzetten").first.click(timeout=T)
    expect(page.get_by_text(f"Afgewezen suggesties ({n - 1})")).to_be_visible(timeout=T)
    assert open_proposals(app) == 1
