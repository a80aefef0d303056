"""Tag times shown and edited as m:ss.s (#19.5): typed times are read back, bad ones refused in Dutch."""

from ksf_review.services import tagging
from tests.app.test_pages import open_edit, page


def test_tag_times_are_edited_as_minutes_seconds_tenths(seeded, ctx, user):
    conv_id = seeded["audio"].id
    tag = tagging.add_tag(ctx, user, conv_id, 3.0, 5.25, "1.1b", "+", "eerste")
    at = open_edit(page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id), tag.id)
    k = f"tag{tag.id}"
    assert (at.text_input(key=f"{k}_start").value, at.text_input(key=f"{k}_end").value) == ("0:03.0", "0:05.2")
    assert any("0:03.0–0:05.2" in m.value for m in at.markdown)
    # a bad time: refused with a Dutch message, the typed text stays, nothing stored
    at.text_input(key=f"{k}_start").input("drie")
    at.button(key=f"FormSubmitter:edit{tag.id}-Opslaan").click().run()
    assert not at.exception
    assert any("geen tijd" in e.value and "1:02.5" in e.value for e in at.error)
    assert at.text_input(key=f"{k}_start").value == "drie"
    assert tagging.list_tags(ctx, user, conv_id)[0].start == 3.0
    # a decimal comma is fine; the stored time is the typed one
    at.text_input(key=f"{k}_start").input("0:02,5")
    at.text_input(key=f"{k}_end").input("0:06.1")
    at.button(key=f"FormSubmitter:edit{tag.id}-Opslaan").click().run()
    assert not at.exception
    stored = tagging.list_tags(ctx, user, conv_id)[0]
    assert (stored.start, stored.end) == (2.5, 6.1)
    assert (at.text_input(key=f"{k}_start").value, at.text_input(key=f"{k}_end").value) == ("0:02.5", "0:06.1")


def test_a_chat_tag_is_edited_in_turns_not_in_seconds(seeded, ctx, user):
    """A chat's tag spans turns (beurt 1–2 is stored as 0–2): its edit form shows and reads
    turn numbers as the list does, not 0:00.0–0:02.0 as if the chat were a recording."""
    conv_id = seeded["chat"].id
    tag = tagging.add_tag(ctx, user, conv_id, 0.0, 2.0, "1.1b", "+", "beide beurten")
    at = open_edit(page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id), tag.id)
    k = f"tag{tag.id}"
    start, end = at.text_input(key=f"{k}_start"), at.text_input(key=f"{k}_end")
    assert (start.label, end.label) == ("Van beurt", "Tot en met beurt")
    assert (start.value, end.value) == ("1", "2")
    # only the second turn: stored as 1–2, shown as such
    start.input("2")
    at.button(key=f"FormSubmitter:edit{tag.id}-Opslaan").click().run()
    assert not at.exception
    stored = tagging.list_tags(ctx, user, conv_id)[0]
    assert (stored.start, stored.end) == (1.0, 2.0)
    assert (at.text_input(key=f"{k}_start").value, at.text_input(key=f"{k}_end").value) == ("2", "2")
    # a word or a turn outside the chat: refused in Dutch, nothing stored
    at.text_input(key=f"{k}_end").input("twee")
    at.button(key=f"FormSubmitter:edit{tag.id}-Opslaan").click().run()
    assert any("beurtnummer" in e.value for e in at.error)
    at.text_input(key=f"{k}_end").input("3")
    at.button(key=f"FormSubmitter:edit{tag.id}-Opslaan").click().run()
    assert at.error
    assert (tagging.list_tags(ctx, user, conv_id)[0].start, tagging.list_tags(ctx, user, conv_id)[0].end) == (1.0, 2.0)
