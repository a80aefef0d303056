"""#14.9: a tag's edit form is built only when the examiner opens it, not for every tag on
every rerun of the tag panel (20 collapsed forms were half of a tag save's server time)."""

from streamlit.testing.v1 import AppTest

from ksf_review.services import tagging
from tests.app.conftest import open_review
from tests.app.test_pages import open_edit


def _edit_forms(at: AppTest) -> set[int]:
    keys = [w.key for w in at.text_input if w.key and w.key.endswith("_note")]
    return {int(k[3:-5]) for k in keys if k[3:-5].isdigit()}  # tag{id}_note, not the new-tag form's


def test_edit_forms_are_built_only_for_the_opened_tag(seeded, ctx, user):
    conv = seeded["audio"]
    tags = [tagging.add_tag(ctx, user, conv.id, 0.5 * i, 0.5 * i + 0.4, "1.1b", "+", f"notitie {i}") for i in range(6)]
    at = open_review(user, seeded["exam"].id, conv.id)
    assert len([e for e in at.expander if e.label == "Bewerken"]) == 6
    assert _edit_forms(at) == set()  # collapsed: no form built
    open_edit(at, tags[2].id)
    assert not at.exception
    assert _edit_forms(at) == {tags[2].id}
    assert at.text_input(key=f"tag{tags[2].id}_note").value == "notitie 2"
    at.text_input(key=f"tag{tags[2].id}_note").input("gewijzigd")
    at.button(key=f"FormSubmitter:edit{tags[2].id}-Opslaan").click().run()
    assert not at.exception
    assert [t.note for t in tagging.list_tags(ctx, user, conv.id)][2] == "gewijzigd"
    assert _edit_forms(at) == {tags[2].id}  # still open after the save, showing what is stored
    assert at.text_input(key=f"tag{tags[2].id}_note").value == "gewijzigd"
