"""A save is confirmed or refused at once, and no form is emptied before its data is stored (issue 14.4)."""

from ksf_review.services import accounts, tagging
from tests.app.test_pages import open_edit, page


def test_refused_tag_keeps_the_form_and_a_saved_tag_is_confirmed(seeded, ctx, user):
    conv_id = seeded["audio"].id
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    note = next(t for t in at.text_input if t.label == "Notitie")
    note.input("samenvatting met controlevraag")
    submit = f"FormSubmitter:tagform{conv_id}-0-Markering opslaan"
    at.button(key=submit).click().run()  # no item chosen: refused
    assert any("Kies een toetsterm" in e.value for e in at.error)
    assert next(t for t in at.text_input if t.label == "Notitie").value == "samenvatting met controlevraag"
    assert tagging.list_tags(ctx, user, conv_id) == []
    next(ms for ms in at.multiselect if ms.label == "Toetstermen").set_value(["1.1b"])
    at.button(key=submit).click().run()
    assert not at.exception
    assert [t.note for t in tagging.list_tags(ctx, user, conv_id)] == ["samenvatting met controlevraag"]
    toasts = [t.value.replace("\\", "") for t in at.toast]  # toasts are Markdown-escaped (ui.escape)
    assert any("Markering 1.1b" in t and "opgeslagen" in t for t in toasts), toasts
    # stored, so now the form is empty for the next tag
    assert next(t for t in at.text_input if t.label == "Notitie").value == ""
    assert next(ms for ms in at.multiselect if ms.label == "Toetstermen").value == []


def test_refused_account_keeps_the_form_and_a_created_one_is_confirmed(ctx, monkeypatch):
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
    at = page("pages/beheer.py", admin)
    field = {t.label: t for t in at.text_input}
    field["Gebruikersnaam"].input("fenna")
    field["Naam"].input("Fenna de Vries")
    field["Wachtwoord (minimaal 10 tekens)"].input("kort")
    next(b for b in at.button if b.label == "Account aanmaken").click().run()
    assert at.error, "a refused account says why"
    field = {t.label: t for t in at.text_input}
    assert (field["Gebruikersnaam"].value, field["Naam"].value) == ("fenna", "Fenna de Vries")
    field["Wachtwoord (minimaal 10 tekens)"].input("een-lang-wachtwoord-7")
    next(b for b in at.button if b.label == "Account aanmaken").click().run()
    assert not at.exception
    assert any("fenna" in t.value and "aangemaakt" in t.value for t in at.toast)
    assert {t.label: t for t in at.text_input}["Gebruikersnaam"].value == ""
    assert "fenna" in at.dataframe[0].value["Gebruikersnaam"].tolist()


def test_refused_calibration_session_keeps_the_form(seeded, ctx, user):
    from ksf_review.services.users import get_or_create_user

    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    for name in ("anna", "bert"):
        get_or_create_user(ctx, name, "examinator", name.capitalize())
    at = page("pages/kalibratie.py", coord)
    title = next(t for t in at.text_input if t.label == "Titel")
    title.input("Kalibratie december")
    next(b for b in at.button if b.label == "Sessie aanmaken").click().run()  # no participants
    assert any("twee examinatoren" in e.value for e in at.error)
    assert next(t for t in at.text_input if t.label == "Titel").value == "Kalibratie december"


def test_corrections_and_tag_edits_are_confirmed(seeded, ctx, user):
    from ksf_review.services import transcript_edits as edits

    conv_id = seeded["audio"].id
    tag = tagging.add_tag(ctx, user, conv_id, 3.0, 5.0, "1.1b", "+", "eerste")
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    text = next(t for t in at.text_area if t.label == "Tekst")
    text.input("Goedemiddag, u spreekt met Jan van Energie Plus!")
    next(b for b in at.button if b.label.startswith("Correctie opslaan")).click().run()
    assert not at.exception
    assert edits.segment_details(ctx, user, conv_id)[0].text == "Goedemiddag, u spreekt met Jan van Energie Plus!"
    assert any("Correctie opgeslagen" in t.value.replace("\\", "") for t in at.toast)
    open_edit(at, tag.id)
    at.text_input(key=f"tag{tag.id}_note").input("tweede")
    at.button(key=f"FormSubmitter:edit{tag.id}-Opslaan").click().run()
    assert tagging.list_tags(ctx, user, conv_id)[0].note == "tweede"
    assert any("Markering 1.1b bijgewerkt" in t.value.replace("\\", "") for t in at.toast)


def test_the_confirmation_names_the_stored_times_as_the_list_shows_them(seeded, ctx, user):
    """The toast after a save gives the passage as m:ss.s, like the form and the tag list (it
    said 0:53–0:59 for a tag listed as 0:54.0–0:59.7)."""
    from ksf_review.domain.tags import format_clock

    conv_id = seeded["audio"].id
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    next(ms for ms in at.multiselect if ms.label == "Toetstermen").set_value(["1.1b"])
    at.button(key=f"FormSubmitter:tagform{conv_id}-0-Markering opslaan").click().run()
    (tag,) = tagging.list_tags(ctx, user, conv_id)
    toasts = [t.value.replace("\\", "") for t in at.toast]
    assert any(f"({format_clock(tag.start)}–{format_clock(tag.end)})" in t for t in toasts), toasts
