"""Bibliotheek in a real browser (issue 14.3, 14.14): pickers stay in step, saves show at once.

Two candidates' exams, each a chat with a tag. The curator picks the first candidate's tag,
switches exam: the conversation and tag pickers must follow (never a conversation of the
other candidate), the save stores the second candidate's passage, and the list shows it at
once. An imported zip is listed at once too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ksf_review.services import conversations as convs
from ksf_review.services import exams, library, tagging
from tests.conftest import library_doc, library_example, library_zip
from tests.e2e.conftest import (  # noqa: F401  (with_env: other tests import it here)
    admin_of,
    app_context,
    app_env,
    choose,
    login,
    picker,
    wait,
    with_env,
)

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SLOW = 120_000  # ms: the first preview loads the anonymiser in the server process


@pytest.fixture(scope="module")
def library_app(tmp_path_factory, streamlit_server_module):
    env = app_env(tmp_path_factory.mktemp("e2e-library"))
    with app_context(env) as ctx:
        admin = admin_of(ctx)
        for cand, text in (
            ("Anna Eerste", "K: Ik ben verhuisd naar Utrecht.\nM: Wat is uw klantnummer?"),
            ("Bram Tweede", "K: Mijn factuur klopt niet.\nM: Dat ga ik voor u nakijken."),
        ):
            exam = exams.create_exam(ctx, admin, cand)
            conv = convs.add_text_conversation(ctx, admin, exam.id, text, channel="chat", title=f"Chat {cand}")
            tagging.add_tag(ctx, admin, conv.id, 0, 2, "1.2a", "+", f"vraag {cand.split()[0]}")
    return streamlit_server_module(ROOT / "app.py", env=env), env


def stored_excerpts(env):
    with app_context(env) as ctx:
        return [c.excerpt for c in library.list_clips(ctx, admin_of(ctx))]


def shown(page, label) -> str:
    """What the picker shows: its value (an input in this Streamlit) or its placeholder."""
    box = picker(page, label)
    field = box.locator("input").first
    return " ".join([field.input_value(), field.get_attribute("placeholder") or "", box.inner_text()])


def test_pickers_follow_the_exam_and_saves_show_at_once(page, library_app, tmp_path):
    url, env = library_app
    login(page, url)
    page.get_by_role("link", name="Bibliotheek").click()
    page.get_by_role("heading", name="Voorbeeldbibliotheek").wait_for(timeout=30000)
    page.get_by_text("0 voorbeeld(en)").wait_for(timeout=30000)
    page.get_by_text("Voorbeeld toevoegen uit een markering").click()

    choose(page, "Examen", "Anna Eerste")
    wait(lambda: "Chat Anna Eerste" in shown(page, "Gesprek"), "Anna's conversation is offered")
    choose(page, "Markering", "vraag Anna")
    page.get_by_text("Voor en na anonimisering").wait_for(timeout=SLOW)

    choose(page, "Examen", "Bram Tweede")
    wait(
        lambda: "Chat Bram Tweede" in shown(page, "Gesprek"),
        "after switching exam the conversation picker shows the other candidate's conversation",
    )
    assert "Anna" not in shown(page, "Gesprek")
    assert "vraag Anna" not in shown(page, "Markering")
    choose(page, "Markering", "vraag Bram")
    page.get_by_text("factuur klopt niet").first.wait_for(timeout=SLOW)
    page.get_by_role("button", name="Opslaan in bibliotheek (alleen geanonimiseerd)").click()
    page.get_by_text("1 voorbeeld(en)").wait_for(timeout=30000)
    page.get_by_text(re.compile("Toegevoegd aan de bibliotheek")).wait_for(timeout=30000)
    [excerpt] = stored_excerpts(env)
    assert "factuur" in excerpt and "verhuisd" not in excerpt

    # a file that is no zip is refused by name (the uploader takes any file), then an import is listed at once
    wrong = tmp_path / "voorbeelden.txt"
    wrong.write_text("geen zip", encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(wrong))
    page.get_by_text("voorbeelden.txt").first.wait_for(timeout=30000)
    page.get_by_role("button", name="Importeren").click()
    page.get_by_text("'voorbeelden.txt' is geweigerd. Hier kan alleen een zipbestand worden toegevoegd (.zip).").wait_for(timeout=30000)
    example = library_example(item="2", label="slecht", description="geïmporteerd voorbeeld", excerpt="medewerker: Dat mag ik niet zeggen.")
    zipped = tmp_path / "voorbeelden.zip"
    zipped.write_bytes(library_zip(library_doc(example)))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(zipped))
    page.get_by_text("voorbeelden.zip").first.wait_for(timeout=30000)
    page.get_by_role("button", name="Importeren").click()
    page.get_by_text("2 voorbeeld(en)", exact=False).first.wait_for(timeout=30000)
    page.get_by_text("1 voorbeeld(en) geïmporteerd.").wait_for(timeout=30000)
    assert len(stored_excerpts(env)) == 2
