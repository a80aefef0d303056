"""The player in a real Streamlit server and headless Chromium.

The component renders inside an open shadow root (``stBidiComponentIsolated``):
Playwright's CSS locators pierce it, ``page.evaluate`` has to go through
``host.shadowRoot`` explicitly.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import settle, wait

pytestmark = pytest.mark.e2e
#: the player plays on after a click: a test reads the time right after it (conftest.settled_actions)
SETTLE_AFTER = False

HARNESS = Path(__file__).with_name("player_harness.py")
SEG_LEN = 2.5  # must match the harness

# JS prefix that finds the audio player's shadow root and <audio>
_FIND = """
const hosts = [...document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')];
const host = hosts.find(h => h.shadowRoot && h.shadowRoot.querySelector('.kp-audio-mode'));
const root = host.shadowRoot;
const a = root.querySelector('audio');
"""


def js(page, body: str):
    return page.evaluate(f"() => {{ {_FIND} {body} }}")


def audio_time(page) -> float:
    return js(page, "return a.currentTime;")


def marker(page, prefix: str) -> str:
    loc = page.locator('[data-testid="stText"]').filter(has_text=prefix).first
    return loc.inner_text().strip()[len(prefix) :]


def wait_for(predicate, timeout: float = 10.0, what: str = ""):
    return wait(predicate, what or str(predicate), timeout)


def last_event(page) -> dict | None:
    return json.loads(marker(page, "EVENT:"))


def audio_player(page):
    """Locator of the audio player (the harness also renders a chat player below it)."""
    return page.locator('[data-testid="ksf-player"]').first


def word(page, index: int):
    return audio_player(page).locator(f'.kp-w[data-w="{index}"]')


def harness_word(seg: int, j: int) -> tuple[int, float, float]:
    """(global word index, start, end) of word j of segment seg in the harness data."""
    start = seg * SEG_LEN + 0.2 + j * 0.4
    return seg * 5 + j, round(start, 3), round(start + 0.35, 3)


@pytest.fixture(scope="module")
def harness_url(streamlit_server_module):
    return streamlit_server_module(HARNESS)


@pytest.fixture()
def player(page, harness_url):
    page.goto(harness_url)
    # the HTML is injected first, then the JS marks the mode: wait for the JS
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    wait_for(lambda: js(page, "return a.readyState >= 1 && a.duration > 0;"), what="audio metadata")
    return page


def pause(page):
    js(page, "a.pause(); return true;")


def playing_from(page, start: float) -> None:
    """A click on a word (or a tag) plays from there: wait until it does."""
    wait_for(lambda: js(page, f"return !a.paused && a.currentTime >= {start - 0.05};"), what=f"playing from {start}")


def frames(page, n: int = 2) -> None:
    """Wait for n rendered frames: what a key or scroll changes has been drawn by then."""
    page.evaluate("n => new Promise(r => { const f = k => k ? requestAnimationFrame(() => f(k - 1)) : r(); f(n); })", n)


def test_play_advances_time_and_reports_it(player):
    assert audio_time(player) == 0
    player.get_by_role("button", name="Afspelen").click()
    wait_for(lambda: audio_time(player) > 1.0, what="currentTime > 1 s")
    # the throttled state report reaches Python (rerun of the fragment)
    wait_for(lambda: float(marker(player, "TIME:")) > 0.5, what="TIME marker")
    # the current word and segment are highlighted
    assert js(player, "return root.querySelectorAll('.kp-row.kp-cur').length;") == 1


def test_click_word_seeks_there(player):
    w, start, _ = harness_word(6, 2)
    word(player, w).click()
    t = audio_time(player)
    assert start - 0.01 <= t < start + 0.6
    wait_for(lambda: js(player, "return !a.paused;"), what="playing after word click")
    pause(player)


def test_select_words_reports_select_event(player):
    w0, start, _ = harness_word(3, 1)
    w1, _, end = harness_word(4, 2)
    b0 = word(player, w0).bounding_box()
    b1 = word(player, w1).bounding_box()
    player.mouse.move(b0["x"] + 2, b0["y"] + b0["height"] / 2)
    player.mouse.down()
    player.mouse.move(b1["x"] + b1["width"] / 2, b1["y"] + b1["height"] / 2, steps=8)
    player.mouse.move(b1["x"] + b1["width"] - 4, b1["y"] + b1["height"] / 2, steps=2)
    player.mouse.up()
    ev = wait_for(lambda: (e := last_event(player)) and e.get("type") == "select" and e, what="select event")
    assert ev["start"] == pytest.approx(start, abs=0.001)
    assert ev["end"] == pytest.approx(end, abs=0.001)
    assert len(ev["text"].split()) == 7  # words 1-4 of segment 3 and 0-2 of segment 4
    assert ev["speakers"] == ["klant", "medewerker"]
    # a selection does not seek
    assert audio_time(player) == 0


def test_shortcut_l_skips_but_not_while_typing(player):
    w, start, _ = harness_word(4, 0)
    word(player, w).click()
    player.keyboard.press("k")  # pause
    wait_for(lambda: js(player, "return a.paused;"), what="paused by K")
    t0 = audio_time(player)
    player.keyboard.press("L")
    wait_for(lambda: abs(audio_time(player) - (t0 + 5)) < 0.05, what="L = +5 s")
    player.keyboard.press("j")
    wait_for(lambda: abs(audio_time(player) - t0) < 0.05, what="J = -5 s")

    box = player.get_by_label("Notitie")
    box.click()
    box.type("LLL kjr")
    expect(box).to_have_value("LLL kjr")  # every key has been handled
    frames(player)
    assert abs(audio_time(player) - t0) < 0.05
    assert js(player, "return a.paused;")
    assert box.input_value() == "LLL kjr"


def test_r_replays_segment_and_does_not_rerun_streamlit(player):
    runs = marker(player, "RUNS:")
    w, start, _ = harness_word(5, 3)
    word(player, w).click()
    playing_from(player, start)
    player.keyboard.press("r")
    seg_start = 5 * SEG_LEN + 0.2
    t = audio_time(player)
    assert seg_start - 0.01 <= t < seg_start + 0.4
    pause(player)
    settle(player)  # a rerun asked for (Streamlit's own R) would be waited for here
    assert marker(player, "RUNS:") == runs  # Streamlit's own "R = rerun" hotkey was not fired

    # control: without a player to take the key, Streamlit's R does rerun the app
    js(player, "window.__ksfPlayer.players.clear(); window.__ksfPlayer.active = null; return true;")
    player.locator("h1").click()
    player.keyboard.press("r")
    wait_for(lambda: marker(player, "RUNS:") != runs, what="Streamlit's own R rerun")


def test_rerun_keeps_playback_position_and_source(player):
    src = js(player, "return a.src;")
    js(player, "window.__ksfMarker = root.querySelector('audio'); return true;")
    w, start, _ = harness_word(8, 0)
    word(player, w).click()
    playing_from(player, start)
    settle(player)
    runs = int(marker(player, "RUNS:"))
    before = audio_time(player)
    player.get_by_role("button", name="Herlaad").click()
    wait_for(lambda: int(marker(player, "RUNS:")) == runs + 1, what="full rerun")
    settle(player)
    wait_for(lambda: audio_time(player) > before, what="playing on after the rerun")
    assert js(player, "return a.src;") == src
    assert js(player, "return !a.paused;"), "a rerun must not stop playback"
    # the very same <audio> element: nothing was re-created or reloaded
    assert js(player, "return window.__ksfMarker === a;")
    pause(player)

    # after more full reruns the media manager still serves the file, with range requests
    for n in (2, 3, 4):
        player.get_by_role("button", name="Herlaad").click()
        wait_for(lambda: int(marker(player, "RUNS:")) == runs + n, what=f"rerun {n}")
        settle(player)  # the run has ended: orphaned media files are removed by then
        full = player.request.get(src)
        assert full.status == 200, f"media file gone after rerun {n}"
        assert full.headers["content-type"].startswith("audio/")
    part = player.request.get(src, headers={"Range": "bytes=1000-1999"})
    assert part.status == 206 and len(part.body()) == 1000
    assert js(player, "return a.src;") == src


def test_position_restored_when_element_is_recreated(player):
    w, start, _ = harness_word(10, 0)
    word(player, w).click()
    playing_from(player, start)
    pause(player)
    t = audio_time(player)
    js(player, "window.__ksfMarker = a; return true;")
    toggle = player.locator('[data-testid="stCheckbox"]').filter(has_text="Verberg speler")
    toggle.click()
    wait_for(lambda: player.locator(".kp-audio-mode").count() == 0, what="player unmounted")
    toggle.click()
    player.locator(".kp-audio-mode").first.wait_for(timeout=10000)
    wait_for(lambda: js(player, "return a.readyState >= 1;"), what="new audio element loaded")
    assert js(player, "return window.__ksfMarker !== a;"), "expected a re-created element"
    wait_for(lambda: abs(audio_time(player) - t) < 0.05, what="position restored")


def test_waveform_click_seeks_and_drag_selects(player):
    canvas = audio_player(player).locator(".kp-canvas")
    box = canvas.bounding_box()
    dur = js(player, "return a.duration;")
    y = box["y"] + box["height"] * 0.55
    canvas.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.55})
    assert audio_time(player) == pytest.approx(dur * 0.5, abs=dur * 0.02)

    x0, x1 = box["x"] + box["width"] * 0.2, box["x"] + box["width"] * 0.3
    player.mouse.move(x0, y)
    player.mouse.down()
    player.mouse.move(x1, y, steps=6)
    player.mouse.up()
    ev = wait_for(lambda: (e := last_event(player)) and e.get("type") == "select" and e, what="select event from waveform")
    assert ev["start"] == pytest.approx(dur * 0.2, abs=dur * 0.02)
    assert ev["end"] == pytest.approx(dur * 0.3, abs=dur * 0.02)
    assert ev["text"]


def test_waveform_tag_band_click_plays_tag(player):
    canvas = audio_player(player).locator(".kp-canvas")
    box = canvas.bounding_box()
    dur = js(player, "return a.duration;")
    x = box["width"] * (6.1 / dur)  # middle of tag t1 (5.2-7.0 s), in the tag band at the top
    canvas.click(position={"x": x, "y": 7})
    ev = wait_for(lambda: (e := last_event(player)) and e.get("type") == "tag_click" and e, what="tag_click from the waveform")
    assert ev["id"] == "t1" and (ev["start"], ev["end"]) == (5.2, 7.0)
    wait_for(lambda: js(player, "return a.paused;"), timeout=6, what="stops at the tag end")
    assert audio_time(player) == pytest.approx(7.0, abs=0.3)


def test_loop_repeats_the_selection(player):
    canvas = audio_player(player).locator(".kp-canvas")
    box = canvas.bounding_box()
    dur = js(player, "return a.duration;")
    y = box["y"] + box["height"] * 0.55
    player.mouse.move(box["x"] + box["width"] * (20 / dur), y)
    player.mouse.down()
    player.mouse.move(box["x"] + box["width"] * (21.5 / dur), y, steps=5)
    player.mouse.up()
    ev = wait_for(lambda: (e := last_event(player)) and e.get("type") == "select" and e, what="select event")
    start, end = ev["start"], ev["end"]
    js(player, f"a.currentTime = {start}; return true;")
    player.keyboard.press("o")
    assert js(player, "return root.querySelector('[data-act=loop]').getAttribute('aria-pressed');") == "true"
    player.keyboard.press("k")
    # sample the time: it must wrap from the end back to the start at least once
    seen, wrapped, prev = [], False, start
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not wrapped:
        t = audio_time(player)
        seen.append(t)
        wrapped = t < prev - 0.5
        prev = t
        time.sleep(0.05)
    pause(player)
    assert wrapped, seen
    assert all(start - 0.05 <= t <= end + 0.3 for t in seen)


def test_tag_badge_click_plays_tag(player):
    audio_player(player).locator('.kp-badge[data-tag="t1"]').click()
    ev = wait_for(lambda: (e := last_event(player)) and e.get("type") == "tag_click" and e, what="tag_click event")
    assert ev["id"] == "t1"
    t = audio_time(player)
    assert 5.2 - 0.01 <= t < 7.0
    assert js(player, "return !a.paused;")
    pause(player)


def test_speed_shortcut_reports_rate_and_survives_rerun(player):
    audio_player(player).locator(".kp-transcript").click(position={"x": 5, "y": 5})
    player.keyboard.press("]")
    wait_for(lambda: marker(player, "RATE:") == "1.25", what="rate reported")
    assert js(player, "return a.playbackRate;") == 1.25
    player.get_by_role("button", name="Herlaad").click()
    settle(player)
    assert js(player, "return a.playbackRate;") == 1.25
    assert js(player, "return root.querySelector('select').value;") == "1.25"


def test_transcript_follows_playback_but_not_against_the_user(player):
    tr = audio_player(player).locator(".kp-transcript")
    word(player, 0).click()  # plays from the start
    assert js(player, "return root.querySelector('.kp-transcript').scrollTop;") == 0
    canvas = audio_player(player).locator(".kp-canvas")
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 0.88, "y": box["height"] * 0.55})  # segment 17

    def current_row_visible():
        return js(
            player,
            """
            const c = root.querySelector('.kp-transcript'); const r = root.querySelector('.kp-row.kp-cur');
            if (!r) return false;
            const cb = c.getBoundingClientRect(), rb = r.getBoundingClientRect();
            return c.scrollTop > 0 && rb.top >= cb.top && rb.bottom <= cb.bottom;""",
        )

    wait_for(current_row_visible, what="current segment scrolled into view")
    # the user scrolls up: following pauses, the "back to position" pill appears
    tr.hover()
    player.mouse.wheel(0, -2000)
    follow = audio_player(player).locator(".kp-follow")
    follow.wait_for(state="visible", timeout=10000)  # following paused: the "back to position" pill
    # Chromium animates a wheel scroll: the pill shows at its first step (CI once read 323 px
    # here, mid-way). 2000 px up from segment 17 ends at the top: wait until the user's scroll is there.
    scroll_top = "return root.querySelector('.kp-transcript').scrollTop;"
    wait_for(lambda: js(player, scroll_top) == 0, what="the user's scroll at the top")
    top = js(player, scroll_top)
    seg = js(player, "return root.__ksfPlayer.curSeg;")
    wait_for(lambda: js(player, "return root.__ksfPlayer.curSeg;") != seg, timeout=10, what="playback reaching the next segment")
    frames(player, 3)  # following would have scrolled by now
    assert js(player, "return root.querySelector('.kp-transcript').scrollTop;") == top
    assert follow.is_visible()
    follow.click()
    wait_for(current_row_visible, what="following resumed")
    pause(player)


def test_text_conversation_selects_whole_turns(player):
    chat = player.locator('[data-testid="ksf-player"]').nth(1)
    assert chat.locator(".kp-audio").count() == 1  # present but unused
    assert not chat.locator(".kp-wave").is_visible()
    assert not chat.locator(".kp-controls").is_visible()
    w0 = chat.locator(".kp-row[data-seg='1'] .kp-w").nth(2)
    w1 = chat.locator(".kp-row[data-seg='2'] .kp-w").nth(1)
    w1.scroll_into_view_if_needed()
    # rows use content-visibility: wait until the browser has laid both words out (same boxes
    # over two frames)

    def laid_out():
        before = (w0.bounding_box(), w1.bounding_box())
        frames(player)
        after = (w0.bounding_box(), w1.bounding_box())
        return all(b and b["width"] > 0 for b in after) and before == after and after

    b0, b1 = wait_for(laid_out, what="both words laid out")
    player.mouse.move(b0["x"] + 2, b0["y"] + b0["height"] / 2)
    player.mouse.down()
    player.mouse.move(b1["x"] + b1["width"] - 3, b1["y"] + b1["height"] / 2, steps=8)
    player.mouse.up()

    def chat_event():
        raw = marker(player, "CHAT_EVENT:")
        return json.loads(raw) if raw != "null" else None

    ev = wait_for(chat_event, what="chat select event")
    assert ev["type"] == "select"
    assert (ev["start"], ev["end"]) == (1, 3)  # turns 1 and 2
    assert ev["text"].startswith("ik")
    assert ev["speakers"] == ["medewerker", "klant"]
    # tag on turn 3 is shown as a badge in the text
    assert chat.locator('.kp-badge[data-tag="c1"]').count() == 1


def test_python_command_plays_a_range_once(player):
    player.get_by_role("button", name="Speel t2").click()
    wait_for(lambda: js(player, "return !a.paused;"), what="command started playback")
    assert 12.7 - 0.01 <= audio_time(player) < 14.4
    wait_for(lambda: js(player, "return a.paused;"), timeout=6, what="stops at the range end")
    assert audio_time(player) == pytest.approx(14.4, abs=0.3)
    # a later rerun with the same command does not replay it
    player.get_by_role("button", name="Herlaad").click()
    settle(player)
    frames(player)
    assert js(player, "return a.paused;")


def test_low_confidence_words_are_marked(player):
    w, _, _ = harness_word(1, 2)
    el = word(player, w)
    assert "kp-low" in el.get_attribute("class")
    assert re.search(r"30\s*%", el.get_attribute("title"))


def test_screenshot(player):
    w, start, _ = harness_word(5, 1)
    word(player, w).click()
    playing_from(player, start)
    pause(player)
    player.screenshot(path="/tmp/player.png")
    assert Path("/tmp/player.png").stat().st_size > 10_000


def test_n_jumps_to_the_next_low_confidence_word_and_plays_it(player):
    """#19.8: the harness has two unsure words: segment 1 word 2 and segment 4 word 0."""
    pause(player)
    js(player, "a.currentTime = 0; return true;")
    firsts = [harness_word(1, 2), harness_word(4, 0)]
    for _, start, _ in firsts + firsts[:1]:  # and after the last one, back to the first
        player.locator("body").press("n")
        wait_for(lambda: start - 0.35 <= audio_time(player) < start + 0.5, what=f"jump to {start}")
        wait_for(lambda: js(player, "return !a.paused;"), what="playing the unsure word")
        pause(player)
        if start == firsts[1][1]:
            js(player, "a.currentTime = 20; return true;")


def test_search_jumps_through_the_hits_and_the_player_follows(player):
    """#19.7: / opens the search; Enter goes to the next line with the text, Shift+Enter back."""
    pause(player)
    js(player, "a.currentTime = 0; return true;")
    player.locator("body").press("/")
    field = audio_player(player).locator(".kp-search-input")
    field.wait_for(timeout=10000)
    player.keyboard.type("klantnummer")
    hits = js(
        player,
        "return [...root.querySelectorAll('.kp-row')].map((r, i) => "
        "r.querySelector('.kp-text').textContent.includes('klantnummer') ? i : -1).filter(i => i >= 0);",
    )
    assert len(hits) >= 2
    for i in hits[:2]:
        player.keyboard.press("Enter")
        seg_start = i * SEG_LEN + 0.2
        wait_for(lambda: abs(audio_time(player) - seg_start) < 0.05, what=f"jump to line {i}")
    player.keyboard.press("Shift+Enter")
    wait_for(lambda: abs(audio_time(player) - (hits[0] * SEG_LEN + 0.2)) < 0.05, what="back to the first hit")
    player.keyboard.press("Escape")
    wait_for(lambda: audio_player(player).locator(".kp-search").count() == 0, what="Esc closes the search")
