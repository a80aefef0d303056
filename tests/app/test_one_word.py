"""One word per idea on Beoordelen (#14.15): turns, speakers and keys as the transcript shows them."""

from ksf_review.services import tagging
from tests.app.test_pages import page


def _texts(at) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def test_a_one_turn_markering_in_a_chat_says_one_turn(seeded, ctx, user):
    """A markering of turn 2 alone was listed as "beurt 2–2"."""
    conv = seeded["chat"]
    tagging.add_tag(ctx, user, conv.id, 1.0, 2.0, "1.1b", "+")
    tagging.add_tag(ctx, user, conv.id, 0.0, 2.0, "1.1a", "+")
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv.id)
    assert not at.exception
    texts = " ".join(_texts(at))
    assert "beurt 2–2" not in texts
    assert "· beurt 2" in texts and "· beurt 1–2" in texts
    from ksf_review.domain.tags import format_turns

    assert (format_turns(1.0, 2.0), format_turns(0.0, 2.0), format_turns(2.0, 2.0)) == ("beurt 2", "beurt 1–2", "beurt 3")


def _spoken(at, conv_id: int) -> set[str]:
    """The speakers "Beurt corrigeren" shows beside the turn numbers, turn by turn."""
    out, (_, last) = set(), at.session_state[f"segno{conv_id}_bounds"]
    for no in range(1, last + 1):
        at.number_input(key=f"segno{conv_id}").set_value(no).run()
        (caption,) = [c.value for c in next(t for t in at.tabs if "Transcript" in t.label).caption if c.value[:1].isdigit()]
        out.add(caption.replace("\\", "").split(" ", 1)[1].split(":", 1)[0])  # md() escapes ':' and '.'
    return out


def test_speakers_are_named_as_the_transcript_names_them(seeded, ctx, user):
    """ "Segment corrigeren", the rename fields and the speaker choice said "klant"/"medewerker"
    where the transcript says "Klant"/"Medewerker"; a name the examiner typed is shown as typed."""
    from ksf_review.services import transcript_edits as edits

    conv_id = seeded["audio"].id
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    assert not at.exception
    assert {at.text_input(key=f"rn{conv_id}{lab}").label for lab in ("klant", "medewerker")} == {"Klant", "Medewerker"}
    assert _spoken(at, conv_id) == {"Klant", "Medewerker"}
    speaker = next(s for s in at.selectbox if s.label == "Spreker")
    assert set(speaker.options) == {"Klant", "Medewerker"}
    assert speaker.value in ("klant", "medewerker")  # what is stored stays as it is

    edits.rename_speaker(ctx, user, conv_id, "klant", "dhr. Visser")
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    assert _spoken(at, conv_id) == {"dhr. Visser", "Medewerker"}
    assert set(next(s for s in at.selectbox if s.label == "Spreker").options) == {"dhr. Visser", "Medewerker"}
    assert at.text_input(key=f"rn{conv_id}klant").label == "Klant"


def _labels(at) -> list[str]:
    widgets = [*at.multiselect, *at.selectbox, *at.text_input, *at.text_area, *at.radio]
    return [w.label for w in widgets] + [str(getattr(w, "placeholder", "") or "") for w in widgets]


def test_a_checklist_entry_is_a_toetsterm_on_every_page(seeded, ctx, user):
    """The new markering form said "Checklistitems" / "Zoek items", its edit form and Bibliotheek
    "Item", while Suggesties says "Toetsterm": one word for one idea."""
    import re

    from ksf_review.ui.player.payload import SHORTCUTS
    from tests.app.test_pages import open_edit

    conv = seeded["audio"]
    tag = tagging.add_tag(ctx, user, conv.id, 0.5, 2.0, "1.1b", "+")
    at = open_edit(page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv.id), tag.id)
    assert not at.exception
    labels = _labels(at)
    assert "Toetstermen" in labels and "Toetsterm" in labels
    library = page("pages/bibliotheek.py", user)
    assert not library.exception
    labels += _labels(library)
    assert "Toetsterm" in _labels(library)
    labels += [v for _, v in SHORTCUTS]
    assert [x for x in labels if re.search(r"item", x, re.IGNORECASE)] == []
