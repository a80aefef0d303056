"""Several items on one passage in one save (#19.2): one tag per item, all or none stored."""

import pytest

from ksf_review.services import tagging
from ksf_review.services.context import ServiceError
from tests.app.test_pages import page


def test_one_save_tags_the_passage_for_every_chosen_item(seeded, ctx, user):
    conv_id = seeded["audio"].id
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    next(ms for ms in at.multiselect if ms.label == "Toetstermen").set_value(["1.1b", "1.3a", "3.1"])
    next(r for r in at.radio if r.label == "Bewijs").set_value("-")
    next(t for t in at.text_input if t.label == "Notitie").input("samenvatting zonder controlevraag")
    at.button(key=f"FormSubmitter:tagform{conv_id}-0-Markering opslaan").click().run()
    assert not at.exception
    tags = tagging.list_tags(ctx, user, conv_id)
    assert sorted(t.item for t in tags) == ["1.1b", "1.3a", "3.1"]
    assert {(t.start, t.end, t.polarity, t.note) for t in tags} == {(tags[0].start, tags[0].end, "-", "samenvatting zonder controlevraag")}
    assert any("3 markeringen" in t.value.replace("\\", "") for t in at.toast)
    assert "Markeringen (3)" in "".join(m.value for m in at.markdown)
    # the form is emptied for the next passage
    assert next(ms for ms in at.multiselect if ms.label == "Toetstermen").value == []


def test_an_unknown_item_refuses_the_whole_save(seeded, ctx, user):
    conv_id = seeded["audio"].id
    with pytest.raises(ServiceError, match="Onbekende toetsterm"):
        tagging.add_tags(ctx, user, conv_id, 1.0, 2.0, ["1.1b", "9.9z"], "+")
    assert tagging.list_tags(ctx, user, conv_id) == []
    with pytest.raises(ServiceError, match="minstens één"):
        tagging.add_tags(ctx, user, conv_id, 1.0, 2.0, [], "+")
    made = tagging.add_tags(ctx, user, conv_id, 1.0, 2.0, ["1.1b", "1.1b", "1.2a"], "+")
    assert [t.item for t in made] == ["1.1b", "1.2a"]
