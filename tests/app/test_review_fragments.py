"""#14.9: in Beoordelen a tag save, an accept and a reject rerun the panels that show what
changed (fragments), not the whole page; a long call's suggestions never hold up the page."""

import threading

import pytest
from streamlit.testing.v1 import AppTest

from ksf_review.adapters import suggestion_store
from ksf_review.services import suggestions as sugg
from ksf_review.services import tagging
from ksf_review.services.conversations import RevisionCache
from ksf_review.ui import review
from tests.app.conftest import open_review


def frag_key(part: str, conv_id: int) -> str:
    """The workspace's fragment keys (ui/review.py frag_key), spelled out so the test also runs on older code."""
    return f"ws-{part}-{conv_id}-0"


def _review(seeded, user) -> AppTest:
    return open_review(user, seeded["exam"].id, seeded["audio"].id)


@pytest.fixture
def fed(monkeypatch):
    """The tags handed to the player's tag feed (custom components do not render in AppTest)."""
    calls = []
    real = review.render_tag_marks

    def record(*, key, tags, items):
        calls.append((key, [(t["item"], t["start"], t["end"]) for t in tags]))
        return real(key=key, tags=tags, items=items)

    monkeypatch.setattr(review, "render_tag_marks", record)
    return calls


def test_a_tag_save_reruns_the_tag_panel_and_the_tag_feed_not_the_player(seeded, ctx, user, recorded, fed):
    """The player's data is the whole transcript (1,000 segments with words in a 60-minute
    call): a tag save sends the new tags to it through its small tag feed instead (#14.9)."""
    conv_id = seeded["audio"].id
    at = _review(seeded, user)
    assert {frag_key("tags", conv_id), frag_key("player", conv_id), frag_key("suggestions", conv_id)} <= set(recorded["fragments"])
    recorded["reruns"].clear()
    recorded["fragments"].clear()
    next(ms for ms in at.multiselect if ms.label == "Toetstermen").set_value(["1.1b"])
    at.button(key=f"FormSubmitter:tagform{conv_id}-0-Markering opslaan").click().run()
    assert not at.exception and not at.error
    assert recorded["reruns"] == [[frag_key("tags", conv_id), frag_key("marks", conv_id)]]
    assert frag_key("player", conv_id) not in recorded["fragments"]
    stored = tagging.list_tags(ctx, user, conv_id)
    assert [t.item for t in stored] == ["1.1b"]
    assert "Markeringen (1)" in [m.value.replace("*", "") for m in at.markdown]  # the list shows what is stored
    assert fed[-1] == (f"player-{conv_id}-0", [("1.1b", stored[0].start, stored[0].end)])  # and the player's marks


def test_a_tag_save_without_an_item_keeps_the_input_and_says_why(seeded, ctx, user, recorded):
    conv_id = seeded["audio"].id
    at = _review(seeded, user)
    at.text_input[0].input("samenvatting")
    at.button(key=f"FormSubmitter:tagform{conv_id}-0-Markering opslaan").click().run()
    assert any("Kies een toetsterm" in e.value for e in at.error)
    assert tagging.list_tags(ctx, user, conv_id) == []
    assert at.text_input[0].value == "samenvatting"


def test_an_accept_reruns_the_suggestions_the_tag_panel_and_the_tag_feed_not_the_player(seeded, ctx, user, recorded, fed):
    conv_id = seeded["audio"].id
    at = _review(seeded, user)
    first = next(p for p in sugg.proposals(ctx, user, conv_id))
    recorded["reruns"].clear()
    recorded["fragments"].clear()
    at.button(key=f"sa{conv_id}{first.key}").click().run()
    assert not at.exception
    assert recorded["reruns"] == [[frag_key("suggestions", conv_id), frag_key("tags", conv_id), frag_key("marks", conv_id)]]
    assert frag_key("player", conv_id) not in recorded["fragments"]
    assert [(t.item, t.origin) for t in tagging.list_tags(ctx, user, conv_id)] == [(first.suggestion.item, "suggestion-accepted")]
    assert [item for item, _, _ in fed[-1][1]] == [first.suggestion.item]
    second = next(p for p in sugg.proposals(ctx, user, conv_id))
    recorded["reruns"].clear()
    at.button(key=f"sr{conv_id}{second.key}").click().run()  # a reject changes the suggestions only
    assert recorded["reruns"] == [[frag_key("suggestions", conv_id)]]


def test_the_page_does_not_wait_for_a_long_calls_suggestions(seeded, ctx, user, monkeypatch):
    """A call too long to compute its suggestions at once (here: over 1 segment) gets them in
    the background; the page says so instead of waiting."""
    release, real = threading.Event(), sugg.suggest

    def slow(segments, rules, **kw):
        release.wait(20)
        return real(segments, rules, **kw)

    monkeypatch.setattr(sugg, "suggest", slow)
    monkeypatch.setattr(sugg, "_FOUND", RevisionCache())  # not the ones the finished job computed
    suggestion_store.delete(ctx.settings.suggestions_dir, seeded["audio"].id)  # nor the ones it stored
    monkeypatch.setattr(sugg, "AT_ONCE", 1, raising=False)
    try:
        at = _review(seeded, user)
        assert any("worden berekend" in c.value for c in at.caption)
        assert not [b for b in at.button if b.label == "Accepteren"]
    finally:
        release.set()
