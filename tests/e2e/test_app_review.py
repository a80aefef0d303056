"""The whole app in a real browser: log in, play, click a word, select → tag, reload, shortcut."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.transcript import Segment
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav, timed_segments
from tests.e2e.conftest import admin_of, app_context, app_env, login, wait  # noqa: F401 (test_checklist_sticky imports them here)

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
#: a click on a word plays on from there and the test reads the time right after it
SETTLE_AFTER = False
FIND = """
const host = [...document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')]
  .find(h => h.shadowRoot && h.shadowRoot.querySelector('.kp-audio-mode'));
const a = host.shadowRoot.querySelector('audio');
"""


def segments() -> list[Segment]:
    lines = [
        ("medewerker", "Goedemiddag u spreekt met Jan van Duinstroom Energie"),
        ("klant", "Ik heb een vraag over mijn jaarafrekening"),
        ("medewerker", "Als ik u goed begrijp is de afrekening hoger dan verwacht klopt dat"),
        ("klant", "Ja dat klopt precies"),
        ("medewerker", "Wat is uw klantnummer en uw postcode"),
    ]
    return timed_segments(lines)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-data")
    env = app_env(data)
    engine = FakeEngine(segments=segments())
    with app_context(env, engine_factory=lambda: engine) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "E2E Kandidaat")
        convs.add_audio_conversation(
            ctx, admin, exam.id, "gesprek.wav", make_wav(data / "g.wav", seconds=30, freq=220).read_bytes(), title="Jaarafrekening"
        )
        jobs.run_pending(ctx)
    return streamlit_server_module(ROOT / "app.py", env=env)


def open_review(page):
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    wait(lambda: page.evaluate(f"() => {{ {FIND} return a.readyState >= 1 && a.duration > 0; }}"), "audio")


def audio_time(page) -> float:
    return page.evaluate(f"() => {{ {FIND} return a.currentTime; }}")


def word(page, i: int):
    return page.locator('[data-testid="ksf-player"]').first.locator(f'.kp-w[data-w="{i}"]')


def test_review_flow_in_browser(page, app_url, tmp_path):
    login(page, app_url)
    open_review(page)
    # click a word → the audio jumps there and plays
    target = segments()[2].words[3]
    word(page, 8 + 7 + 3).click()  # segment 2, word 3 (segments have 8 and 7 words before it)
    wait(lambda: abs(audio_time(page) - target.start) < 0.6, "seek to clicked word")
    # keyboard shortcut: L = 5 s forward (focus on the page, not in a text field)
    page.evaluate(f"() => {{ {FIND} a.pause(); a.currentTime = 2.0; return true; }}")
    page.locator("body").press("l")
    wait(lambda: 6.5 < audio_time(page) < 7.6, "L skips 5 s")
    # select words 0–2 of the first segment → the tag form shows the passage
    b0, b1 = word(page, 0).bounding_box(), word(page, 2).bounding_box()
    page.mouse.move(b0["x"] + 2, b0["y"] + b0["height"] / 2)
    page.mouse.down()
    page.mouse.move(b1["x"] + b1["width"] - 3, b1["y"] + b1["height"] / 2, steps=8)
    page.mouse.up()
    page.get_by_text("Selectie wissen").wait_for(timeout=20000)
    page.get_by_text("Nieuwe markering").wait_for()
    box = page.get_by_label("Toetstermen")
    box.click()
    page.keyboard.type("1.1f")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # leave the multiselect: its menu stays open after a choice
    page.get_by_label("Notitie").fill("opening met bedrijfsnaam en eigen naam")
    page.get_by_role("button", name="Markering opslaan").click()
    page.get_by_text("Markeringen (1)").wait_for(timeout=20000)
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    # after a reload (new Streamlit session, same login) the tag is still there, in the list and the player
    page.reload()
    open_review(page)
    page.get_by_text("Markeringen (1)").wait_for(timeout=20000)
    assert page.get_by_text("opening met bedrijfsnaam en eigen naam").count() >= 1
    assert page.locator('[data-testid="ksf-player"]').first.locator(".kp-badge, .kp-tag").count() >= 1
