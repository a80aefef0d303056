"""A file of the wrong type in an upload field is refused by name, in Dutch (#14.11 follow-up).

Streamlit's uploader used to filter by type in the browser: a dropped .txt never reached the
server, and *Toevoegen* then said "Kies eerst een bestand." to someone who had just chosen one.
Now every field takes the file and the page says which file was refused and which types it takes.
A file above the size limit is still kept by the browser: its chip says so in Dutch, and the page
says no file arrived and what the limit is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from tests.e2e.conftest import admin_of, app_context, app_env, login

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
T = 60000


@pytest.fixture(scope="module")
def app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-upload-refusals")
    env = app_env(data)
    with app_context(env) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "Upload Kandidaat")
        url = streamlit_server_module(ROOT / "app.py", env=env, args=("--server.maxUploadSize", "1"))  # MB
        yield {"url": url, "ctx": ctx, "admin": admin, "exam": exam}


def _stored(app) -> list[str]:
    return [c.title for c in convs.list_conversations(app["ctx"], app["admin"], app["exam"].id)]


def _form(page, name: str):
    return page.locator('[data-testid="stForm"]').filter(has=page.get_by_text(name, exact=True))


def test_a_text_file_as_recording_is_refused_by_name(page, app, tmp_path):
    wrong = tmp_path / "notities.txt"
    wrong.write_text("K: dit is geen opname\n", encoding="utf-8")
    login(page, app["url"])
    page.get_by_role("tab", name=re.compile("Opname uploaden")).click()
    form = _form(page, "Opname(s)")
    form.locator('input[type="file"]').set_input_files(str(wrong))
    expect(form.get_by_text("notities.txt")).to_be_visible(timeout=T)
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("'notities.txt' is geweigerd. Hier kan alleen een opname worden toegevoegd: WAV, MP3")).to_be_visible(timeout=T)
    expect(page.get_by_text(".wav, .mp3", exact=False).first).to_be_visible()
    expect(page.get_by_text("Kies eerst een bestand")).to_have_count(0)
    expect(page.get_by_text("Er is geen opname ontvangen")).to_have_count(0)
    assert _stored(app) == []


def test_a_recording_above_the_size_limit_is_named_not_asked_for_again(page, app, tmp_path):
    """The browser itself keeps a file above server.maxUploadSize: the server never receives it."""
    big = tmp_path / "groot.wav"
    big.write_bytes(b"RIFF" + bytes(1_600_000))
    login(page, app["url"])
    page.get_by_role("tab", name=re.compile("Opname uploaden")).click()
    form = _form(page, "Opname(s)")
    form.locator('input[type="file"]').set_input_files(str(big))
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("Dit bestand is te groot: hoogstens", timeout=T)
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Er is geen opname ontvangen.", exact=False)).to_be_visible(timeout=T)
    expect(page.get_by_text("hoogstens 1 MB per bestand", exact=False).first).to_be_visible()
    expect(page.get_by_text("Kies eerst een bestand")).to_have_count(0)
    expect(page.get_by_text("File must be", exact=False)).to_have_count(0)
    assert _stored(app) == []


def test_a_pdf_as_chat_text_is_refused_by_name(page, app, tmp_path):
    wrong = tmp_path / "verslag.pdf"
    wrong.write_bytes(b"%PDF-1.4\n% geen tekst\n")
    login(page, app["url"])
    page.get_by_role("tab", name=re.compile("Chat of e-mail")).click()
    form = _form(page, "… of een tekstbestand")
    form.locator('input[type="file"]').set_input_files(str(wrong))
    expect(form.get_by_text("verslag.pdf")).to_be_visible(timeout=T)
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("'verslag.pdf' is geweigerd. Hier kan alleen een tekstbestand worden toegevoegd")).to_be_visible(timeout=T)
    expect(form.get_by_text("verslag.pdf")).to_be_visible()  # still in the form, nothing lost
    assert _stored(app) == []


def test_a_text_file_as_exams_zip_is_refused_by_name(page, app, tmp_path):
    wrong = tmp_path / "kandidaten.csv"
    wrong.write_text("kandidaat;bestand\nA;a.wav\n", encoding="utf-8")
    login(page, app["url"])
    page.get_by_text("Meerdere examens uit een zip").click()
    form = _form(page, "Zipbestand")
    form.locator('input[type="file"]').set_input_files(str(wrong))
    expect(form.get_by_text("kandidaten.csv")).to_be_visible(timeout=T)
    form.get_by_role("button", name="Examens aanmaken").click()
    expect(page.get_by_text("'kandidaten.csv' is geweigerd. Hier kan alleen een zipbestand worden toegevoegd (.zip).")).to_be_visible(
        timeout=T
    )
    expect(page.get_by_text("Kies eerst een zipbestand")).to_have_count(0)
