"""Two examiners in two browser contexts edit the same comment and transcript line (#15.7, #14.12).

The second save from a stale page is refused with the Dutch conflict message, the field then
shows the stored value, the login stays, and a next stale save is refused again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.services import accounts, exams, scoring
from ksf_review.services import conversations as convs
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from ksf_review.ui.conflicts import MESSAGE
from tests.conftest import make_wav
from tests.e2e.conftest import PASSWORD, admin_of, app_context, app_env, login, wait
from tests.e2e.test_app_review import segments

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
T = 30000


@pytest.fixture(scope="module")
def app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-conflicts")
    env = app_env(data)
    with app_context(env, engine_factory=lambda: FakeEngine(segments=segments())) as ctx:
        admin = admin_of(ctx)
        accounts.create_user(ctx, admin, "coord", "coordinator", PASSWORD, "Coördinator")
        exam = exams.create_exam(ctx, admin, "E2E Kandidaat")
        conv = convs.add_audio_conversation(
            ctx, admin, exam.id, "gesprek.wav", make_wav(data / "g.wav", seconds=30, freq=220).read_bytes(), title="Jaarafrekening"
        )
        jobs.run_pending(ctx)
        url = streamlit_server_module(ROOT / "app.py", env=env)
        yield {"url": url, "ctx": ctx, "admin": admin, "exam": exam, "conv": conv}


@pytest.fixture()
def two(browser, app):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 1000}) for _ in range(2)]
    pages = [c.new_page() for c in contexts]
    login(pages[0], app["url"], "beheerder")
    login(pages[1], app["url"], "coord")
    yield pages
    for c in contexts:
        c.close()


def open_checklist(page):
    page.get_by_role("link", name="Checklist").click()
    field = page.get_by_placeholder("Opmerking (optioneel)").first
    field.wait_for(timeout=T)
    return field


def save_comment(page, field, text):
    field.fill(text)
    field.press("Enter")


def stored_comment(app) -> str:
    score = scoring.get_scores(app["ctx"], app["admin"], app["exam"].id).get("1.1a")
    return score.comment if score else ""


def test_stale_checklist_comment_in_two_browsers(two, app):
    a, b = two
    fa, fb = open_checklist(a), open_checklist(b)
    save_comment(a, fa, "opmerking van A")
    wait(lambda: stored_comment(app) == "opmerking van A", "A's comment stored")

    save_comment(b, fb, "opmerking van B")  # B's page still shows the empty comment
    expect(fb).to_have_value("opmerking van A", timeout=T)  # refused: the stored value is in B's field
    expect(b.get_by_text(MESSAGE).first).to_be_visible(timeout=T)
    assert stored_comment(app) == "opmerking van A"
    expect(b.get_by_text("Ingelogd als")).to_be_visible()  # the conflict costs no login

    save_comment(a, fa, "A, tweede keer")  # A changes it again while B's page is stale again
    wait(lambda: stored_comment(app) == "A, tweede keer", "A's second comment stored")
    save_comment(b, fb, "opmerking van A, aangevuld door B")
    expect(fb).to_have_value("A, tweede keer", timeout=T)  # refused again, not written over A
    assert stored_comment(app) == "A, tweede keer"
    expect(b.get_by_text(MESSAGE).first).to_be_visible(timeout=T)

    save_comment(b, fb, "A, tweede keer, en B")  # B has now seen the current value
    wait(lambda: stored_comment(app) == "A, tweede keer, en B", "B's informed comment stored")
    expect(b.get_by_text(MESSAGE)).to_have_count(0, timeout=T)


def open_corrections(page):
    page.get_by_role("link", name="Beoordelen").click()
    page.get_by_role("tab", name="Transcript").click(timeout=T)
    area = page.get_by_label("Tekst", exact=True)
    area.wait_for(timeout=T)
    return area


def correct(page, area, text):
    area.fill(text)
    page.get_by_role("button", name="Correctie opslaan (tijden blijven gelijk)").click()


def stored_line(app) -> str:
    return edits.segment_details(app["ctx"], app["admin"], app["conv"].id)[0].text


def test_stale_transcript_line_in_two_browsers(two, app):
    a, b = two
    ta, tb = open_corrections(a), open_corrections(b)
    expect(tb).to_have_value(stored_line(app), timeout=T)
    correct(a, ta, "Goedemiddag u spreekt met Jan van Duinstroom Energie (A)")
    wait(lambda: stored_line(app).endswith("(A)"), "A's correction stored")

    correct(b, tb, "Goedemiddag u spreekt met Jan van Duinstroom Energie (B)")
    expect(tb).to_have_value("Goedemiddag u spreekt met Jan van Duinstroom Energie (A)", timeout=T)
    assert stored_line(app).endswith("(A)")
    expect(b.get_by_text(MESSAGE).first).to_be_visible(timeout=T)

    correct(b, tb, "Goedemiddag u spreekt met Jan van Duinstroom Energie (A en B)")
    wait(lambda: stored_line(app).endswith("(A en B)"), "B's informed correction stored")
