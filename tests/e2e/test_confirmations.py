"""Every destructive action asks first, in a real browser (#19.4): a tag, a library example and the
demo exams are deleted only after the confirmation (a conversation: see test_exam_management)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ksf_review.services import accounts, exams, library, tagging
from ksf_review.services import conversations as convs
from tests.conftest import library_doc, library_example, library_zip
from tests.e2e.test_examiner_loop import PASSWORD, login
from tests.e2e.test_library_page import with_env
from tests.e2e.test_undo import click_if_there, until

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
T = 60_000


def _admin(ctx):
    return accounts.authenticate(ctx, "beheerder", PASSWORD)


@pytest.fixture(scope="module")
def app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-confirm")
    env = {"KSF_DATA_DIR": str(data), "KSF_DEMO": "0", "KSF_WORKER": "0", "KSF_ADMIN_PASSWORD": PASSWORD}

    def seed(ctx):
        accounts.ensure_admin(ctx)
        admin = _admin(ctx)
        exam = exams.create_exam(ctx, admin, "Echte Kandidaat")
        chat = convs.add_text_conversation(
            ctx, admin, exam.id, "K: Ik ben verhuisd.\nM: Wat is uw klantnummer?", channel="chat", title="Adreswijziging"
        )
        tagging.add_tag(ctx, admin, chat.id, 0, 2, "1.2a", "+", "goede vraag")
        exams.create_exam(ctx, admin, "Demokandidaat (fictief)", is_demo=True)
        example = library_example(item="2", label="slecht", description="een voorbeeld", excerpt="medewerker: Dat mag ik niet zeggen.")
        library.import_zip(ctx, admin, library_zip(library_doc(example)))
        return exam.id, chat.id

    exam_id, chat_id = with_env(env, seed)
    return {"url": streamlit_server_module(ROOT / "app.py", env=env), "env": env, "exam": exam_id, "chat": chat_id}


def _tags(app):
    return with_env(app["env"], lambda ctx: tagging.list_tags(ctx, _admin(ctx), app["chat"]))


def _clips(app):
    return with_env(app["env"], lambda ctx: library.list_clips(ctx, _admin(ctx)))


def _candidates(app):
    return with_env(app["env"], lambda ctx: [e.candidate for e in exams.list_exams(ctx, _admin(ctx))])


def test_a_tag_is_deleted_only_after_the_confirmation_and_can_be_undone(page, app):
    login(page, app["url"])
    page.goto(f"{app['url']}/beoordelen?examen={app['exam']}&gesprek={app['chat']}")
    page.get_by_text("Markeringen (1)").wait_for(timeout=T)
    page.get_by_text("Bewerken", exact=True).first.click()
    delete = page.get_by_role("button", name="Verwijderen", exact=True)
    delete.wait_for(timeout=T)
    warning = page.get_by_text("Vink eerst 'Ja, deze markering verwijderen' aan; er is niets verwijderd.")
    until(click_if_there(delete), lambda: warning.count() > 0, "the form asks for the tick")
    assert len(_tags(app)) == 1
    sure = page.get_by_test_id("stCheckbox").filter(has_text="Ja, deze markering verwijderen")
    until(click_if_there(sure.get_by_text("Ja, deze markering verwijderen")), lambda: sure.locator("input").is_checked(), "the tick is set")
    until(click_if_there(delete), lambda: _tags(app) == [], "the tag is deleted")
    page.get_by_text("Markeringen (0)").wait_for(timeout=T)
    undo = page.get_by_role("button", name="Ongedaan maken")
    undo.wait_for(timeout=T)
    until(click_if_there(undo), lambda: len(_tags(app)) == 1, "the delete is undone")
    page.get_by_text("Markeringen (1)").wait_for(timeout=T)
    assert [t.note for t in _tags(app)] == ["goede vraag"]


def test_a_library_example_is_deleted_only_after_the_confirmation(page, app):
    login(page, app["url"])
    page.get_by_role("link", name="Bibliotheek").click()
    page.get_by_text("1 voorbeeld(en)").wait_for(timeout=T)
    page.get_by_text("Bewerken", exact=True).first.click()
    ask = page.get_by_role("button", name="Voorbeeld verwijderen")
    ask.wait_for(timeout=T)
    question = page.get_by_text("uit de bibliotheek verwijderen? Dit kan niet ongedaan worden gemaakt", exact=False)
    until(click_if_there(ask), lambda: question.count() > 0, "the question")
    expect(question).to_be_visible(timeout=T)
    assert len(_clips(app)) == 1  # nothing gone before the confirmation
    until(click_if_there(page.get_by_role("button", name="Annuleren")), lambda: question.count() == 0, "Annuleren closes the question")
    assert len(_clips(app)) == 1
    until(click_if_there(ask), lambda: question.count() > 0, "the question again")
    until(click_if_there(page.get_by_role("button", name="Ja, verwijderen")), lambda: _clips(app) == [], "the example is deleted")
    page.get_by_text("0 voorbeeld(en)").wait_for(timeout=T)
    assert _clips(app) == []


def test_the_demo_exams_are_deleted_only_after_the_confirmation(page, app):
    login(page, app["url"])
    page.get_by_text("Demogegevens", exact=True).click()
    ask = page.get_by_role("button", name="Demogegevens verwijderen")
    ask.wait_for(timeout=T)
    question = page.get_by_text("1 demo-examen(s) met hun gesprekken", exact=False)
    until(click_if_there(ask), lambda: question.count() > 0, "the question")
    expect(question).to_be_visible(timeout=T)
    assert "Demokandidaat (fictief)" in _candidates(app)  # nothing gone before the confirmation
    until(
        click_if_there(page.get_by_role("button", name="Ja, verwijderen")),
        lambda: "Demokandidaat (fictief)" not in _candidates(app),
        "the demo exam is deleted",
    )
    expect(page.get_by_text("1 demo-examen(s) verwijderd.")).to_be_visible(timeout=T)
    assert _candidates(app) == ["Echte Kandidaat"]
