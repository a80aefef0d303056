"""#14.9: a score click reruns its own item and the verdict (fragments), not the whole checklist page."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import scoring
from ksf_review.ui.checklist import VERDICT_FRAGMENT, item_fragment

ROOT = Path(__file__).resolve().parents[2]


def test_score_click_reruns_its_item_and_the_verdict_only(seeded, ctx, user, recorded):
    exam_id = seeded["exam"].id
    codes = [i.code for i in scoring.exam_rubric(ctx, exam_id).items]
    at = AppTest.from_file(str(ROOT / "pages/checklist.py"), default_timeout=30)
    at.session_state["user"] = user
    at.session_state["exam_id"] = exam_id
    at.run()
    assert not at.exception
    # every item is its own fragment, and so is the verdict box
    assert recorded["fragments"] == [item_fragment(exam_id, c) for c in codes] + [VERDICT_FRAGMENT]

    recorded["reruns"].clear()
    at.radio(key=f"score_{exam_id}_1.1a").set_value("behaald").run()
    assert not at.exception
    assert recorded["reruns"][0] == [item_fragment(exam_id, "1.1a"), VERDICT_FRAGMENT]
    assert scoring.get_scores(ctx, user, exam_id)["1.1a"].status == "behaald"
    at.radio(key=f"score_{exam_id}_1.1a").set_value("niet_behaald").run()  # a second click on the same item
    assert not at.exception and not at.error
    assert scoring.get_scores(ctx, user, exam_id)["1.1a"].status == "niet_behaald"
