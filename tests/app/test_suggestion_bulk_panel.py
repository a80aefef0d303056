"""Suggesties tab (#19.3): all suggestions of one item accepted, or all rejected, in one action;
rejected ones stay listed (collapsed) and can be put back."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import conversations as convs
from ksf_review.services import exams, tagging
from ksf_review.services import suggestions as sugg

ROOT = Path(__file__).resolve().parents[2]
CHAT = """K: Ik ben echt boos, ik heb al drie keer gebeld!
M: Als ik u goed begrijp wilt u dat de storing vandaag wordt opgelost, klopt dat?
K: Ja.
M: Als ik u goed begrijp wilt u ook een nieuwe meter, klopt dat?
K: Ja."""


def _page(user, exam_id, conv_id):
    at = AppTest.from_file(str(ROOT / "pages/beoordelen.py"), default_timeout=60)
    at.session_state["user"] = user
    at.session_state["exam_id"] = exam_id
    at.session_state["conversation_id"] = conv_id
    return at.run()


def test_accept_all_of_one_item_then_reject_the_rest_and_restore_one(ctx, user):
    exam = exams.create_exam(ctx, user, "Bulk")
    c = convs.add_text_conversation(ctx, user, exam.id, CHAT, channel="chat")
    before = sugg.proposals(ctx, user, c.id)
    n_summary = len(sugg.matching(before, item="1.1b"))
    assert n_summary == 2 and len(before) > n_summary
    at = _page(user, exam.id, c.id)
    assert not at.exception
    at.selectbox(key=f"suggbulkitem{c.id}").set_value("1.1b").run()
    at.button(key=f"suggbulkacc{c.id}").click().run()
    assert not at.exception
    assert sorted(t.item for t in tagging.list_tags(ctx, user, c.id)) == ["1.1b", "1.1b"]

    at.selectbox(key=f"suggbulkitem{c.id}").set_value(None).run()
    at.button(key=f"suggbulkrej{c.id}").click().run()
    assert sugg.proposals(ctx, user, c.id) == []
    gone = sugg.rejected(ctx, user, c.id)
    assert len(gone) == len(before) - n_summary
    assert any(e.label == f"Afgewezen suggesties ({len(gone)})" for e in at.expander)
    at.button(key=f"sback{c.id}{gone[0].key}").click().run()
    assert not at.exception
    assert [p.key for p in sugg.proposals(ctx, user, c.id)] == [gone[0].key]
