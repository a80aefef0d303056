"""Managing exams in a real browser (#19.9, #19.10): rename a conversation, delete it only after
the confirmation, and make exams from a zip of recordings plus a CSV of candidates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from tests.conftest import make_wav
from tests.e2e.conftest import admin_of, app_context, app_env, login

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
T = 60000


@pytest.fixture(scope="module")
def app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-manage")
    env = app_env(data)
    with app_context(env) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "Beheer Kandidaat")
        chat = convs.add_text_conversation(ctx, admin, exam.id, "K: Hallo\nM: Goedemiddag", channel="chat", title="Oude naam")
        convs.add_text_conversation(ctx, admin, exam.id, "K: Nog een\nM: Zeker", channel="e-mail", title="Blijft")
        url = streamlit_server_module(ROOT / "app.py", env=env)
        yield {"url": url, "ctx": ctx, "admin": admin, "exam": exam, "chat": chat, "data": data}


def _titles(app):
    return [c.title for c in convs.list_conversations(app["ctx"], app["admin"], app["exam"].id)]


def test_rename_then_delete_a_conversation_after_confirmation(page, app):
    login(page, app["url"])
    page.get_by_text("Examen beheren").click()  # the toggle
    name = page.get_by_label("Nieuwe naam van het gesprek")
    expect(name).to_have_value("Oude naam", timeout=T)
    name.fill("Adreswijziging")
    name.press("Tab")  # the value reaches the server; then the button
    page.get_by_role("button", name="Naam van het gesprek opslaan").click(timeout=T)
    expect(page.get_by_text("Adreswijziging").first).to_be_visible(timeout=T)
    expect(page.get_by_label("Te beheren gesprek")).to_have_value("Adreswijziging", timeout=T)
    assert "Adreswijziging" in _titles(app)

    page.get_by_role("button", name="Gesprek verwijderen").click()
    expect(page.get_by_role("button", name="Ja, verwijderen")).to_be_visible(timeout=T)
    expect(page.get_by_text("Adreswijziging' verwijderen", exact=False)).to_be_visible(timeout=T)
    assert "Adreswijziging" in _titles(app)  # nothing gone before the confirmation
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_role("button", name="Ja, verwijderen")).to_have_count(0, timeout=T)
    assert _titles(app) == ["Blijft"]


def test_zip_with_csv_makes_one_exam_per_candidate(page, app, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("kandidaten.csv", "kandidaat;bestand;titel\nZip Eén;een.wav;Storing\nZip Twee;twee.wav;\nZip Twee;kapot.wav;\n")
        zf.writestr("een.wav", make_wav(tmp_path / "1.wav", seconds=1, freq=300).read_bytes())
        zf.writestr("twee.wav", make_wav(tmp_path / "2.wav", seconds=1, freq=500).read_bytes())
        zf.writestr("kapot.wav", b"geen audio")
    zipped = tmp_path / "examens.zip"
    zipped.write_bytes(buf.getvalue())
    login(page, app["url"])
    page.get_by_text("Meerdere examens uit een zip").click()
    page.locator('[data-testid="stExpander"]').filter(has_text="Meerdere examens uit een zip").locator(
        'input[type="file"]'
    ).set_input_files(str(zipped))
    expect(page.get_by_text("examens.zip")).to_be_visible(timeout=T)
    page.get_by_role("button", name="Examens aanmaken").click()
    expect(page.get_by_text("2 examen(s) met samen 2 gesprek(ken) aangemaakt; 1 geweigerd")).to_be_visible(timeout=T)
    expect(page.get_by_text("Geweigerd of overgeslagen", exact=True)).to_be_visible(timeout=T)
    names = {e.candidate for e in exams.list_exams(app["ctx"], app["admin"])}
    assert {"Zip Eén", "Zip Twee"} <= names


def test_the_export_button_shows_its_whole_label(page, app):
    """ "Scores exporteren (alle 2 getoonde)" was cut to "Scores exporteren (alle 2 get…" in a
    quarter-width column: the examiner could not read which exams it exports."""
    login(page, app["url"])
    button = page.locator('[data-testid="stPopover"] button').filter(has_text="Scores exporteren")
    button.wait_for(timeout=T)
    cut = button.evaluate("(b) => [...b.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
    assert cut == []
