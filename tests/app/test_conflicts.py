"""Two sessions edit the same score, tag or transcript line (issue #15.7, #14.12).

A save from a stale page is refused with a message, the widget then shows the stored value,
and a further save is refused again until that value was on the examiner's screen.
"""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import scoring, tagging
from ksf_review.services import transcript_edits as edits
from ksf_review.services.users import get_or_create_user
from ksf_review.ui.conflicts import MESSAGE
from tests.app.test_pages import open_edit

ROOT = Path(__file__).resolve().parents[2]


def page(path, user, **state):
    at = AppTest.from_file(str(ROOT / path), default_timeout=30)
    at.session_state["user"] = user
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def refused(at) -> bool:
    return any(MESSAGE in e.value for e in at.error)


def test_stale_checklist_comment_is_refused_until_seen(seeded, ctx, user):
    exam_id = seeded["exam"].id
    other = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    key = f"comment_{exam_id}_1.1a"
    a = page("pages/checklist.py", user, exam_id=exam_id)
    b = page("pages/checklist.py", other, exam_id=exam_id)
    a.text_input(key=key).input("opmerking van A").run()
    assert scoring.get_scores(ctx, user, exam_id)["1.1a"].comment == "opmerking van A"

    b.text_input(key=key).input("opmerking van B").run()  # B's page still shows the empty comment
    assert refused(b)
    assert b.text_input(key=key).value == "opmerking van A"  # the stored value, not B's stale one
    assert scoring.get_scores(ctx, user, exam_id)["1.1a"].comment == "opmerking van A"

    a.text_input(key=key).input("A, tweede keer").run()  # meanwhile A changes it again
    b.text_input(key=key).input("opmerking van A, aangevuld door B").run()
    assert refused(b)  # B saw "opmerking van A", not "A, tweede keer": refused again
    assert b.text_input(key=key).value == "A, tweede keer"
    b.text_input(key=key).input("A, tweede keer, en B").run()  # now B has seen the current value
    assert not refused(b)
    assert scoring.get_scores(ctx, user, exam_id)["1.1a"].comment == "A, tweede keer, en B"
    assert b.text_input(key=key).value == "A, tweede keer, en B"


def test_stale_score_click_is_refused_and_shows_stored_score(seeded, ctx, user):
    exam_id = seeded["exam"].id
    key = f"score_{exam_id}_3.1"
    a = page("pages/checklist.py", user, exam_id=exam_id)
    b = page("pages/checklist.py", user, exam_id=exam_id)  # the same examiner in a second tab
    a.radio(key=key).set_value("behaald").run()
    b.radio(key=key).set_value("niet_behaald").run()
    assert refused(b)
    assert b.radio(key=key).value == "behaald"
    assert scoring.get_scores(ctx, user, exam_id)["3.1"].status == "behaald"
    b.radio(key=key).set_value("niet_behaald").run()
    assert not refused(b)
    assert scoring.get_scores(ctx, user, exam_id)["3.1"].status == "niet_behaald"


def _edit_tag(at, tag_id: int, note: str):
    at.text_input(key=f"tag{tag_id}_note").input(note)
    return at.button(key=f"FormSubmitter:edit{tag_id}-Opslaan").click().run()


def test_stale_tag_edit_is_refused_until_seen(seeded, ctx, user):
    conv_id = seeded["audio"].id
    tag = tagging.add_tag(ctx, user, conv_id, 5.5, 8.0, "1.1b", "+", "eerste")
    state = dict(exam_id=seeded["exam"].id, conversation_id=conv_id)
    a = open_edit(page("pages/beoordelen.py", user, **state), tag.id)
    b = open_edit(page("pages/beoordelen.py", user, **state), tag.id)  # both forms show version 1
    _edit_tag(a, tag.id, "notitie van A")
    _edit_tag(b, tag.id, "notitie van B")
    assert refused(b)
    assert b.text_input(key=f"tag{tag.id}_note").value == "notitie van A"
    assert tagging.list_tags(ctx, user, conv_id)[0].note == "notitie van A"
    _edit_tag(b, tag.id, "notitie van A en B")
    assert not refused(b)
    assert tagging.list_tags(ctx, user, conv_id)[0].note == "notitie van A en B"


def _correct(at, conv_id: int, text: str):
    at.text_area(key=f"seg{conv_id}_0_text").input(text)
    return at.button(key=f"FormSubmitter:segedit{conv_id}-Correctie opslaan (tijden blijven gelijk)").click().run()


def test_stale_transcript_correction_is_refused_until_seen(seeded, ctx, user):
    conv_id = seeded["audio"].id
    state = dict(exam_id=seeded["exam"].id, conversation_id=conv_id)
    a = page("pages/beoordelen.py", user, **state)
    b = page("pages/beoordelen.py", user, **state)
    _correct(a, conv_id, "Goedemiddag, u spreekt met Jan van Energie Plus (A).")
    _correct(b, conv_id, "Goedemiddag, u spreekt met Jan van Energie Plus (B).")
    assert refused(b)
    assert b.text_area(key=f"seg{conv_id}_0_text").value.endswith("(A).")
    assert edits.segment_details(ctx, user, conv_id)[0].text.endswith("(A).")
    _correct(b, conv_id, "Goedemiddag, u spreekt met Jan van Energie Plus (A en B).")
    assert not refused(b)
    assert edits.segment_details(ctx, user, conv_id)[0].text.endswith("(A en B).")
