"""The player's payload: compact words, text-mode turns, tag colours, lanes, fingerprint."""

from __future__ import annotations

import json

from ksf_review.ui.player.payload import (
    EINDTERM_COLORS,
    SHORTCUTS,
    build_payload,
    fingerprint,
    nearest_speed,
)

ITEMS = [
    {"code": "1.2a", "label": "Open vragen", "eindterm": 1},
    {"code": "2", "label": "Doel klantenservice", "eindterm": 2},
    {"code": "3.1", "label": "AVG", "eindterm": 3},
]


def seg(i, start, end, speaker="medewerker", text="", words=None, edited=False):
    return {"index": i, "start": start, "end": end, "speaker": speaker, "text": text, "words": words or [], "edited": edited}


def payload(**kw):
    base = dict(audio_url="/media/a.wav", duration=10.0, segments=[], tags=[], peaks=None, items=ITEMS)
    base.update(kw)
    return build_payload(**base)


def test_words_become_compact_arrays_and_keep_probability():
    s = seg(
        0,
        1.0,
        2.0,
        text="Goedemorgen, KSF",
        words=[
            {"start": 1.0, "end": 1.5, "word": " Goedemorgen,", "probability": 0.91234},
            {"start": 1.5, "end": 2.0, "word": " KSF", "probability": 0.31},
        ],
    )
    p = payload(segments=[s])
    assert p["mode"] == "audio"
    out = p["segments"][0]
    assert out["w"] == [[1.0, 1.5, "Goedemorgen,", 0.912], [1.5, 2.0, "KSF", 0.31]]
    assert out["spl"] == "Medewerker"


def test_segments_sorted_by_start():
    p = payload(segments=[seg(1, 5.0, 6.0, "klant", "b"), seg(0, 1.0, 2.0, text="a")])
    assert [s["i"] for s in p["segments"]] == [0, 1]


def test_edited_segment_gets_interpolated_words_without_confidence():
    s = seg(
        0, 10.0, 12.0, text="ik heb het aangepast", words=[{"start": 10.0, "end": 12.0, "word": " oud", "probability": 0.2}], edited=True
    )
    w = payload(segments=[s])["segments"][0]["w"]
    assert [x[2] for x in w] == ["ik", "heb", "het", "aangepast"]
    assert w[0][0] == 10.0 and w[-1][1] == 12.0
    assert all(x[3] is None for x in w)
    assert all(a[1] == b[0] for a, b in zip(w, w[1:]))  # contiguous, ordered


def test_text_conversation_turn_i_spans_i_to_i_plus_1():
    turns = [{"index": 0, "speaker": "klant", "text": "Hoi daar"}, {"index": 1, "speaker": "medewerker", "text": "Goedemiddag"}]
    p = payload(audio_url=None, segments=turns, peaks={"peaks": [[0.1]], "duration": 1})
    assert p["mode"] == "text" and p["src"] is None and p["peaks"] is None
    assert [(s["s"], s["e"]) for s in p["segments"]] == [(0.0, 1.0), (1.0, 2.0)]
    assert p["segments"][0]["w"][0][:3] == [0.0, 0.444, "Hoi"]  # 4 of 9 weighted chars


def test_tag_colour_by_eindterm_unless_given():
    tags = [
        {"id": 1, "start": 3, "end": 1, "item": "1.2a", "polarity": "+"},
        {"id": 2, "start": 4, "end": 5, "item": "3.1", "polarity": "-", "note": "x"},
        {"id": 3, "start": 6, "end": 7, "item": "2", "polarity": "−", "color": "#123456"},
        {"id": 4, "start": 8, "end": 9, "item": "9.9", "polarity": "+", "color": "red;}"},
    ]
    t = {x["id"]: x for x in payload(tags=tags)["tags"]}
    assert t[1]["color"] == EINDTERM_COLORS[1] and (t[1]["s"], t[1]["e"]) == (1.0, 3.0)
    assert t[2]["color"] == EINDTERM_COLORS[3] and t[2]["pol"] == "-" and t[2]["label"] == "AVG"
    assert t[3]["color"] == "#123456" and t[3]["pol"] == "-"
    assert t[4]["color"] == "#64748b"  # unknown item, invalid colour rejected


def test_stereo_lanes_put_the_agent_on_top():
    peaks = {"peaks": [[0.1, 0.2], [0.9, 0.8]], "duration": 2.0, "channels": 2}
    left = payload(peaks=peaks)["peaks"]
    right = payload(peaks=peaks, agent_channel=1)["peaks"]
    assert left["lanes"] == [[0.1, 0.2], [0.9, 0.8]] and left["labels"] == ["Medewerker", "Klant"]
    assert right["lanes"] == [[0.9, 0.8], [0.1, 0.2]]
    assert payload(peaks={"peaks": [[0.5]], "duration": 1})["peaks"]["labels"] == [""]


def test_rate_snaps_to_offered_speeds():
    assert nearest_speed(1.3) == 1.25
    assert nearest_speed("bogus") == 1.0
    assert nearest_speed(float("nan")) == 1.0
    assert payload(playback_rate=3)["rate"] == 2.0


def test_payload_is_json_and_carries_shortcuts():
    p = payload(segments=[seg(0, 0, 1, text="a")])
    assert json.loads(json.dumps(p)) == p
    assert p["shortcuts"] == [list(s) for s in SHORTCUTS]
    assert len(SHORTCUTS) == 14  # + nudging (#19.5), N (#19.8), T (item picker) and 1–9 (recent items), #19.1
    assert SHORTCUTS[-1][0] == "Ctrl+Z"  # undo (#19.4)


def test_payload_carries_the_items_for_the_keyboard_picker():
    p = payload(segments=[seg(0, 0, 1, text="a")], items=[{"code": "3.1", "label": "Samenvatten", "eindterm": "3"}])
    assert p["items"] == [["3.1", "Samenvatten"]]


def test_signature_changes_only_with_segments():
    a = payload(segments=[seg(0, 0, 1, text="a")])
    b = payload(segments=[seg(0, 0, 1, text="a")], tags=[{"id": 1, "start": 0, "end": 1, "item": "2"}])
    c = payload(segments=[seg(0, 0, 1, text="b")])
    assert a["sig"] == b["sig"] != c["sig"]


def test_fingerprint_sees_edits_tags_and_options():
    segs = [seg(0, 0, 1, text="a")]
    base = dict(audio_url="/m.wav", duration=1, segments=segs, tags=[], peaks=None, items=ITEMS)
    fp = fingerprint(**base, playback_rate=1.0)
    assert fp == fingerprint(**base, playback_rate=1.0)
    assert fp != fingerprint(**{**base, "segments": [seg(0, 0, 1, text="a", edited=True)]}, playback_rate=1.0)
    assert fp != fingerprint(**{**base, "segments": [seg(0, 0, 1, "klant", text="a")]}, playback_rate=1.0)
    assert fp != fingerprint(**{**base, "tags": [{"id": 1}]}, playback_rate=1.0)
    assert fp != fingerprint(**base, playback_rate=1.5)


def test_speaker_names_are_shown_as_typed():
    """A renamed speaker keeps its capitals (issue 14.5): "Klant dhr. Visser", not "Klant dhr. visser"."""
    p = payload(
        segments=[
            seg(0, 1.0, 2.0, "Klant dhr. Visser", "Goedemiddag"),
            seg(1, 2.0, 3.0, "mevrouw de Vries", "Dag"),
            seg(2, 3.0, 4.0, "klant", "Ja"),
        ]
    )
    assert [s["spl"] for s in p["segments"]] == ["Klant dhr. Visser", "mevrouw de Vries", "Klant"]
    assert [s["sp"] for s in p["segments"]] == ["Klant dhr. Visser", "mevrouw de Vries", "klant"]


def test_the_tag_feed_carries_the_tags_as_the_players_data_does():
    """A tag save sends the player's tags through its feed (#14.9): the same shapes and order."""
    from ksf_review.ui.player.payload import tag_marks

    tags = [
        {"id": 2, "start": 9.0, "end": 7.5, "item": "3.1", "polarity": "-", "note": "<b>x</b>"},
        {"id": 1, "start": 1.0, "end": 2.0, "item": "1.1a", "polarity": "+", "note": ""},
    ]
    items = [{"code": "1.1a", "label": "Begroeting", "eindterm": "1"}, {"code": "3.1", "label": "Afsluiting", "eindterm": "3"}]
    data = build_payload(audio_url="/a.wav", duration=10.0, segments=[], tags=tags, peaks=None, items=items, tags_seq=4)
    feed = tag_marks("player-1-0", tags, items, 5)
    assert feed["tags"] == data["tags"] and [t["id"] for t in feed["tags"]] == [1, 2]
    assert (feed["store_key"], feed["seq"], data["tags_seq"]) == ("player-1-0", 5, 4)


def _reads(words) -> str:
    """A line as the player joins its words (core.js joinWords): a space unless the word is glued."""
    return "".join(("" if k == 0 or (len(w) > 4 and w[4]) else " ") + w[2] for k, w in enumerate(words))


def test_words_read_as_the_stored_line_not_with_a_space_before_every_word():
    # Whisper: every word has its own leading space, "2,513" comes as " 2" + ",513"
    words = [
        {"start": 1.0, "end": 1.2, "word": " 2", "probability": 0.9},
        {"start": 1.2, "end": 1.6, "word": ",513", "probability": 0.8},
        {"start": 1.6, "end": 2.0, "word": " euro", "probability": 0.9},
    ]
    w = payload(segments=[seg(0, 1.0, 2.0, text="2,513 euro", words=words)])["segments"][0]["w"]
    assert [x[2] for x in w] == ["2", ",513", "euro"]  # each word keeps its own time
    assert _reads(w) == "2,513 euro"
    assert w[0][3] == 0.9 and w[1][:4] == [1.2, 1.6, ",513", 0.8]


def test_words_that_do_not_read_as_the_stored_line_give_way_to_the_line():
    words = [
        {"start": 0.0, "end": 0.5, "word": " iets", "probability": 0.9},
        {"start": 0.5, "end": 1.0, "word": " anders", "probability": 0.9},
    ]
    w = payload(segments=[seg(0, 0.0, 1.0, text="wat er staat", words=words)])["segments"][0]["w"]
    assert _reads(w) == "wat er staat"


def test_a_corrected_line_reads_as_its_stored_text():
    s = seg(0, 1.0, 2.0, text="2,513 euro per jaar", words=[{"start": 1.0, "end": 2.0, "word": " 2", "probability": 0.9}], edited=True)
    assert _reads(payload(segments=[s])["segments"][0]["w"]) == "2,513 euro per jaar"
