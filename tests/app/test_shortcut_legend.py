"""The keyboard shortcuts are listed once on Beoordelen (the player's legend under a recording)."""

from tests.app.test_pages import page


def _legends(at) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Sneltoetsen:")]


def test_a_recording_lists_its_shortcuts_once(seeded, user):
    """Under a recording the player draws its own legend of the keys: the page's caption with the
    same list was a second copy of it, 160 px further down."""
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=seeded["audio"].id)
    assert not at.exception
    assert _legends(at) == []


def test_a_chat_keeps_the_caption(seeded, user):
    """A chat has no player legend (it is hidden with the audio controls): the caption stays."""
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=seeded["chat"].id)
    assert not at.exception
    assert len(_legends(at)) == 1
