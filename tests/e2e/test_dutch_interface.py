"""No English in the interface: every page, as rendered in Chromium, with its widgets' texts.

Streamlit's defaults are English ("Choose options", "Select all", "No results", "Upload",
"200MB per file", "Skip to main content"); the app sets Dutch placeholders per widget and
replaces the fixed texts with a stylesheet (``ui/dutch.py``). Text shown through CSS
``::after`` is not in ``innerText``, so the test reads the computed ``content`` too.
What a screen reader or a tooltip says counts as well: every aria-label, title, placeholder
and aria-valuetext on every page, also of what only appears on use (a text input's "Press Enter
to apply", a multiselect's "Clear all", the calendar, a number input's +/-, a table's toolbar).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from tests.e2e.conftest import PASSWORD, admin_of, app_context, app_env, login, settle

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
    "Press Enter",
    "Press ⌘",
    "Press Ctrl",
    "Clear all",
    "Download as",
    "Fullscreen",
    "Rerun",
    "Settings",
    "Print",
    "About",
    "screencast",
    "Record",
    "Made with",
    "Clear cache",
    "not allowed",
    "Error:",
)
# English words in a screen reader's or a tooltip's text (attributes); whole words, as Streamlit writes them
ENGLISH_ATTR = re.compile(
    r"\b(Sidebar|sidebar|Collapse|Expand|App pages|Main menu|Link to|icon|Choose|Open|Close|Clear|Select|Selected|Show|hide|"
    r"Download|Search|Fullscreen|Help for|day|month|year|Empty|password|Increment|Decrement|Press|Remove|Previous|Next|"
    r"Upload|upload|file|files|Delete|Copy|Running|Stop|Navigate|Drag|Browse|results|options|Limit)\b"
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

# aria-label, title, placeholder, aria-valuetext of every element (open shadow roots too)
ATTRIBUTES = """() => {
  const out = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'aria-valuetext', 'aria-description', 'alt']) {
        const v = el.getAttribute(a);
        if (v) out.push(a + '="' + v + '" on ' + el.tagName.toLowerCase() + (el.dataset.testid ? ' ' + el.dataset.testid : ''));
      }
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return out;
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
    shown = [line[:120] for line in text.splitlines() if any(w in line for w in ENGLISH)]
    attrs = [a[:160] for a in page.evaluate(ATTRIBUTES) if ENGLISH_ATTR.search(a.split('" on ')[0])]
    return sorted(set(shown + attrs))


def in_use(page, name: str) -> dict[str, list[str]]:
    """What only appears on use, per page: typed text, the main menu, a chosen option, the calendar, +/-, the toolbar."""
    found = {}
    if name == "Examens":
        field = page.get_by_role("textbox", name="Zoeken", exact=True)
        field.press_sequentially("Anouk")  # not applied yet: "Press Enter to apply"
        found["typing"] = english_on(page)
        field.fill("")
        page.locator('[data-testid="stMainMenuButton"]').click()
        page.locator('[data-testid="stMainMenuPopover"]').wait_for(timeout=10000)
        found["main menu"] = english_on(page)
        page.keyboard.press("Escape")
        page.locator('[data-testid="stMainMenuPopover"]').wait_for(state="detached", timeout=10000)
        page.locator('[data-testid="stExpander"] summary').filter(has_text="Nieuw examen").click()
        candidate = page.get_by_label("Kandidaat (naam of code)")
        candidate.press_sequentially("Anouk")  # a form's text input: "Press Enter to submit form"
        found["form typing"] = english_on(page)
        candidate.fill("")
        page.locator('[data-testid="stDateInputCalendarButton"]').first.click()
        page.get_by_role("grid").first.wait_for(timeout=10000)
        found["calendar"] = english_on(page)
        page.keyboard.press("Escape")
        status = page.locator('[data-testid="stMultiSelect"]').first
        status.locator("input").click()
        page.get_by_role("option").first.click()
        page.keyboard.press("Escape")
        found["chosen"] = english_on(page)
        status.locator("input").press("Backspace")  # the filter off again
        page.keyboard.press("Escape")
        page.locator('[data-testid="stDataFrame"]').first.hover()
        page.locator('[data-testid="stBaseButton-elementToolbar"]').nth(1).hover()  # its tooltip
        found["toolbar"] = english_on(page)
    elif name == "Beheer":
        page.get_by_role("tab", name=re.compile("Bewaartermijn")).click()
        days = page.locator('[data-testid="stNumberInput"]').first
        days.hover()
        found["number"] = english_on(page)
        page.locator('[data-testid="stNumberInputField"]').first.press_sequentially("0")  # "Press Enter to apply"
        found["number typing"] = english_on(page)
    return {f"{name} ({k})": v for k, v in found.items()}


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
            found.update(in_use(page, name))
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
        assert not any(found.values()), "\n".join(f"{where}: {what}" for where, what in found.items() if what)
    finally:
        page.screenshot(path="/tmp/h2/dutch.png", full_page=True)
        ctx.close()


def test_a_wrong_file_type_is_refused_in_dutch(browser, app_url, tmp_path):
    """A recording uploader given a Word file: the upload fields take any file (Streamlit's own
    type filter refused it in the browser, in English, and the server never saw it); the page
    then refuses it in Dutch, by name, and nothing on the page is English."""
    wrong = tmp_path / "notitie.docx"
    wrong.write_bytes(b"geen opname")
    ctx = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = ctx.new_page()
    try:
        login(page, app_url)
        page.get_by_role("tab", name=re.compile("Opname uploaden")).click()
        uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Opname(s)")
        uploader.locator('input[type="file"]').set_input_files(str(wrong))
        uploader.get_by_text("notitie.docx").wait_for(timeout=30000)
        assert uploader.get_by_role("alert").count() == 0  # taken by the browser
        page.locator('[data-testid="stForm"]').filter(has=uploader).get_by_role("button", name="Toevoegen").click()
        page.get_by_text("'notitie.docx' is geweigerd.", exact=False).first.wait_for(timeout=30000)
        assert english_on(page) == []
    finally:
        ctx.close()


def test_a_turn_number_out_of_range_is_answered_in_dutch(browser, app_url):
    """ "Van beurt" above the last turn: Streamlit's own check of a number input's bounds said
    "Error: Number is above the allowed range…"; the inputs send no bounds, the page says it in Dutch."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = ctx.new_page()
    try:
        login(page, app_url)
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Beoordelen").click()
        field = page.get_by_label("Van beurt")
        field.wait_for(timeout=60000)
        field.fill("12")
        field.press("Enter")
        page.get_by_text("Beurt 12 bestaat niet; dit gesprek heeft 2 beurten. Beurt 2 is gekozen.").wait_for(timeout=60000)
        settle(page)
        assert field.input_value() == "2"  # the turn the page took, as the warning says
        assert field.evaluate("el => el.validity.valid && el.getAttribute('aria-invalid') !== 'true'")
        assert english_on(page) == []
    finally:
        ctx.close()
