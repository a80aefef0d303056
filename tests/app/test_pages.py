"""Every page through Streamlit's AppTest (custom components do not render here)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import scoring, tagging

TIMEOUT = 30
ROOT = Path(__file__).resolve().parents[2]


def page(path, user=None, **state):
    at = AppTest.from_file(str(ROOT / path), default_timeout=TIMEOUT)
    if user is not None:
        at.session_state["user"] = user
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def open_edit(at, tag_id: int):
    """Open a tag's "Bewerken" expander, as a click does: the tag panel reruns and builds its form
    (a collapsed one has none, #14.9)."""
    at.session_state[f"tagedit{tag_id}"] = True
    return at.run()


def test_app_entry_asks_for_login_then_shows_exams(seeded, monkeypatch):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.text_input[0].label == "Gebruikersnaam"
    at.text_input[0].input("beheerder")
    at.text_input[1].input("fout-wachtwoord")
    at.button[0].click().run()
    assert any("onjuist" in e.value for e in at.error)


def test_app_entry_logged_in(seeded, user):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["user"] = user
    at.run()
    assert not at.exception
    assert "Examens" in [t.value for t in at.title]


def test_exams_page_lists_and_creates(seeded, user):
    at = page("pages/examens.py", user)
    assert not at.exception
    df = at.dataframe[0].value
    assert "Sanne Test" in df["Kandidaat"].tolist()
    assert any("Jaarafrekening" in m.value for m in at.markdown)
    at.text_input[0].input("Nieuwe Kandidaat")
    at.button(key="FormSubmitter:nieuw_examen-Examen aanmaken").click().run()
    assert not at.exception
    assert any("Nieuwe Kandidaat" in s.value for s in at.success)


def test_exams_page_refuses_text_without_turns(seeded, user):
    at = page("pages/examens.py", user, exam_id=seeded["exam"].id)
    at.text_area[0].input("geen sprekers hier")
    at.button(key="FormSubmitter:add_text-Toevoegen").click().run()
    assert any("Geen gespreksbeurten" in e.value for e in at.error)


def test_exams_page_adds_chat(seeded, user):
    at = page("pages/examens.py", user, exam_id=seeded["exam"].id)
    at.text_area[0].input("K: Hoi\nM: Goedemiddag, waarmee kan ik u helpen?")
    at.button(key="FormSubmitter:add_text-Toevoegen").click().run()
    assert not at.exception
    assert any("toegevoegd" in s.value for s in at.success)


def test_exams_page_shows_a_job_stopped_after_three_attempts_with_a_retry_button(seeded, ctx, user, tmp_path):
    from ksf_review.services import conversations as convs
    from ksf_review.services import transcription_jobs as jobs
    from tests.conftest import make_wav

    c = convs.add_audio_conversation(
        ctx, user, seeded["exam"].id, "k.wav", make_wav(tmp_path / "k.wav", freq=250).read_bytes(), title="Klacht"
    )
    for _ in range(jobs.MAX_ATTEMPTS):  # its worker died during every attempt
        jobs.claim_next(ctx)
        jobs.resume_interrupted(ctx)
    jobs.run_pending(ctx)
    at = page("pages/examens.py", user, exam_id=seeded["exam"].id)
    assert not at.exception
    assert any("3 keer afgebroken" in e.value for e in at.error)
    retry = at.button(key=f"retry{c.id}")
    assert retry.label == "Opnieuw proberen"
    retry.click().run()
    assert not at.exception
    assert jobs.job_status(ctx, c.id).status == "queued"


def test_review_page_tags_a_segment(seeded, ctx, user):
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=seeded["audio"].id)
    assert not at.exception
    at.number_input(key=f"from{seeded['audio'].id}").set_value(3).run()  # the segment picker: turn 3 shows its text
    assert any("Als ik u goed begrijp" in cap.value for cap in at.caption)
    item_box = next(ms for ms in at.multiselect if ms.label == "Toetstermen")
    item_box.set_value(["1.1b"])
    at.text_input[0].input("samenvatting")
    at.button(key=f"FormSubmitter:tagform{seeded['audio'].id}-0-Markering opslaan").click().run()
    assert not at.exception
    tags = tagging.list_tags(ctx, user, seeded["audio"].id)
    assert [(t.item, t.polarity, t.note) for t in tags] == [("1.1b", "+", "samenvatting")]
    shown = "".join(m.value for m in at.markdown).replace("\\", "")  # md() escapes the dot
    assert "Markeringen (1)" in shown and "1.1b</span>" in shown  # the tag list (a fragment rerun) shows it


def test_review_page_text_conversation(seeded, user):
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=seeded["chat"].id)
    assert not at.exception
    at.number_input(key=f"from{seeded['chat'].id}").set_value(2).run()
    assert any("klantnummer" in cap.value for cap in at.caption)


def test_checklist_scores_and_verdict(seeded, ctx, user):
    exam_id = seeded["exam"].id
    tagging.add_tag(ctx, user, seeded["audio"].id, 5.5, 8.0, "1.1b", "+", "samenvatting")
    at = page("pages/checklist.py", user, exam_id=exam_id)
    assert not at.exception
    assert any("Onvolledig" in m.value for m in at.markdown)
    assert any("Jaarafrekening" in m.value for m in at.markdown)  # evidence shown with its item
    at.radio(key=f"score_{exam_id}_1.1a").set_value("niet_behaald").run()
    assert scoring.get_scores(ctx, user, exam_id)["1.1a"].status == "niet_behaald"
    for code in [i.code for i in scoring.exam_rubric(ctx, exam_id).items]:
        if code != "1.1a":
            scoring.set_item_score(ctx, user, exam_id, code, "behaald")
    at = page("pages/checklist.py", user, exam_id=exam_id)
    assert any("Geslaagd" in m.value for m in at.markdown)
    finalise = next(b for b in at.button if b.label == "Examen afronden")
    assert finalise.disabled  # warnings (scores without evidence) must be acknowledged first
    assert any("zonder bewijs" in m.value for m in at.markdown)
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == "Examen afronden").click().run()
    assert not at.exception
    assert any("afgerond en vergrendeld" in s.value for s in at.success)


def test_checklist_nvt_needs_reason(seeded, ctx, user):
    exam_id = seeded["exam"].id
    at = page("pages/checklist.py", user, exam_id=exam_id)
    at.radio(key=f"score_{exam_id}_3.2").set_value("nvt").run()
    assert any("n.v.t. telt pas mee met een reden" in w.value for w in at.warning)
    assert any("zonder reden" in w.value for w in at.warning)


def test_beheer_page_for_beheerder_only(ctx, user, monkeypatch):
    from ksf_review.services import accounts

    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
    at = page("pages/beheer.py", admin)
    assert not at.exception
    assert "beheerder" in at.dataframe[0].value["Gebruikersnaam"].tolist()
    at = page("pages/beheer.py", user)
    assert any("beheerder" in e.value for e in at.error)


def test_calibration_pages(seeded, ctx, user):
    from ksf_review.services import calibration as cal
    from ksf_review.services.users import get_or_create_user

    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    s = cal.create_session(ctx, coord, "Sessie A", [anna.id, bert.id], exam_id=seeded["exam"].id)
    at = page("pages/kalibratie.py", anna)
    assert not at.exception
    assert any("Checklist" in t.label for t in at.tabs)
    at.radio(key=f"cal{cal.my_assessment(ctx, anna, s.id)}_1.1a").set_value("behaald").run()
    assert cal.scores_of(ctx, anna, cal.my_assessment(ctx, anna, s.id))["1.1a"][0] == "behaald"
    at = page("pages/kalibratie.py", coord)
    assert not at.exception
    assert any("blind" in i.value for i in at.info)
    for who in (anna, bert):
        aid = cal.my_assessment(ctx, who, s.id)
        for code in [i.code for i in scoring.exam_rubric(ctx, seeded["exam"].id).items]:
            cal.set_score(ctx, who, aid, code, "behaald" if who is anna or code != "3.1" else "niet_behaald")
        cal.submit(ctx, who, aid)
    cal.reveal(ctx, coord, s.id)
    at = page("pages/kalibratie.py", coord)
    assert not at.exception
    assert any("Krippendorff" in m.label for m in at.metric)


def test_library_page(seeded, ctx, user):
    from ksf_review.services import library
    from ksf_review.services.users import get_or_create_user

    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    tag = tagging.add_tag(ctx, user, seeded["chat"].id, 0, 2, "1.2a", "+", "open vraag")
    library.promote(ctx, coord, tag.id, description="Open vraag naar klantnummer")
    at = page("pages/bibliotheek.py", coord)
    assert not at.exception
    assert any("1 voorbeeld" in m.value for m in at.markdown)
    assert any("klantnummer" in c.value for c in at.code)
    at = page("pages/bibliotheek.py", user)  # examinator: read-only
    assert not at.exception and not at.expander
