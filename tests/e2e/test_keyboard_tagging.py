"""Tag from the keyboard (#19.1): T opens the item picker in the player, + / − set the sign,
Enter saves; the last used items are one key each. Measured in keystrokes after selecting."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import admin_of, app_context, settle
from tests.e2e.test_examiner_loop import (  # noqa: F401  (loop_app is a fixture)
    A,
    B,
    expected_range,
    fmt,
    form_range,
    login,
    loop_app,
    segments,
    select_words,
    stored_tags,
    wait,
)

pytestmark = pytest.mark.e2e


def open_review(page, url) -> None:
    """Log in and open Beoordelen with its recording's player."""
    login(page, url)
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)


def tag_with_picker(page, item: str, sign: str = "") -> None:
    """T opens the player's toetsterm picker; type the toetsterm, the sign if any, Enter saves."""
    page.keyboard.press("t")
    page.locator('[data-testid="ksf-player"]').first.locator(".kp-picker-input").wait_for(timeout=10000)
    page.keyboard.type(item)
    if sign:
        page.keyboard.press(sign)
    page.keyboard.press("Enter")


def test_a_passage_is_tagged_from_the_keyboard(page, loop_app):  # noqa: F811
    url, env, conv_id = loop_app
    s, e = expected_range()
    open_review(page, url)
    player = page.locator('[data-testid="ksf-player"]').first
    select_words(page, A, B)
    wait(lambda: form_range(page) == (fmt(s), fmt(e)), "the form shows the selection")
    # the first time: T, search, − for negative evidence, Enter
    page.keyboard.press("t")
    picker = player.locator(".kp-picker-input")
    picker.wait_for(timeout=10000)
    page.keyboard.type("1.3a")
    page.keyboard.press("-")
    page.keyboard.press("Enter")
    page.get_by_text("Markeringen (1)").wait_for(timeout=30000)
    first = stored_tags(env, conv_id)
    assert [(t.item, t.polarity) for t in first] == [("1.3a", "-")]
    assert (first[0].start, first[0].end) == pytest.approx((s, e), abs=0.01)
    # Esc closes the picker without saving
    page.keyboard.press("t")
    picker.wait_for(timeout=10000)
    page.keyboard.press("Escape")
    wait(lambda: player.locator(".kp-picker").count() == 0, "Esc closes the picker")
    # another passage: the last used item is one key — at most three keystrokes after selecting
    seg0 = segments()[0]
    select_words(page, 0, 2)
    wait(lambda: form_range(page) == (fmt(seg0.words[0].start), fmt(seg0.words[2].end)), "the new selection")
    keys = ["1"]
    for k in keys:
        page.keyboard.press(k)
    assert len(keys) <= 3
    page.get_by_text("Markeringen (2)").wait_for(timeout=30000)
    tags = sorted(stored_tags(env, conv_id), key=lambda t: t.start)
    assert [(t.item, t.polarity) for t in tags] == [("1.3a", "-"), ("1.3a", "-")]
    assert (tags[0].start, tags[0].end) == pytest.approx((seg0.words[0].start, seg0.words[2].end), abs=0.01)


def test_the_recent_items_survive_a_reload(page, loop_app):  # noqa: F811
    from ksf_review.ui.session_cookie import COOKIE

    url, env, conv_id = loop_app
    before = len(stored_tags(env, conv_id))
    login(page, url)
    wait(lambda: any(c["name"] == COOKIE for c in page.context.cookies()), "login cookie set")
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    select_words(page, A, B)
    page.get_by_text("Selectie wissen").wait_for(timeout=30000)
    tag_with_picker(page, "1.2c", "-")
    page.get_by_text(f"Markeringen ({before + 1})").wait_for(timeout=30000)

    page.reload()  # F5: the same examiner, and 1 is still the item just used
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    settle(page)
    seg0 = segments()[0]
    select_words(page, 0, 2)
    wait(lambda: form_range(page) == (fmt(seg0.words[0].start), fmt(seg0.words[2].end)), "the new selection")
    page.keyboard.press("1")
    page.get_by_text(f"Markeringen ({before + 2})").wait_for(timeout=30000)
    new = max(stored_tags(env, conv_id), key=lambda t: t.id)
    assert (new.item, new.polarity) == ("1.2c", "-")
    assert (new.start, new.end) == pytest.approx((seg0.words[0].start, seg0.words[2].end), abs=0.01)


def test_the_selection_is_nudged_while_the_loop_plays(page, loop_app):  # noqa: F811
    from tests.e2e.test_app_review import FIND

    url, env, conv_id = loop_app
    s, e = expected_range()
    before = len(stored_tags(env, conv_id))
    open_review(page, url)
    select_words(page, A, B)
    wait(lambda: form_range(page) == (fmt(s), fmt(e)), "the form shows the selection")
    page.keyboard.press("o")  # loop the selection
    page.keyboard.press("k")  # play
    wait(lambda: page.evaluate(f"() => {{ {FIND} return !a.paused; }}"), "the loop plays")
    for k in [".", ".", ">"]:  # start +0.2 s, end +0.1 s
        page.keyboard.press(k)
    wait(lambda: form_range(page) not in (None, (fmt(s), fmt(e))), "the nudged range reaches the form")
    assert page.evaluate(f"() => {{ {FIND} return !a.paused; }}"), "the loop plays on"
    tag_with_picker(page, "1.1f")  # T always opens the picker
    page.get_by_text(f"Markeringen ({before + 1})").wait_for(timeout=30000)
    new = max(stored_tags(env, conv_id), key=lambda t: t.id)
    assert new.start == pytest.approx(s + 0.2, abs=0.06)
    assert new.end == pytest.approx(e + 0.1, abs=0.06)


def test_a_line_is_corrected_in_place_in_the_player(page, loop_app):  # noqa: F811
    from tests.e2e.test_examiner_loop import word

    url, env, conv_id = loop_app
    login(page, url)
    page.get_by_role("link", name="Beoordelen").click()
    player = page.locator('[data-testid="ksf-player"]').first
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    # Esc cancels: nothing stored
    word(page, 1).dblclick()
    field = player.locator("input.kp-edit")
    field.wait_for(timeout=10000)
    page.keyboard.type("weg ermee")
    page.keyboard.press("Escape")
    wait(lambda: field.count() == 0, "Esc closes the field")
    # Enter saves
    word(page, 1).dblclick()
    field.wait_for(timeout=10000)
    field.fill("Goedemiddag, u spreekt met Jan van Duinstroom Energie!")
    page.keyboard.press("Enter")
    wait(lambda: "Energie!" in player.locator(".kp-row").first.inner_text(), "the corrected line is shown")
    assert stored_line(env, conv_id) == "Goedemiddag, u spreekt met Jan van Duinstroom Energie!"


def stored_line(env, conv_id: int) -> str:
    from ksf_review.services import transcript_edits as edits

    with app_context(env) as ctx:
        return edits.segment_details(ctx, admin_of(ctx), conv_id)[0].text


def test_ctrl_z_undoes_the_last_tag(page, loop_app):  # noqa: F811
    url, env, conv_id = loop_app
    before = len(stored_tags(env, conv_id))
    open_review(page, url)
    select_words(page, A, B)
    page.get_by_text("Selectie wissen").wait_for(timeout=30000)
    tag_with_picker(page, "1.2a")
    page.get_by_text(f"Markeringen ({before + 1})").wait_for(timeout=30000)
    page.get_by_role("button", name="Ongedaan maken").wait_for(timeout=30000)
    page.keyboard.press("Control+z")
    page.get_by_text(f"Markeringen ({before})").wait_for(timeout=30000)
    assert len(stored_tags(env, conv_id)) == before
