"""Undo in a real browser (#19.4): a checklist score and a transcript correction are undone with
Ctrl+Z (or the button) for a minute; an undo over a colleague's newer change is refused in Dutch."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ksf_review.services import accounts, scoring
from ksf_review.services import transcript_edits as edits
from tests.e2e.test_examiner_loop import (  # noqa: F401  (loop_app is a fixture)
    PASSWORD,
    login,
    loop_app,
    wait,
    word,
)
from tests.e2e.test_library_page import with_env

pytestmark = pytest.mark.e2e
T = 60_000


def until(act, done, what: str, tries: int = 3, each: float = 30.0):
    """Do `act`, then wait until `done()` holds. (Every action waits for a settled app first,
    see conftest.settle, so a click is no longer lost around a rerun and is done once.)"""
    act()
    return wait(done, what, tries * each)


def click_if_there(locator):
    """A click for `until`: the element may be gone because the first click did land after all."""
    return lambda: locator.first.click(timeout=10_000) if locator.count() else None


def _exam_id(env) -> int:
    from ksf_review.services import exams

    return with_env(env, lambda ctx: exams.list_exams(ctx, accounts.authenticate(ctx, "beheerder", PASSWORD))[0].id)


def stored_score(env, exam_id: int, item: str):
    def read(ctx):
        score = scoring.get_scores(ctx, accounts.authenticate(ctx, "beheerder", PASSWORD), exam_id).get(item)
        return score.status if score else None

    return with_env(env, read)


def colleague_scores(env, exam_id: int, item: str, status: str) -> None:
    """Bert (a coördinator) scores the item over whatever is stored now."""

    def write(ctx):
        admin = accounts.authenticate(ctx, "beheerder", PASSWORD)
        coord = accounts.create_user(ctx, admin, "carla", "coordinator", PASSWORD, "Carla Coördinator")
        now = scoring.get_scores(ctx, admin, exam_id)[item]
        scoring.set_item_score(ctx, coord, exam_id, item, status, expected_version=now.version)

    with_env(env, write)


def stored_line(env, conv_id: int, index: int) -> str:
    return with_env(env, lambda ctx: edits.segment_details(ctx, accounts.authenticate(ctx, "beheerder", PASSWORD), conv_id)[index].text)


def item_radio(page, exam_id: int, code: str, label: str):
    """The score option `label` of item `code` on the checklist (the radio's key is score_<exam>_<item>;
    Streamlit's class for it has - for .)."""
    return page.locator(f".st-key-score_{exam_id}_{code.replace('.', '-')}").get_by_text(label, exact=True)


def open_checklist(page, url):
    login(page, url)
    page.get_by_role("link", name="Checklist").click()
    page.get_by_role("heading", name="Checklist").wait_for(timeout=T)


def test_a_score_is_undone_with_ctrl_z_and_a_colleagues_newer_score_is_kept(page, loop_app):  # noqa: F811
    url, env, _ = loop_app
    exam_id = _exam_id(env)
    open_checklist(page, url)
    undo = page.get_by_role("button", name="Ongedaan maken")
    expect(undo).to_have_count(0)
    until(
        item_radio(page, exam_id, "1.1a", "behaald").click, lambda: stored_score(env, exam_id, "1.1a") == "behaald", "the score is stored"
    )
    undo.wait_for(timeout=T)
    # the focus is on the radio button: not a text field
    until(lambda: page.keyboard.press("Control+z"), lambda: stored_score(env, exam_id, "1.1a") is None, "Ctrl+Z undid the score")
    expect(page.get_by_text("Ongedaan gemaakt: score 1.1a").first).to_be_visible(timeout=T)
    expect(undo).to_have_count(0, timeout=T)

    # a colleague scores the item after me: my undo is refused and theirs stays
    until(
        item_radio(page, exam_id, "1.1b", "behaald").click, lambda: stored_score(env, exam_id, "1.1b") == "behaald", "the score is stored"
    )
    undo.wait_for(timeout=T)
    colleague_scores(env, exam_id, "1.1b", "niet_behaald")
    refused = page.get_by_text("Niet ongedaan gemaakt: deze toetsterm is intussen door iemand anders gescoord", exact=False)
    until(click_if_there(undo), lambda: refused.count() > 0, "the undo is refused")
    expect(refused).to_be_visible(timeout=T)
    assert stored_score(env, exam_id, "1.1b") == "niet_behaald"


def test_a_correction_in_the_player_is_undone_with_ctrl_z(page, loop_app):  # noqa: F811
    url, env, conv_id = loop_app
    original = stored_line(env, conv_id, 0)
    login(page, url)
    page.get_by_role("link", name="Beoordelen").click()
    player = page.locator('[data-testid="ksf-player"]').first
    page.locator(".kp-audio-mode").first.wait_for(timeout=T)
    word(page, 1).dblclick()
    field = player.locator("input.kp-edit")
    field.wait_for(timeout=T)
    field.fill("Goedemiddag, hier Jan!")
    page.keyboard.press("Enter")
    wait(lambda: "hier Jan!" in player.locator(".kp-row").first.inner_text(), "the corrected line is shown", 60)
    wait(lambda: stored_line(env, conv_id, 0) == "Goedemiddag, hier Jan!", "the correction is stored", 60)
    page.get_by_role("button", name="Ongedaan maken").first.wait_for(timeout=T)
    until(lambda: page.keyboard.press("Control+z"), lambda: stored_line(env, conv_id, 0) == original, "Ctrl+Z undid the correction")
    wait(lambda: player.locator(".kp-row").first.inner_text().count("hier Jan!") == 0, "the player shows the line as it was", 60)
