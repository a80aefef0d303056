"""The examiner's loop in a real browser (issue 14): what you select is what gets saved.

A selection in the player (transcript words) must reach the tag form every time — also the
first one after opening a page and a repeat of the same words — and a save stores exactly
the range the form shows; after a save the selection stays for a second tag on the same
passage.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.tags import format_clock
from ksf_review.services import accounts, exams
from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav
from tests.e2e.conftest import PASSWORD, admin_of, app_context, app_env, login, wait  # noqa: F401 (others import them here)
from tests.e2e.test_app_review import segments

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
FORM = re.compile(r"Nieuwe markering · (\d+:\d\d\.\d)–(\d+:\d\d\.\d)")
# segment 2 word 3 .. word 6 (segments 0 and 1 have 8 and 7 words)
A, B = 8 + 7 + 3, 8 + 7 + 6


@pytest.fixture(scope="module")
def loop_app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-loop")
    env = app_env(data)
    with app_context(env, engine_factory=lambda: FakeEngine(segments=segments())) as ctx:
        admin = admin_of(ctx)
        anna = accounts.create_user(ctx, admin, "anna", "examinator", PASSWORD, "Anna de Vries")
        bert = accounts.create_user(ctx, admin, "bert", "examinator", PASSWORD, "Bert Jansen")
        exam = exams.create_exam(ctx, admin, "E2E Kandidaat")
        conv = convs.add_audio_conversation(
            ctx, admin, exam.id, "gesprek.wav", make_wav(data / "g.wav", seconds=30, freq=220).read_bytes(), title="Jaarafrekening"
        )
        jobs.run_pending(ctx)
        cal.create_session(ctx, admin, "Kalibratie E2E", [admin.id, anna.id, bert.id], exam_id=exam.id)
    url = streamlit_server_module(ROOT / "app.py", env=env)
    return url, env, conv.id


def stored_tags(env, conv_id: int, username: str = "beheerder", assessment: bool = False):
    """The tags as stored, read through the services like the app does."""
    from ksf_review.services import tagging

    with app_context(env) as ctx:
        actor = accounts.authenticate(ctx, username, PASSWORD)
        aid = None
        if assessment:
            session = cal.list_sessions(ctx, actor)[0]
            aid = cal.my_assessment(ctx, actor, session.id)
        return tagging.list_tags(ctx, actor, conv_id, assessment_id=aid)


def word(page, i: int):
    return page.locator('[data-testid="ksf-player"]').first.locator(f'.kp-w[data-w="{i}"]')


def select_words(page, a: int, b: int) -> None:
    word(page, b).scroll_into_view_if_needed()
    word(page, a).scroll_into_view_if_needed()
    b0, b1 = word(page, a).bounding_box(), word(page, b).bounding_box()
    page.mouse.move(b0["x"] + 2, b0["y"] + b0["height"] / 2)
    page.mouse.down()
    page.mouse.move(b1["x"] + b1["width"] - 3, b1["y"] + b1["height"] / 2, steps=8)
    page.mouse.up()


def fmt(t: float) -> str:
    return format_clock(t)  # the form shows m:ss.s (#19.5)


def form_range(page) -> tuple[str, str] | None:
    loc = page.get_by_text(FORM)
    if not loc.count():
        return None
    m = FORM.search(loc.first.inner_text())
    return (m.group(1), m.group(2)) if m else None


def save_tag(page, code: str, count: int) -> None:
    page.get_by_label("Toetstermen").click()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # leave the multiselect: its menu stays open after a choice
    page.get_by_role("button", name="Markering opslaan").click()
    page.get_by_text(f"Markeringen ({count})").wait_for(timeout=30000)


def expected_range() -> tuple[float, float]:
    ws = [w for sg in segments() for w in sg.words]
    return ws[A].start, ws[B].end


def test_selection_is_what_gets_tagged_again_and_again(page, loop_app):
    url, env, conv_id = loop_app
    s, e = expected_range()
    want = (fmt(s), fmt(e))
    login(page, url)
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    select_words(page, A, B)
    wait(lambda: form_range(page) == want, "the form shows the selection")
    save_tag(page, "1.3a", 1)
    # keep the selection: the form still shows it, and a second item is saved on the same range
    wait(lambda: form_range(page) == want, "the form keeps the selection after a save")
    save_tag(page, "1.3b", 2)
    # select the same words again: still that range, saved as such
    select_words(page, A, B)
    wait(lambda: form_range(page) == want, "a repeated selection reaches the form")
    save_tag(page, "1.1f", 3)
    tags = stored_tags(env, conv_id)
    assert sorted(t.item for t in tags) == ["1.1f", "1.3a", "1.3b"]
    for t in tags:
        assert (t.start, t.end) == pytest.approx((s, e), abs=0.01), t
    # "Selectie wissen" clears the form's passage and the player's highlight together
    player = page.locator('[data-testid="ksf-player"]').first
    assert player.locator(".kp-sel").count() > 0
    page.get_by_role("button", name="Selectie wissen").click()
    page.get_by_text("of kies hier de segmenten").wait_for(timeout=30000)
    wait(lambda: player.locator(".kp-sel").count() == 0, "the player's selection is cleared too")


def test_calibration_selection_is_its_own(page, loop_app):
    """Kalibratie: the first selection there is taken, a repeat too, and a selection made on
    Beoordelen (same conversation, another player) never shows up in its form."""
    url, env, conv_id = loop_app
    s, e = expected_range()
    want = (fmt(s), fmt(e))
    login(page, url)
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    select_words(page, A, B)
    wait(lambda: form_range(page) == want, "the form on Beoordelen shows the selection")
    page.get_by_role("link", name="Kalibratie").click()
    page.get_by_text(re.compile(r"van 3 ingediend")).first.wait_for(timeout=30000)
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    page.get_by_text("Nieuwe markering").wait_for(timeout=30000)
    # nothing is selected in this player: the form must not offer Beoordelen's passage
    page.get_by_text("of kies hier de segmenten").wait_for(timeout=30000)
    assert form_range(page) != want
    select_words(page, A, B)
    wait(lambda: form_range(page) == want, "the first selection after opening Kalibratie reaches the form")
    save_tag(page, "1.3a", 1)
    select_words(page, A, B)
    wait(lambda: form_range(page) == want, "a repeated selection reaches the form")
    save_tag(page, "1.3b", 2)
    tags = stored_tags(env, conv_id, assessment=True)
    assert sorted(t.item for t in tags) == ["1.3a", "1.3b"]
    for t in tags:
        assert (t.start, t.end) == pytest.approx((s, e), abs=0.01), t


def test_download_buttons_never_stay_disabled(page, loop_app):
    """Each click on an export gives the file, and the button is usable again (3 in 20 stayed
    disabled: the click also reran the page, which stranded the file being made)."""
    url, env, conv_id = loop_app
    login(page, url)
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)
    page.get_by_role("tab", name="Export").click()
    labels = ["WebVTT", "SRT", "Tekst", "JSON", "ELAN (.eaf)", "Label Studio"]
    for i in range(18):
        button = page.get_by_role("button", name=labels[i % len(labels)])
        wait(lambda: button.is_enabled(), f"{labels[i % len(labels)]} usable before click {i}")
        with page.expect_download(timeout=60000) as download:
            button.click()
        assert download.value.suggested_filename, (i, labels[i % len(labels)])
    assert not page.get_by_test_id("stDownloadButtonError").count()
