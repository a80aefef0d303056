"""A login that survives a reload, a new tab and a link; links carry the place (#14.11).

Chromium, real server: reload keeps the login and the gesprek and time; a link to another
examiner's exam is refused in Dutch; a forged, an expired and a logged-out token open nothing.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ksf_review.adapters.storage.models import LoginSession
from ksf_review.adapters.transcription import FakeEngine
from ksf_review.services import accounts, calibration, exams, login_sessions
from ksf_review.services import conversations as convs
from ksf_review.services import transcription_jobs as jobs
from ksf_review.services.users import get_or_create_user
from ksf_review.ui.session_cookie import COOKIE
from tests.conftest import make_wav
from tests.e2e.conftest import PASSWORD, admin_of, app_context, app_env, settle, wait
from tests.e2e.conftest import login as login_as
from tests.e2e.test_app_review import FIND, segments

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
T = 30000


@pytest.fixture(scope="module")
def app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-sessions")
    env = app_env(data, KSF_SESSION_MINUTES="30")
    with app_context(env, engine_factory=lambda: FakeEngine(segments=segments())) as ctx:
        admin = admin_of(ctx)
        anna = accounts.create_user(ctx, admin, "anna", "examinator", PASSWORD, "Anna")
        accounts.create_user(ctx, admin, "bert", "examinator", PASSWORD, "Bert")
        exam = exams.create_exam(ctx, anna, "Kandidaat van Anna")
        first = convs.add_audio_conversation(
            ctx, anna, exam.id, "een.wav", make_wav(data / "1.wav", seconds=30, freq=220).read_bytes(), title="Eerste gesprek"
        )
        second = convs.add_audio_conversation(
            ctx, anna, exam.id, "twee.wav", make_wav(data / "2.wav", seconds=30, freq=330).read_bytes(), title="Tweede gesprek"
        )
        jobs.run_pending(ctx)
        url = streamlit_server_module(ROOT / "app.py", env=env)
        yield {"url": url, "ctx": ctx, "anna": anna, "exam": exam, "first": first, "second": second}


@pytest.fixture()
def new_context(browser):
    made = []

    def make():
        c = browser.new_context(viewport={"width": 1280, "height": 1000})
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def login(page, url, username):
    login_as(page, url, username)
    wait(lambda: session_cookie(page.context), "login cookie set")


def session_cookie(context):
    return next((c for c in context.cookies() if c["name"] == COOKIE), None)


def audio_time(page) -> float:
    return page.evaluate("""() => {
      const host = [...document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')]
        .find(h => h.shadowRoot && h.shadowRoot.querySelector('.kp-audio-mode'));
      const a = host && host.shadowRoot.querySelector('audio');
      return a && a.readyState >= 1 ? a.currentTime : -1;
    }""")


def test_reload_and_new_tab_keep_login_gesprek_and_time(app, new_context):
    context = new_context()
    page = context.new_page()
    login(page, app["url"], "anna")
    cookie = wait(lambda: session_cookie(context), "login cookie set")
    assert cookie["httpOnly"] and cookie["value"]
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=T)
    wait(lambda: audio_time(page) >= 0, "the first gesprek's audio ready")
    first_src = page.evaluate(f"() => {{ {FIND} return a.src; }}")
    page.get_by_label("Gesprek").click()
    page.get_by_role("option", name=re.compile("Tweede gesprek")).click()
    expect(page.get_by_label("Gesprek")).to_have_value(re.compile("^Tweede gesprek"), timeout=T)
    wait(lambda: f"gesprek={app['second'].id}" in page.url, "the picked gesprek in the URL")
    # the player has swapped to the second gesprek's audio (a seek before that goes to the first)
    wait(
        lambda: page.evaluate(f"() => {{ {FIND} return a.src !== {json.dumps(first_src)} && a.readyState >= 1; }}"),
        "the second gesprek's audio ready",
    )
    place = f"examen={app['exam'].id}&gesprek={app['second'].id}&t=12"
    settle(page)
    page.evaluate(f"() => {{ {FIND} a.currentTime = 12.4; return true; }}")  # the first report after the switch
    wait(lambda: place in page.url, "place in the URL", timeout=15)

    page.reload()  # F5: still logged in, same exam, gesprek and moment
    page.get_by_role("heading", name="Beoordelen").wait_for(timeout=T)
    expect(page.get_by_label("Gebruikersnaam")).to_have_count(0)
    expect(page.get_by_label("Gesprek")).to_have_value(re.compile("^Tweede gesprek"), timeout=T)
    wait(lambda: 11.5 < audio_time(page) < 13.5, "player back at 0:12 after reload")

    tab = context.new_page()  # a new tab with the link: logged in, same place
    tab.goto(f"{app['url']}/beoordelen?{place}")
    tab.get_by_role("heading", name="Beoordelen").wait_for(timeout=T)
    expect(tab.get_by_label("Gesprek")).to_have_value(re.compile("^Tweede gesprek"), timeout=T)
    wait(lambda: 11.5 < audio_time(tab) < 13.5, "new tab at 0:12")


def test_link_to_someone_elses_exam_is_refused(app, new_context):
    link = f"{app['url']}/beoordelen?examen={app['exam'].id}&gesprek={app['first'].id}&t=5"
    context = new_context()
    page = context.new_page()
    login(page, app["url"], "bert")
    page.goto(link)
    expect(page.get_by_text("Je hebt geen toegang tot dit examen").first).to_be_visible(timeout=T)
    expect(page.get_by_label("Gesprek")).to_have_count(0)  # nothing of Anna's exam is drawn
    expect(page.locator(".kp-audio-mode")).to_have_count(0)

    owner = new_context().new_page()  # the same link works for the examiner it belongs to
    login(owner, app["url"], "anna")
    owner.goto(link)
    owner.get_by_role("heading", name="Beoordelen").wait_for(timeout=T)
    expect(owner.get_by_label("Gesprek")).to_have_value(re.compile("^Eerste gesprek"), timeout=T)
    wait(lambda: 4.5 < audio_time(owner) < 5.5, "the link's moment (0:05)")


def _token_for(app) -> str:
    _, code = login_sessions.start(app["ctx"], app["anna"])
    return login_sessions.redeem(app["ctx"], code)


def _with_cookie(new_context, app, token):
    context = new_context()
    context.add_cookies([{"name": COOKIE, "value": token, "url": app["url"], "httpOnly": True}])
    page = context.new_page()
    page.goto(f"{app['url']}/beoordelen?examen={app['exam'].id}")
    return page


def test_forged_expired_and_logged_out_tokens_are_refused(app, new_context):
    page = _with_cookie(new_context, app, "vervalst-" + "x" * 40)
    page.get_by_label("Gebruikersnaam").wait_for(timeout=T)
    expect(page.get_by_text("Je sessie is niet (meer) geldig").first).to_be_visible()

    token = _token_for(app)
    with app["ctx"].db.unit_of_work() as s:
        row = s.query(LoginSession).order_by(LoginSession.id.desc()).first()
        row.last_seen_at = datetime.now(timezone.utc) - timedelta(minutes=31)
    page = _with_cookie(new_context, app, token)
    page.get_by_label("Gebruikersnaam").wait_for(timeout=T)
    expect(page.get_by_text("Je sessie is verlopen na 30 minuten").first).to_be_visible()

    context = new_context()  # log in, copy the token, log out: the copy opens nothing
    page = context.new_page()
    login(page, app["url"], "anna")
    token = wait(lambda: session_cookie(context), "login cookie set")["value"]
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_label("Gebruikersnaam").wait_for(timeout=T)
    page.reload()
    page.get_by_label("Gebruikersnaam").wait_for(timeout=T)
    page = _with_cookie(new_context, app, token)
    page.get_by_label("Gebruikersnaam").wait_for(timeout=T)
    expect(page.get_by_role("heading", name="Beoordelen")).to_have_count(0)


def _log_in_here(page, username):
    """Log in on the login form the page shows now (not on the start page)."""
    page.get_by_label("Gebruikersnaam").wait_for(timeout=T)
    settle(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_logging_in_from_a_link_opens_the_linked_passage(app, new_context):
    """Not logged in, a link shows the login; after it the examiner is at the link's place (#14.11)."""
    place = f"examen={app['exam'].id}&gesprek={app['second'].id}&t=12"
    page = new_context().new_page()
    page.goto(f"{app['url']}/beoordelen?{place}")
    _log_in_here(page, "anna")
    page.get_by_role("heading", name="Beoordelen").wait_for(timeout=T)
    expect(page.get_by_label("Gesprek")).to_have_value(re.compile("^Tweede gesprek"), timeout=T)
    wait(lambda: 11.5 < audio_time(page) < 13.5, "player at the link's moment (0:12) after logging in")
    assert "/beoordelen?" in page.url and place in page.url, page.url


def test_logging_in_from_a_link_still_checks_access(app, new_context):
    page = new_context().new_page()
    page.goto(f"{app['url']}/beoordelen?examen={app['exam'].id}&gesprek={app['first'].id}&t=5")
    _log_in_here(page, "bert")
    expect(page.get_by_text("Je hebt geen toegang tot dit examen").first).to_be_visible(timeout=T)
    expect(page.get_by_label("Gesprek")).to_have_count(0)
    expect(page.locator(".kp-audio-mode")).to_have_count(0)


def test_a_link_with_only_a_gesprek_opens_that_gesprek_or_says_why_not(app, new_context):
    """?gesprek=… alone takes the exam from the gesprek; a gesprek that is gone or of another exam
    than ?examen=… is refused in Dutch, never replaced by another gesprek."""
    ctx, anna = app["ctx"], app["anna"]
    other = exams.create_exam(ctx, anna, "Tweede kandidaat van Anna")
    chat = convs.add_text_conversation(ctx, anna, other.id, "K: Ik ben verhuisd.\nM: Wat is uw postcode?", channel="chat", title="Chat B")
    page = new_context().new_page()
    login(page, app["url"], "anna")
    page.goto(f"{app['url']}/beoordelen?gesprek={chat.id}")
    expect(page.get_by_label("Gesprek")).to_have_value(re.compile("^Chat B"), timeout=T)
    expect(page.get_by_label("Examen")).to_have_value(re.compile("^Tweede kandidaat"), timeout=T)
    wait(lambda: f"examen={other.id}" in page.url and f"gesprek={chat.id}" in page.url, "the link's place in the URL")

    page.goto(f"{app['url']}/beoordelen?gesprek={app['second'].id}")
    expect(page.get_by_label("Gesprek")).to_have_value(re.compile("^Tweede gesprek"), timeout=T)

    page.goto(f"{app['url']}/beoordelen?gesprek=999999")
    expect(page.get_by_text("Deze link kan niet worden geopend").first).to_be_visible(timeout=T)
    expect(page.get_by_label("Gesprek")).to_have_count(0)

    page.goto(f"{app['url']}/beoordelen?examen={app['exam'].id}&gesprek={chat.id}")
    expect(page.get_by_text("Dit gesprek hoort niet bij dit examen").first).to_be_visible(timeout=T)
    expect(page.get_by_label("Gesprek")).to_have_count(0)


def test_a_link_to_a_calibration_gesprek_is_refused_not_replaced_by_an_own_one(app, new_context):
    """Bert may read Anna's gesprek in a calibration session, but its exam is not his: the link says
    so instead of showing Bert's own exam and its first gesprek (the walkthrough's ?gesprek=11)."""
    ctx = app["ctx"]
    admin = admin_of(ctx)
    bert = get_or_create_user(ctx, "bert")
    own = exams.create_exam(ctx, bert, "Kandidaat van Bert")
    convs.add_text_conversation(ctx, bert, own.id, "K: Hoi\nM: Dag", channel="chat", title="Berts gesprek")
    calibration.create_session(ctx, admin, "Sessie", [app["anna"].id, bert.id], exam_id=app["exam"].id)
    page = new_context().new_page()
    login(page, app["url"], "bert")
    page.goto(f"{app['url']}/beoordelen?gesprek={app['second'].id}")
    expect(page.get_by_text("Deze link kan niet worden geopend").first).to_be_visible(timeout=T)
    expect(page.get_by_text("open het via Kalibratie").first).to_be_visible(timeout=T)
    expect(page.get_by_label("Gesprek")).to_have_count(0)
