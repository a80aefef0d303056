"""#14.9: a tag save and an accept show the new tag in the player without sending the player
again: its data is the whole transcript (1,000 segments with words in a 60-minute call), so the
new tags reach it through its small tag feed, and a reload still shows them from its own data."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login
from tests.e2e.test_examiner_loop import A, B, loop_app, save_tag, select_words, wait  # noqa: F401  (loop_app is a fixture)

pytestmark = pytest.mark.e2e

#: the mounted player's data as it last arrived from the server (the JSON string), and its badges
PLAYER = "() => [...window.__ksfPlayer.players].filter((p) => p.alive())"
RAW = f"() => ({PLAYER})().map((p) => p.rawData)"
BADGES = f"() => ({PLAYER})().flatMap((p) => p.badges.map((b) => b.textContent))"


def badges(page) -> list[str]:
    return page.evaluate(BADGES)


def test_a_saved_and_an_accepted_tag_reach_the_player_without_sending_it_again(page, loop_app):  # noqa: F811
    url, env, conv_id = loop_app
    login(page, url)
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    select_words(page, A, B)
    page.get_by_text("Selectie wissen").wait_for(timeout=30000)
    sent = page.evaluate(RAW)
    assert len(sent) == 1 and badges(page) == []
    save_tag(page, "1.3a", 1)
    wait(lambda: badges(page) == ["1.3a +"], "the player marks the saved tag")
    assert page.evaluate(RAW) == sent  # the player itself was not sent again
    page.get_by_role("tab", name=re.compile("Suggesties")).click()
    accept = page.get_by_role("button", name="Accepteren", exact=True).first
    accept.wait_for(timeout=30000)
    accept.click()
    page.get_by_text("Markeringen (2)").wait_for(state="attached", timeout=30000)  # in the other tab
    wait(lambda: len(badges(page)) == 2, "the player marks the accepted suggestion")
    assert page.evaluate(RAW) == sent
    shown = sorted(badges(page))
    # a reload (a new session) draws the player from its own data, with both tags
    page.reload()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    wait(lambda: sorted(badges(page)) == shown, "after a reload the player shows both tags")
