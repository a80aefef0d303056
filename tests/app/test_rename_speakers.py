"""Renaming speakers on the page: saved as typed, and never over a colleague's newer name (#15.7)."""

from ksf_review.services import transcript_edits as edits
from ksf_review.services.conversations import get_conversation
from ksf_review.services.users import get_or_create_user
from tests.app.test_pages import page


def _names(ctx, user, conv_id):
    return get_conversation(ctx, user, conv_id).speaker_names


def _save(at, conv_id):
    at.button(key=f"FormSubmitter:rename{conv_id}-Namen opslaan").click().run()
    assert not at.exception


def test_a_rename_is_stored_as_typed_and_refused_over_a_colleagues_newer_name(seeded, ctx, user):
    conv_id = seeded["audio"].id
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    at.text_input(key=f"rn{conv_id}klant").input("Klant dhr. Visser")
    _save(at, conv_id)
    assert _names(ctx, user, conv_id) == {"klant": "Klant dhr. Visser"}
    assert at.text_input(key=f"rn{conv_id}klant").value == "Klant dhr. Visser"
    # a colleague renames the klant while this page still shows "Klant dhr. Visser"
    colleague = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    edits.rename_speaker(ctx, colleague, conv_id, "klant", "Mevr. Jansen")
    at.text_input(key=f"rn{conv_id}klant").input("Dhr. Visser")
    _save(at, conv_id)
    assert _names(ctx, user, conv_id) == {"klant": "Mevr. Jansen"}  # theirs is kept
    assert any("Iemand anders heeft dit intussen gewijzigd" in e.value for e in at.error)
    assert at.text_input(key=f"rn{conv_id}klant").value == "Mevr. Jansen"  # the stored name is shown
    at.text_input(key=f"rn{conv_id}klant").input("Dhr. Visser")
    _save(at, conv_id)  # now seen: it may change
    assert _names(ctx, user, conv_id) == {"klant": "Dhr. Visser"}


def test_a_renamed_speaker_keeps_its_colour_in_the_player(seeded, ctx, user):
    from ksf_review.services.conversations import conversation_segments
    from ksf_review.ui import review
    from ksf_review.ui.player.payload import build_payload

    def player_rows(conv_id):
        conv = get_conversation(ctx, user, conv_id)
        segments = conversation_segments(ctx, user, conv_id)
        dicts = review._build_segment_dicts(ctx, user, conv, segments)
        url = "/m.ogg" if conv.has_audio else None
        return [
            (s["spl"], s["spc"])
            for s in build_payload(audio_url=url, duration=9, segments=dicts, tags=[], peaks=None, items=[])["segments"]
        ]

    for conv_id in (seeded["audio"].id, seeded["chat"].id):
        before = player_rows(conv_id)
        assert {"klant", "medewerker"} <= {spc for _, spc in before}
        edits.rename_speaker(ctx, user, conv_id, "klant", "Klant dhr. Visser")
        edits.rename_speaker(ctx, user, conv_id, "medewerker", "Medewerker Anna")
        after = player_rows(conv_id)
        assert [spc for _, spc in after] == [spc for _, spc in before]  # the colour follows the speaker
        names = {"Klant": "Klant dhr. Visser", "Medewerker": "Medewerker Anna"}
        assert [spl for spl, _ in after] == [names[spl] for spl, _ in before]  # shown as typed


def test_speakers_never_renamed_show_as_the_transcript_names_them(seeded, ctx, user):
    """The name fields say "Klant"/"Medewerker" (not "klant"), and saving them unchanged stores nothing."""
    conv_id = seeded["audio"].id
    at = page("pages/beoordelen.py", user, exam_id=seeded["exam"].id, conversation_id=conv_id)
    assert at.text_input(key=f"rn{conv_id}klant").value == "Klant"
    assert at.text_input(key=f"rn{conv_id}medewerker").value == "Medewerker"
    _save(at, conv_id)
    assert _names(ctx, user, conv_id) == {}
    at.text_input(key=f"rn{conv_id}klant").input("Dhr. Visser")
    _save(at, conv_id)
    assert _names(ctx, user, conv_id) == {"klant": "Dhr. Visser"}
    at.text_input(key=f"rn{conv_id}klant").input("Klant")  # back to the plain role
    _save(at, conv_id)
    assert _names(ctx, user, conv_id) == {}
    assert at.text_input(key=f"rn{conv_id}klant").value == "Klant"


def test_library_excerpts_name_speakers_as_the_transcript_does(seeded, ctx, user):
    from ksf_review.adapters.storage.models import LibraryClip
    from ksf_review.services import library, tagging

    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    tag = tagging.add_tag(ctx, user, seeded["chat"].id, 0, 2, "1.2a", "+")
    clip = library.promote(ctx, coord, tag.id, description="open vraag")
    assert clip.excerpt.splitlines()[0].startswith("Klant: ") and clip.excerpt.splitlines()[1].startswith("Medewerker: ")
    with ctx.db.unit_of_work() as s:  # an example stored before: "klant: …"
        s.add(
            LibraryClip(
                item_code="1.2a", label="goed", channel="chat", description="oud", excerpt="klant: Hallo\nmedewerker: Dag", start=0, end=2
            )
        )
    at = page("pages/bibliotheek.py", coord)
    assert not at.exception
    shown = [c.value for c in at.code]
    assert "Klant: Hallo\nMedewerker: Dag" in shown and not any(
        line.startswith(("klant:", "medewerker:")) for c in shown for line in c.splitlines()
    )
