"""The shared e2e wait (conftest.settle): an action waits until the app is settled.

The CI failure it fixes, made certain: Chromium's animations are slowed down tenfold, so the
expander takes 5 s to open (on a loaded machine its 0.5 s took 2 s). A selectbox clicked inside
it at once opened its dropdown, which closed again before the option could be clicked
("element was detached"). With every action waiting for a settled app the choice is made.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose, settle

pytestmark = pytest.mark.e2e
HARNESS = Path(__file__).with_name("settle_harness.py")


def test_a_choice_in_an_opening_expander_is_not_lost(page, streamlit_server):
    page.goto(streamlit_server(HARNESS))
    settle(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Animation.enable")
    cdp.send("Animation.setPlaybackRate", {"playbackRate": 0.1})
    page.get_by_text("Open mij").click()
    choose(page, "Keuze", "Twee")
    expect(page.get_by_text("gekozen: Twee")).to_be_visible()
