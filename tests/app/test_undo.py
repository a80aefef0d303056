"""Undo the last tag change, score or correction for a minute, and a confirmation before a tag
is deleted (#19.4)."""

from ksf_review.services import scoring, tagging
from ksf_review.services import suggestions as sugg
from ksf_review.services import transcript_edits as edits
from ksf_review.services.users import get_or_create_user
from ksf_review.ui import undo
from tests.app.test_pages import open_edit, page


def undo_button(at):
    return next((b for b in at.button if b.label.startswith("Ongedaan maken")), None)


def test_a_new_tag_can_be_undone_for_a_minute(seeded, ctx, user, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(undo, "clock", lambda: now[0])
    conv_id = seeded["audio"].id
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    assert undo_button(at) is None
    next(ms for ms in at.multiselect if ms.label == "Toetstermen").set_value(["1.1b", "1.3a"])
    at.button(key=f"FormSubmitter:tagform{conv_id}-0-Markering opslaan").click().run()
    assert len(tagging.list_tags(ctx, user, conv_id)) == 2
    assert "1.1b, 1.3a" in undo_button(at).label.replace("\\", "")  # escaped Markdown (ui.escape)
    undo_button(at).click().run()
    assert not at.exception
    assert tagging.list_tags(ctx, user, conv_id) == []
    assert any("Ongedaan gemaakt" in t.value.replace("\\", "") for t in at.toast)
    assert undo_button(at) is None
    # after a minute the button is gone and the tag stays
    next(ms for ms in at.multiselect if ms.label == "Toetstermen").set_value(["1.1b"])
    at.button(key=f"FormSubmitter:tagform{conv_id}-0-Markering opslaan").click().run()
    assert undo_button(at) is not None
    now[0] += 61
    at.run()
    assert undo_button(at) is None
    assert len(tagging.list_tags(ctx, user, conv_id)) == 1


def test_delete_asks_for_confirmation_and_can_be_undone(seeded, ctx, user):
    conv_id = seeded["audio"].id
    tag = tagging.add_tag(ctx, user, conv_id, 3.0, 5.0, "1.1b", "-", "eerste")
    at = open_edit(page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id), tag.id)
    at.button(key=f"FormSubmitter:edit{tag.id}-Verwijderen").click().run()
    assert any("niets verwijderd" in w.value for w in at.warning)
    assert len(tagging.list_tags(ctx, user, conv_id)) == 1
    at.checkbox(key=f"tag{tag.id}_sure").check()
    at.button(key=f"FormSubmitter:edit{tag.id}-Verwijderen").click().run()
    assert tagging.list_tags(ctx, user, conv_id) == []
    undo_button(at).click().run()
    assert not at.exception
    back = tagging.list_tags(ctx, user, conv_id)
    assert [(t.item, t.polarity, t.note, t.start, t.end) for t in back] == [("1.1b", "-", "eerste", 3.0, 5.0)]


def test_an_edit_can_be_undone(seeded, ctx, user):
    conv_id = seeded["audio"].id
    tag = tagging.add_tag(ctx, user, conv_id, 3.0, 5.0, "1.1b", "+", "eerste")
    at = open_edit(page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id), tag.id)
    at.text_input(key=f"tag{tag.id}_note").input("tweede")
    at.text_input(key=f"tag{tag.id}_end").input("0:06.0")
    at.button(key=f"FormSubmitter:edit{tag.id}-Opslaan").click().run()
    assert (tagging.list_tags(ctx, user, conv_id)[0].note, tagging.list_tags(ctx, user, conv_id)[0].end) == ("tweede", 6.0)
    undo_button(at).click().run()
    assert not at.exception
    t = tagging.list_tags(ctx, user, conv_id)[0]
    assert (t.note, t.end) == ("eerste", 5.0)


def test_a_score_can_be_undone_on_the_checklist(seeded, ctx, user):
    exam_id = seeded["exam"].id
    at = page("pages/checklist.py", user, exam_id=exam_id)
    assert undo_button(at) is None
    at.radio(key=f"score_{exam_id}_1.1a").set_value("behaald").run()
    at.radio(key=f"score_{exam_id}_1.1a").set_value("niet_behaald").run()
    assert scoring.get_scores(ctx, user, exam_id)["1.1a"].status == "niet_behaald"
    assert "score 1.1a" in undo_button(at).label.replace("\\", "")
    undo_button(at).click().run()
    assert not at.exception and not at.error
    assert scoring.get_scores(ctx, user, exam_id)["1.1a"].status == "behaald"
    assert at.radio(key=f"score_{exam_id}_1.1a").value == "behaald"  # the page shows what is stored
    assert undo_button(at) is None
    # the tag undo belongs to the conversation, not to the checklist
    tagging_page = page("pages/beoordelen.py", user, exam_id=exam_id, conversation_id=seeded["audio"].id)
    assert undo_button(tagging_page) is None


def test_the_undo_of_a_score_a_colleague_changed_since_is_refused(seeded, ctx, user):
    exam_id = seeded["exam"].id
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    at = page("pages/checklist.py", user, exam_id=exam_id)
    at.radio(key=f"score_{exam_id}_1.1a").set_value("behaald").run()
    mine = scoring.get_scores(ctx, user, exam_id)["1.1a"]
    scoring.set_item_score(ctx, coord, exam_id, "1.1a", "niet_behaald", expected_version=mine.version)
    undo_button(at).click().run()
    assert not at.exception
    assert any("Niet ongedaan gemaakt" in e.value and "niets overschreven" in e.value for e in at.error)
    assert scoring.get_scores(ctx, user, exam_id)["1.1a"].status == "niet_behaald"


def test_a_transcript_correction_can_be_undone(seeded, ctx, user):
    conv_id = seeded["audio"].id
    original = edits.segment_details(ctx, user, conv_id)[0].text
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    at.text_area(key=f"seg{conv_id}_0_text").input("Goedemiddag, u spreekt met Jan.")
    at.button(key=f"FormSubmitter:segedit{conv_id}-Correctie opslaan (tijden blijven gelijk)").click().run()
    assert edits.segment_details(ctx, user, conv_id)[0].text == "Goedemiddag, u spreekt met Jan."
    assert "correctie regel 1" in undo_button(at).label.replace("\\", "")
    undo_button(at).click().run()
    assert not at.exception and not at.error
    assert edits.segment_details(ctx, user, conv_id)[0].text == original
    assert at.text_area(key=f"seg{conv_id}_0_text").value == original


def test_an_accepted_suggestion_can_be_undone(seeded, ctx, user):
    conv_id = seeded["audio"].id
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    first = sugg.proposals(ctx, user, conv_id)[0]
    at.button(key=f"sa{conv_id}{first.key}").click().run()
    assert [t.origin for t in tagging.list_tags(ctx, user, conv_id)] == ["suggestion-accepted"]
    assert f"suggestie {first.suggestion.item} geaccepteerd" in undo_button(at).label.replace("\\", "")
    undo_button(at).click().run()
    assert not at.exception and not at.error
    assert tagging.list_tags(ctx, user, conv_id) == []
    assert [b for b in at.button if b.key == f"sa{conv_id}{first.key}"]  # proposed again, on the page


def test_a_delete_keeps_a_tag_a_colleague_changed_since_the_page_showed_it(seeded, ctx, user):
    conv_id = seeded["audio"].id
    tag = tagging.add_tag(ctx, user, conv_id, 3.0, 5.0, "1.1b", "-", "eerste")
    at = open_edit(page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id), tag.id)
    colleague = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    tagging.update_tag(ctx, colleague, tag.id, tag.version, note="belangrijk bewijs")
    at.checkbox(key=f"tag{tag.id}_sure").check()
    at.button(key=f"FormSubmitter:edit{tag.id}-Verwijderen").click().run()
    assert not at.exception
    assert [t.note for t in tagging.list_tags(ctx, user, conv_id)] == ["belangrijk bewijs"]  # not deleted over it
    assert any("Iemand anders heeft dit intussen gewijzigd" in e.value for e in at.error)
    assert at.text_input(key=f"tag{tag.id}_note").value == "belangrijk bewijs"  # the stored value is shown
    at.checkbox(key=f"tag{tag.id}_sure").check()
    at.button(key=f"FormSubmitter:edit{tag.id}-Verwijderen").click().run()  # now seen: it may go
    assert tagging.list_tags(ctx, user, conv_id) == []
