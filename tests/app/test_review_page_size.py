"""#14.9: the review page draws one page of tags and suggestions, not every one of them on every rerun."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import tagging
from tests.app.conftest import open_review

ROOT = Path(__file__).resolve().parents[2]


def test_long_tag_list_is_paged(seeded, ctx, user):
    conv = seeded["audio"]
    for i in range(45):
        tagging.add_tag(ctx, user, conv.id, 0.1 * i, 0.1 * i + 0.5, "1.1b", "+", f"notitie {i}")
    at = open_review(user, seeded["exam"].id, conv.id)
    edits = [e for e in at.expander if e.label == "Bewerken"]
    assert len(edits) == 20
    picker = at.selectbox(key=f"tagpage{conv.id}")
    picker.set_value(2).run()
    assert not at.exception
    assert len([e for e in at.expander if e.label == "Bewerken"]) == 5  # 41-45 of 45


def test_page_labels_stay_the_same_when_a_tag_is_added(seeded, ctx, user):
    """The page picker's labels do not depend on how many tags there are: Streamlit's selectbox
    keeps showing the old text of a chosen option whose label changed (after a save, 28
    markeringen were listed as "1–20 van 27" until the page was reloaded)."""
    conv = seeded["audio"]
    for i in range(27):
        tagging.add_tag(ctx, user, conv.id, 0.1 * i, 0.1 * i + 0.5, "1.1b", "+")
    at = AppTest.from_file(str(ROOT / "pages/beoordelen.py"), default_timeout=60)
    at.session_state["user"] = user
    at.session_state["exam_id"] = seeded["exam"].id
    at.session_state["conversation_id"] = conv.id
    at.run()
    before = list(at.selectbox(key=f"tagpage{conv.id}").options)
    tagging.add_tag(ctx, user, conv.id, 5.0, 5.5, "1.1b", "+")
    at.run()
    assert not at.exception
    assert any(m.value == "**Markeringen (28)**" for m in at.markdown)
    assert list(at.selectbox(key=f"tagpage{conv.id}").options) == before
