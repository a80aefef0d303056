"""Chat/e-mail in the pages: a preview of doubtful lines before import, and paging of long chats."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import conversations as convs
from ksf_review.services import tagging

ROOT = Path(__file__).resolve().parents[2]


def page(path, user, **state):
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.session_state["user"] = user
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def _titles(ctx, user, exam_id):
    return [c.title for c in convs.list_conversations(ctx, user, exam_id)]


def test_unknown_prefix_is_shown_with_its_line_before_import(seeded, ctx, user):
    exam_id = seeded["exam"].id
    doubtful = "K: Ik bel voor mijn man.\nJan: Ik ben de partner.\nM: Dan heb ik zijn toestemming nodig."
    at = page("pages/examens.py", user, exam_id=exam_id)
    at.text_input(key="text_title").input("Partnerchat")
    at.text_area(key="text_body").input(doubtful)
    at.button(key="FormSubmitter:add_text-Toevoegen").click().run()
    assert not at.exception
    assert "Partnerchat" not in _titles(ctx, user, exam_id)  # nothing stored yet
    assert any("niet duidelijk een beurt" in w.value for w in at.warning)
    assert any(t.value.startswith("Regel 2: “Jan: Ik ben de partner.”") for t in at.text)
    at.button(key="text_edit").click().run()  # back to the text, to correct it
    assert at.text_area(key="text_body").value == doubtful
    assert at.text_input(key="text_title").value == "Partnerchat"
    at.text_input(key="text_title").input("Partnerchat")  # AppTest sends only values it typed itself
    at.text_area(key="text_body").input(doubtful.replace("Jan:", "K:"))
    at.button(key="FormSubmitter:add_text-Toevoegen").click().run()
    assert any("'Partnerchat' toegevoegd" in s.value for s in at.success)
    assert not at.warning

    at.text_input(key="text_title").input("Zoals het is")
    at.text_area(key="text_body").input(doubtful)
    at.button(key="FormSubmitter:add_text-Toevoegen").click().run()
    assert "Zoals het is" not in _titles(ctx, user, exam_id)
    at.button(key="text_confirm").click().run()  # or import it as it is
    assert not at.exception
    assert any("'Zoals het is' toegevoegd" in s.value for s in at.success)
    assert _titles(ctx, user, exam_id).count("Zoals het is") == 1 and not at.warning


def test_oversize_chat_gets_a_dutch_message(seeded, ctx, user):
    exam_id = seeded["exam"].id
    at = page("pages/examens.py", user, exam_id=exam_id)
    at.text_input(key="text_title").input("Te lang")
    at.text_area(key="text_body").input("K: " + "bla " * 300_000)
    at.button(key="FormSubmitter:add_text-Toevoegen").click().run()
    assert not at.exception
    assert any("te groot" in e.value for e in at.error)
    assert "Te lang" not in _titles(ctx, user, exam_id)


def test_long_chat_opens_a_page_of_turns_at_a_time(seeded, ctx, user):
    from ksf_review.ui.review import PAGE_TURNS

    exam_id = seeded["exam"].id
    text = "\n".join(f"K: vraag nummer {i}\nM: antwoord nummer {i}" for i in range(1500))
    c = convs.add_text_conversation(ctx, user, exam_id, text, channel="chat", title="Lange chat")
    tag = tagging.add_tag(ctx, user, c.id, 2500, 2501, "1.2a", "+", "ver weg")
    at = page("pages/beoordelen.py", user, exam_id=exam_id, conversation_id=c.id)
    assert not at.exception
    pages = at.selectbox(key=f"textpage{c.id}")
    assert len(pages.options) == 3000 // PAGE_TURNS and pages.value == 0
    van = at.number_input(key=f"from{c.id}")
    assert (van.min, van.max, van.value) == (None, None, 1)  # the segment picker: no bounds in the browser (English), checked here
    payloads = at.session_state["_ksf_player_payloads"]
    ((_, data),) = payloads.values()
    assert len(json.loads(data)["segments"]) == PAGE_TURNS  # the browser gets one page, not 3,000 turns
    assert "Markeringen (1)" in "".join(m.value for m in at.markdown)  # the tag list holds every tag
    pages.set_value(25).run()
    van = at.number_input(key=f"from{c.id}")
    assert van.value == 2501  # the turns keep their numbers
    assert any(cap.value.startswith("beurt 2501 ") for cap in at.caption)
    van.set_value(7).run()  # a number of another page: this page's nearest turn, said in Dutch
    assert not at.exception and at.number_input(key=f"from{c.id}").value == 2501
    assert [w.value for w in at.warning] == [
        f"Beurt 7 staat niet op deze pagina; hier staan de beurten 2501 tot en met {2500 + PAGE_TURNS}. Beurt 2501 is gekozen."
    ]
    assert tag.id
