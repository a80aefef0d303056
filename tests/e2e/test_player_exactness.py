"""The player shows what is stored, in Chromium (issue 14): a line reads as its stored text,
a selection's times as the tag form shows and stores them, and an undone keyboard tag leaves
the keys 1–9 as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.transcript import Segment, Word
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav, timed_segments
from tests.e2e.conftest import admin_of, app_context, app_env, login, wait

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
AMOUNT = 2  # the line with "2,513 euro"
CORRECTED = 3  # a line the fixture corrects


def segments() -> list[Segment]:
    """Four lines; the third as Whisper gives a number: " 2" + ",513", each word with its own space."""
    first = timed_segments(
        [
            ("medewerker", "Goedemiddag u spreekt met Jan van Duinstroom Energie"),
            ("klant", "Ik heb een vraag over mijn jaarafrekening"),
        ]
    )
    t = first[-1].end + 0.6
    words = tuple(
        Word(round(t + 0.35 * k, 2), round(t + 0.35 * k + 0.3, 2), w, 0.9) for k, w in enumerate([" Het", " is", " 2", ",513", " euro"])
    )
    amount = Segment(words[0].start, words[-1].end, "medewerker", "".join(w.word for w in words).strip(), 0, words)
    last = timed_segments([("klant", "Dat is veel te hoog")], start=amount.end + 0.6)
    return [*first, amount, *last]


@pytest.fixture(scope="module")
def exact_app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-exact")
    env = app_env(data)
    with app_context(env, engine_factory=lambda: FakeEngine(segments=segments())) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "E2E Kandidaat")
        conv = convs.add_audio_conversation(
            ctx, admin, exam.id, "gesprek.wav", make_wav(data / "g.wav", seconds=30, freq=220).read_bytes(), title="Jaarafrekening"
        )
        jobs.run_pending(ctx)
        edits.edit_segment(ctx, admin, conv.id, CORRECTED, text="Dat is 2,5 euro te hoog!")
    url = streamlit_server_module(ROOT / "app.py", env=env)
    return url, env, conv.id


def open_review(page, url) -> None:
    login(page, url)
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)


def player(page):
    return page.locator('[data-testid="ksf-player"]').first


def line(page, i: int) -> str:
    return player(page).locator(f'.kp-row[data-seg="{i}"] .kp-text').inner_text().strip()


def test_a_line_reads_as_stored_not_with_a_space_before_every_word(page, exact_app):
    url, env, conv_id = exact_app
    open_review(page, url)
    wait(lambda: player(page).locator(".kp-row").count() == 4, "the transcript's four lines")
    assert line(page, AMOUNT) == "Het is 2,513 euro"  # not "Het is 2 ,513 euro"
    assert line(page, CORRECTED) == "Dat is 2,5 euro te hoog!"  # a corrected line as corrected
    assert line(page, 0) == "Goedemiddag u spreekt met Jan van Duinstroom Energie"
    # each recognised word is still its own word (its own time, clickable), "2" and ",513" too
    texts = player(page).locator(f'.kp-row[data-seg="{AMOUNT}"] .kp-w').all_inner_texts()
    assert [t.strip() for t in texts] == ["Het", "is", "2", ",513", "euro"]


def stored_tags(env, conv_id: int):
    from ksf_review.services import accounts, tagging
    from tests.e2e.conftest import PASSWORD

    with app_context(env) as ctx:
        return tagging.list_tags(ctx, accounts.authenticate(ctx, "beheerder", PASSWORD), conv_id)


_GEOMETRY = """() => {
  const p = [...window.__ksfPlayer.players].find((q) => q.mode === "audio" && q.el.isConnected);
  const r = p.canvas.getBoundingClientRect();
  return { left: r.left, top: r.top, height: r.height, w: p.cssW, d: p.duration() };
}"""


def _rounds_up(g: dict, lo: float, hi: float) -> tuple[int, float]:
    """A whole-pixel mouse x within [lo, hi] of the canvas whose time, in whole ms as the player
    sends it, has a tenth that rounds up (x.x6 s): a floored label would differ from the form."""
    for cx in range(int(g["left"] + lo * g["w"]), int(g["left"] + hi * g["w"])):
        t = min(g["d"], max(0.0, ((cx - g["left"]) / g["w"]) * g["d"]))
        t = round(t * 1000) / 1000
        if 0.55 <= (t * 10) % 1 < 0.95:
            return cx, t
    raise AssertionError("no pixel with a tenth that rounds up")


def test_the_waveform_selection_says_the_times_the_form_shows_and_stores(page, exact_app):
    from ksf_review.domain.tags import format_clock
    from tests.e2e.test_examiner_loop import form_range, save_tag

    url, env, conv_id = exact_app
    before = len(stored_tags(env, conv_id))
    open_review(page, url)
    g = wait(lambda: (lambda g: g if g["d"] > 0 and g["w"] > 0 else None)(page.evaluate(_GEOMETRY)), "the waveform knows the duration")
    (x0, t0), (x1, t1) = _rounds_up(g, 0.2, 0.3), _rounds_up(g, 0.45, 0.55)
    y = g["top"] + g["height"] / 2
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move(x1, y, steps=8)
    page.mouse.up()
    want = (format_clock(t0), format_clock(t1))  # e.g. 0:07.6, not 0:07 nor 0:07.5
    wait(lambda: form_range(page) == want, "the form shows the dragged passage")
    status = player(page).locator(".kp-status")
    wait(lambda: status.inner_text().strip() == f"Selectie {want[0]}–{want[1]}", "the player's label says the same times")
    save_tag(page, "1.3a", before + 1)
    new = max(stored_tags(env, conv_id), key=lambda t: t.id)
    assert (format_clock(new.start), format_clock(new.end)) == want  # stored as shown
    page.locator(f".st-key-tagedit{new.id} summary").click()  # its "Bewerken"
    begin, end = page.locator(f".st-key-tag{new.id}_start input"), page.locator(f".st-key-tag{new.id}_end input")
    wait(lambda: (begin.input_value(), end.input_value()) == want, "the tag's Begin/Eind say the same")


def test_the_players_clock_is_the_tag_forms_clock(page):
    """The player's m:ss.s (core.js clock) gives format_clock's text for every time, ties included."""
    import re

    from ksf_review.domain.tags import format_clock
    from ksf_review.ui.player import player_js

    src = re.search(r"^function clock\(sec\) \{.*?^\}", player_js(), re.S | re.M).group(0)
    times = [k / 1000 for k in range(0, 100_000, 7)] + [k * 0.05 for k in range(2000)] + [3599.95, 3600.0, 3723.45, -1.0]
    got = page.evaluate("([src, xs]) => { const clock = new Function(src + '; return clock;')(); return xs.map(clock); }", [src, times])
    assert got == [format_clock(t) for t in times]


def _keys(page) -> list[str]:
    """The player's keys 1-9 as it holds them: toetsterm and sign."""
    return page.evaluate("() => (window.__ksfPlayer.recent || []).map((r) => r.item + r.pol)")


def test_undoing_a_keyboard_tag_takes_its_toetsterm_off_the_keys(page, exact_app):
    from ksf_review.services import accounts
    from ksf_review.services.users import recent_items
    from tests.e2e.conftest import PASSWORD
    from tests.e2e.test_examiner_loop import select_words
    from tests.e2e.test_keyboard_tagging import tag_with_picker

    def stored_keys():
        with app_context(env) as ctx:
            return [i + p for i, p in recent_items(ctx, accounts.authenticate(ctx, "beheerder", PASSWORD))]

    url, env, conv_id = exact_app
    count = len(stored_tags(env, conv_id))
    open_review(page, url)
    select_words(page, 0, 2)
    page.get_by_text("Selectie wissen").wait_for(timeout=30000)
    tag_with_picker(page, "1.3a")
    page.get_by_text(f"Markeringen ({count + 1})").wait_for(timeout=30000)
    keys = stored_keys()
    assert keys[0] == "1.3a+"
    tag_with_picker(page, "1.2c", "-")  # 1.2c − is key 1 now, 1.3a + key 2
    page.get_by_text(f"Markeringen ({count + 2})").wait_for(timeout=30000)
    wait(lambda: _keys(page) == ["1.2c-", *keys], "the keys after the second tag")

    page.keyboard.press("Control+z")  # undo the 1.2c tag: the keys are as they were before it
    page.get_by_text(f"Markeringen ({count + 1})").wait_for(timeout=30000)
    wait(lambda: _keys(page) == keys, "the keys without the undone tag's toetsterm")
    assert stored_keys() == keys
    page.reload()  # as stored, so a reload agrees
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    wait(lambda: _keys(page) == keys, "the keys after a reload")
    select_words(page, 0, 2)
    page.get_by_text("Selectie wissen").wait_for(timeout=30000)
    page.keyboard.press("1")  # key 1 is 1.3a again
    page.get_by_text(f"Markeringen ({count + 2})").wait_for(timeout=30000)
    assert max(stored_tags(env, conv_id), key=lambda t: t.id).item == "1.3a"
