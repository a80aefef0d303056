"""No English in the interface: every page, as rendered in Chromium, with its widgets' texts.

Streamlit's defaults are English ("Choose options", "Select all", "No results", "Upload",
"200MB per file", "Skip to main content"); the app sets Dutch placeholders per widget and
replaces the fixed texts with a stylesheet (``ui/dutch.py``). Text shown through CSS
``::after`` is not in ``innerText``, so the test reads the computed ``content`` too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from tests.e2e.conftest import PASSWORD, admin_of, app_context, app_env, settle

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
ENGLISH = (
    "Choose",
    "Select all",
    "No results",
    "No options",
    "Upload",
    "per file",
    "Browse files",
    "Drag and drop",
    "Skip to main content",
    "Add an option",
    "Select...",
)
PAGES = ("Examens", "Beoordelen", "Checklist", "Kalibratie", "Bibliotheek", "Beheer")

# input placeholders and text drawn by CSS ::before/::after (not in the DOM's text)
SHOWN = """() => {
  const parts = [];
  for (const el of document.querySelectorAll('input, textarea')) parts.push(el.placeholder || '');
  for (const el of document.querySelectorAll('body *')) {
    for (const pseudo of ['::before', '::after']) {
      const c = getComputedStyle(el, pseudo).content;
      if (c && c.startsWith('"')) parts.push(c.slice(1, -1));
    }
  }
  return parts.join('\\n');
}"""

# text nodes a user can read (innerText would count text hidden with font-size: 0)
READABLE = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || !n.textContent.trim()) continue;
    const st = getComputedStyle(el);
    if (st.fontSize === '0px' || st.display === 'none' || st.visibility === 'hidden') continue;
    out.push(n.textContent.trim());
  }
  return out.join('\\n');
}"""

# the dropdown's empty state (Streamlit 1.67: class eo2qvtu11 / equpb2c9) is on screen and says `text`
EMPTY_SAYS = """(text) => [...document.querySelectorAll('.eo2qvtu11, .equpb2c9')].some(
  (el) => el.getBoundingClientRect().height > 0 && getComputedStyle(el, '::after').content === '"' + text + '"')"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, streamlit_server_module):
    env = app_env(tmp_path_factory.mktemp("e2e-dutch"))
    with app_context(env) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "Anouk de Vries")
        convs.add_text_conversation(
            ctx, admin, exam.id, "K: Mijn adres is veranderd.\nM: Dat pas ik aan.", channel="chat", title="Adreswijziging"
        )
    return streamlit_server_module(ROOT / "app.py", env=env)


def english_on(page) -> list[str]:
    text = page.evaluate(READABLE) + "\n" + page.evaluate(SHOWN)
    return [line[:120] for line in text.splitlines() if any(w in line for w in ENGLISH)]


def test_no_english_on_any_page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = ctx.new_page()
    try:
        page.goto(app_url)
        page.get_by_label("Gebruikersnaam").wait_for(timeout=60000)
        settle(page)
        found = {"login": english_on(page)}
        page.get_by_label("Gebruikersnaam").fill("beheerder")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("heading", name="Examens").wait_for(timeout=60000)
        for name in PAGES:
            if name != "Examens":
                page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name).click()
                page.get_by_role("heading", name=name).first.wait_for(timeout=60000)
            settle(page)
            found[name] = english_on(page)
            if name == "Examens":
                # an empty multiselect says "alle"; a filter without a match says so in Dutch
                status = page.locator('[data-testid="stMultiSelect"]').first
                assert status.locator("input").get_attribute("placeholder") == "alle"
                status.locator("input").click()
                status.locator("input").press_sequentially("zzzz")
                page.wait_for_function(EMPTY_SAYS, arg="Geen resultaten", timeout=10000)
                found["Examens (filter)"] = english_on(page)
                status.locator("input").fill("")
                page.keyboard.press("Escape")
                page.mouse.click(5, 900)  # outside the dropdown: closes it
        assert not any(found.values()), found
    finally:
        page.screenshot(path="/tmp/h2/dutch.png", full_page=True)
        ctx.close()
