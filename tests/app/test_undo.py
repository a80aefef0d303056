"""Undo the last tag change for a minute, and a confirmation before a tag is deleted (#19.4)."""

from ksf_review.services import tagging
from ksf_review.ui import undo
from tests.app.test_pages import page


def undo_button(at):
    return next((b for b in at.button if b.label.startswith("Ongedaan maken")), None)


def test_a_new_tag_can_be_undone_for_a_minute(seeded, ctx, user, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(undo, "clock", lambda: now[0])
    conv_id = seeded["audio"].id
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    assert undo_button(at) is None
    next(ms for ms in at.multiselect if ms.label == "Checklistitems").set_value(["1.1b", "1.3a"])
    at.button(key=f"FormSubmitter:tagform{conv_id}-0-Markering opslaan").click().run()
    assert len(tagging.list_tags(ctx, user, conv_id)) == 2
    assert "1.1b, 1.3a" in undo_button(at).label.replace("\\", "")  # escaped Markdown (ui.escape)
    undo_button(at).click().run()
    assert not at.exception
    assert tagging.list_tags(ctx, user, conv_id) == []
    assert any("Ongedaan gemaakt" in t.value.replace("\\", "") for t in at.toast)
    assert undo_button(at) is None
    # after a minute the button is gone and the tag stays
    next(ms for ms in at.multiselect if ms.label == "Checklistitems").set_value(["1.1b"])
    at.button(key=f"FormSubmitter:tagform{conv_id}-0-Markering opslaan").click().run()
    assert undo_button(at) is not None
    now[0] += 61
    at.run()
    assert undo_button(at) is None
    assert len(tagging.list_tags(ctx, user, conv_id)) == 1


def test_delete_asks_for_confirmation_and_can_be_undone(seeded, ctx, user):
    conv_id = seeded["audio"].id
    tag = tagging.add_tag(ctx, user, conv_id, 3.0, 5.0, "1.1b", "-", "eerste")
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
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
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    at.text_input(key=f"tag{tag.id}_note").input("tweede")
    at.text_input(key=f"tag{tag.id}_end").input("0:06.0")
    at.button(key=f"FormSubmitter:edit{tag.id}-Opslaan").click().run()
    assert (tagging.list_tags(ctx, user, conv_id)[0].note, tagging.list_tags(ctx, user, conv_id)[0].end) == ("tweede", 6.0)
    undo_button(at).click().run()
    assert not at.exception
    t = tagging.list_tags(ctx, user, conv_id)[0]
    assert (t.note, t.end) == ("eerste", 5.0)
