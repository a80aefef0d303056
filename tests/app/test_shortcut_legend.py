"""The keyboard shortcuts are listed once on Beoordelen (the player's legend under a recording)."""

from tests.app.test_pages import page


def _legends(at) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Sneltoets")]


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


def test_a_chat_lists_only_the_keys_that_work_without_a_recording(seeded, user):
    """The player's keys need a recording (keys.js); a chat's caption listed them all, Afspelen and
    5 s terug included. Only Ctrl+Z (the page's undo) works there."""
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=seeded["chat"].id)
    (legend,) = _legends(at)
    assert "Ctrl+Z" in legend
    for audio_only in ("Afspelen", "5 s terug", "Segment opnieuw", "Markeren"):
        assert audio_only not in legend
