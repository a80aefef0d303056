"""Interchange formats: round trips through WebVTT, SRT, ELAN and JSON, and Dutch errors."""

from __future__ import annotations

import json

import pytest
import webvtt
from pympi.Elan import Eaf

from ksf_review.adapters.interchange import (
    InterchangeError,
    detect_format,
    export_tags,
    export_transcript,
    import_transcript,
    json_to_transcript,
    label_config,
    labelstudio_json,
    labelstudio_to_tags,
    read_eaf,
    srt_to_transcript,
    tags_to_labelstudio,
    transcript_to_eaf,
    transcript_to_vtt,
    vtt_to_transcript,
    write_eaf,
)
from ksf_review.adapters.interchange.elan import CV_ID, TAG_TYPE, parse_tag_value, tag_value
from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.domain.tags import Polarity, TagData
from ksf_review.domain.transcript import AGENT, CUSTOMER, MONO, Segment, Transcript, Word

DUTCH = "Één moment, ik zoek ’t even op — café Zoë’s rekening"


@pytest.fixture
def transcript() -> Transcript:
    return Transcript(
        segments=[
            Segment(
                0.0,
                2.5,
                AGENT,
                "Goedemiddag, u spreekt met Anné van de klantenservice.",
                channel=0,
                words=(Word(0.0, 0.8, "Goedemiddag,", 0.93), Word(0.9, 1.1, "u", 0.4)),
            ),
            Segment(2.6, 5.1234, CUSTOMER, "Ja hallo, ik heb een vraag over mijn factuur & <NAAM>.", channel=1),
            Segment(5.2, 8.0, AGENT, DUTCH, channel=0),
        ],
        duration=8.0,
        model="bundled",
        settings={"language": "nl", "beam_size": 1},
    )


@pytest.fixture
def tags() -> list[TagData]:
    return [
        TagData(0.0, 2.5, "1.1f", Polarity.POSITIVE, "opening"),
        TagData(5.2, 8.0, "1.1b", Polarity.POSITIVE, "samenvatting"),
        TagData(6.0, 7.5, "1.1b", Polarity.NEGATIVE, "niet getoetst"),  # overlaps the one above
        TagData(2.6, 5.1, "3.1", Polarity.NEGATIVE, ""),
    ]


def _triples(t: Transcript) -> list[tuple]:
    return [(s.start, s.end, s.speaker, s.text) for s in t.segments]


# --- WebVTT -------------------------------------------------------------------------


def test_vtt_round_trip_keeps_speaker_text_and_millisecond_times(transcript):
    back = import_transcript(export_transcript(transcript, "vtt"), "gesprek.vtt")
    assert _triples(back) == [
        (0.0, 2.5, AGENT, transcript.segments[0].text),
        (2.6, 5.123, CUSTOMER, transcript.segments[1].text),
        (5.2, 8.0, AGENT, DUTCH),
    ]
    assert back.duration == 8.0


def test_vtt_puts_speaker_in_a_voice_span_that_webvtt_py_reads(transcript):
    text = transcript_to_vtt(transcript)
    assert text.startswith("WEBVTT")
    assert "<v medewerker>Goedemiddag" in text
    assert "&amp; &lt;NAAM&gt;" in text  # escaped, so the cue text is not taken for markup
    parsed = webvtt.from_string(text)
    assert [c.voice for c in parsed.captions] == [AGENT, CUSTOMER, AGENT]
    assert parsed.captions[1].start == "00:00:02.600"
    assert parsed.captions[1].end == "00:00:05.123"


def test_vtt_without_voice_is_spreker_and_known_prefix_is_the_speaker():
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGoedendag\n\n"
        "00:00:02.000 --> 00:00:03.500\nklant: Dag\nmevrouw\n\n"
        "00:00:04.000 --> 00:00:05.000\n<v.loud Jan Jansen>Hoi</v>\n"
    )
    t = vtt_to_transcript(text)
    assert _triples(t) == [(1.0, 2.0, MONO, "Goedendag"), (2.0, 3.5, CUSTOMER, "Dag mevrouw"), (4.0, 5.0, "Jan Jansen", "Hoi")]


# --- SRT ----------------------------------------------------------------------------


def test_srt_round_trip(transcript):
    text = export_transcript(transcript, "srt")
    assert text.splitlines()[:3] == [
        "1",
        "00:00:00,000 --> 00:00:02,500",
        "medewerker: Goedemiddag, u spreekt met Anné van de klantenservice.",
    ]
    back = srt_to_transcript(text)
    assert [(s.start, s.end, s.speaker) for s in back.segments] == [(0.0, 2.5, AGENT), (2.6, 5.123, CUSTOMER), (5.2, 8.0, AGENT)]
    assert back.segments[2].text == DUTCH
    # SRT readers drop <…> as markup; the export keeps the placeholder visible instead
    assert back.segments[1].text == "Ja hallo, ik heb een vraag over mijn factuur & ‹NAAM›."


def test_srt_unknown_prefix_stays_in_the_text():
    t = srt_to_transcript("1\n00:00:01,000 --> 00:00:02,000\nLet op: dit is geen spreker\n")
    assert _triples(t) == [(1.0, 2.0, MONO, "Let op: dit is geen spreker")]


def test_srt_in_windows_1252_is_decoded():
    data = "1\r\n00:00:01,000 --> 00:00:02,500\r\nklant: Één café\r\n".encode("cp1252")
    t = import_transcript(data, "oud.srt")
    assert _triples(t) == [(1.0, 2.5, CUSTOMER, "Één café")]


# --- TXT ----------------------------------------------------------------------------


def test_txt_one_line_per_segment(transcript):
    text = export_transcript(transcript, "txt")
    assert text.splitlines() == [
        "[0:00] medewerker: Goedemiddag, u spreekt met Anné van de klantenservice.",
        "[0:02] klant: Ja hallo, ik heb een vraag over mijn factuur & <NAAM>.",
        f"[0:05] medewerker: {DUTCH}",
    ]


# --- JSON ---------------------------------------------------------------------------


def test_our_json_round_trip_keeps_words_channels_and_settings(transcript):
    text = export_transcript(transcript, "json", audio="gesprek.wav")
    data = json.loads(text)
    assert list(data)[:5] == ["audio", "duration", "model", "settings", "segments"]
    assert data["audio"] == "gesprek.wav"
    assert DUTCH in text  # not \u-escaped
    back = import_transcript(text.encode("utf-8"), "gesprek.json")
    assert back.segments[0].words == transcript.segments[0].words
    assert [s.channel for s in back.segments] == [0, 1, 0]
    assert back.settings == transcript.settings and back.model == "bundled"
    assert back.segments[1].end == 5.123


def test_faster_whisper_json_list_and_object():
    fw = [
        {
            "id": 0,
            "seek": 0,
            "start": 0.0,
            "end": 2.0,
            "text": " Goedemiddag, met Zoë.",
            "words": [
                {"start": 0.0, "end": 1.2, "word": " Goedemiddag,", "probability": 0.91},
                {"start": 1.2, "end": 1.5, "word": " met", "probability": 0.88},
                {"start": 1.5, "end": 2.0, "word": " Zoë.", "probability": 0.31},
            ],
        },
        {"id": 1, "seek": 0, "start": 2.2, "end": 3.0, "text": " Hallo."},
    ]
    t = import_transcript(json.dumps(fw), "fw.json")
    assert _triples(t) == [(0.0, 2.0, MONO, "Goedemiddag, met Zoë."), (2.2, 3.0, MONO, "Hallo.")]
    assert [w.word for w in t.segments[0].words] == ["Goedemiddag,", "met", "Zoë."]
    assert t.segments[0].words[2].low_confidence
    wrapped = json_to_transcript({"language": "nl", "duration": 12.5, "segments": fw})
    assert wrapped.duration == 12.5 and wrapped.settings == {"language": "nl"}


def test_whisperx_json_with_scores_speakers_and_untimed_words():
    wx = {
        "segments": [
            {
                "start": 0.5,
                "end": 3.0,
                "text": " Uw klantnummer is 12 34.",
                "speaker": "SPEAKER_01",
                "words": [
                    {"word": "Uw", "start": 0.5, "end": 0.7, "score": 0.9, "speaker": "SPEAKER_01"},
                    {"word": "klantnummer", "start": 0.7, "end": 1.4, "score": 0.8},
                    {"word": "is", "start": 1.4, "end": 1.6, "score": 0.95},
                    {"word": "12"},  # WhisperX leaves numbers unaligned
                    {"word": "34.", "start": 2.2, "end": 3.0, "score": 0.7},
                ],
            },
            {
                "start": 3.1,
                "end": 4.0,
                "text": "Klopt.",
                "words": [{"word": "Klopt.", "start": 3.1, "end": 4.0, "score": 0.99, "speaker": "SPEAKER_00"}],
            },
        ],
        "word_segments": [],
    }
    t = import_transcript(json.dumps(wx).encode(), "whisperx.json", speaker_map={"SPEAKER_00": CUSTOMER, "SPEAKER_01": AGENT})
    assert [s.speaker for s in t.segments] == [AGENT, CUSTOMER]  # second from its words
    words = t.segments[0].words
    assert [w.probability for w in words] == [0.9, 0.8, 0.95, 1.0, 0.7]
    assert (words[3].start, words[3].end) == (1.6, 2.2)  # filled from its neighbours
    raw = json_to_transcript(wx)
    assert raw.segments[0].speaker == "SPEAKER_01"


# --- ELAN ---------------------------------------------------------------------------


def test_eaf_round_trip_segments_and_tags(tmp_path, transcript, tags):
    path = write_eaf(tmp_path / "gesprek.eaf", transcript, tags, media_path=tmp_path / "gesprek.wav")
    segments, back_tags = read_eaf(path)
    assert [(s.start, s.end, s.speaker, s.text) for s in segments] == _triples(
        Transcript([Segment(s.start, round(s.end, 3), s.speaker, s.text) for s in transcript.segments])
    )
    assert sorted(back_tags, key=lambda t: (t.start, t.item)) == sorted(tags, key=lambda t: (t.start, t.item))
    assert not (tmp_path / "gesprek.bak").exists()


def test_eaf_structure_tiers_cv_and_media(tmp_path, transcript, tags):
    rubric = default_rubric()
    path = write_eaf(tmp_path / "g.eaf", transcript, tags, rubric=rubric, media_path=tmp_path / "g.wav")
    eaf = Eaf(str(path))
    assert list(eaf.get_tier_names()) == [AGENT, CUSTOMER, "1.1b", "1.1b #2", "1.1f", "3.1"]
    assert eaf.get_parameters_for_tier(AGENT)["PARTICIPANT"] == AGENT
    assert eaf.get_tier_ids_for_linguistic_type(TAG_TYPE) == ["1.1b", "1.1b #2", "1.1f", "3.1"]
    assert eaf.linguistic_types[TAG_TYPE]["CONTROLLED_VOCABULARY_REF"] == CV_ID
    cv_values = [vals[0][0] for vals, _ in eaf.get_cv_entries(CV_ID).values()]
    assert cv_values == [it.code for it in rubric.items]
    assert eaf.get_annotation_data_for_tier("1.1b") == [(5200, 8000, "+ samenvatting")]
    assert eaf.get_annotation_data_for_tier("3.1") == [(2600, 5100, "-")]
    assert eaf.get_annotation_data_for_tier(AGENT)[1] == (5200, 8000, DUTCH)
    (media,) = eaf.get_linked_files()
    assert media["MEDIA_URL"].startswith("file://") and media["MEDIA_URL"].endswith("/g.wav")
    assert media["MIME_TYPE"] == "audio/x-wav" and media["RELATIVE_MEDIA_URL"] == "./g.wav"


def test_eaf_tags_of_two_examiners_get_their_own_tiers(transcript):
    tags = [
        TagData(1.0, 2.0, "1.1a", Polarity.POSITIVE, "", examiner="anna"),
        TagData(1.5, 2.5, "1.1a", Polarity.NEGATIVE, "te snel", examiner="bert"),
    ]
    xml = transcript_to_eaf(transcript, tags)
    assert 'TIER_ID="1.1a [anna]"' in xml and 'ANNOTATOR="bert"' in xml
    _, back = read_eaf(xml)
    assert back == tags


def test_eaf_overlapping_turns_of_one_speaker_go_to_a_second_tier():
    segs = [Segment(0.0, 3.0, CUSTOMER, "Ik wil"), Segment(2.0, 4.0, CUSTOMER, "opzeggen")]
    xml = transcript_to_eaf(segs, [])
    assert 'TIER_ID="klant #2"' in xml
    back, tags = read_eaf(xml)
    assert [(s.speaker, s.text) for s in back] == [(CUSTOMER, "Ik wil"), (CUSTOMER, "opzeggen")] and tags == []


def test_eaf_tag_values():
    tag = TagData(0, 1, "2", Polarity.POSITIVE, "samen vatting")
    assert tag_value(tag) == "+ samen vatting"
    assert parse_tag_value("+ samen vatting") == (Polarity.POSITIVE, "samen vatting")
    assert parse_tag_value("-") == (Polarity.NEGATIVE, "")
    assert parse_tag_value("+samenvatting") == (Polarity.POSITIVE, "samenvatting")
    with pytest.raises(ValueError):
        parse_tag_value("misschien")


def test_eaf_import_as_transcript(transcript, tags):
    xml = transcript_to_eaf(transcript, tags).encode("utf-8")
    assert detect_format(xml.decode(), "") == "eaf"
    t = import_transcript(xml, "onderzoek.eaf")
    assert [s.speaker for s in t.segments] == [AGENT, CUSTOMER, AGENT]


# --- Label Studio -------------------------------------------------------------------


def test_labelstudio_task_structure(transcript, tags):
    tasks = tags_to_labelstudio(tags, "/data/upload/gesprek.wav", transcript)
    (task,) = tasks
    assert task["data"]["audio"] == "/data/upload/gesprek.wav"
    assert task["data"]["transcript"].startswith("medewerker: Goedemiddag")
    (ann,) = task["annotations"]
    labels = [r for r in ann["result"] if r["type"] == "labels"]
    assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"]) for r in labels] == [
        (0.0, 2.5, ["1.1f"]),
        (2.6, 5.1, ["3.1"]),
        (5.2, 8.0, ["1.1b"]),
        (6.0, 7.5, ["1.1b"]),
    ]
    assert all(r["from_name"] == "labels" and r["to_name"] == "audio" for r in labels)
    by_id = {}
    for r in ann["result"]:
        by_id.setdefault(r["id"], []).append(r)
    assert len(by_id) == 4  # polarity and note share their region's id
    for group in by_id.values():
        choices = [r["value"]["choices"] for r in group if r["type"] == "choices"]
        assert choices in ([["+"]], [["-"]])
        assert {(r["value"]["start"], r["value"]["end"]) for r in group} == {(group[0]["value"]["start"], group[0]["value"]["end"])}
    notes = [r["value"]["text"] for r in ann["result"] if r["type"] == "textarea"]
    assert ["samenvatting"] in notes and len(notes) == 3  # the tag without a note has none
    assert json.loads(labelstudio_json(tags, "a.wav")) == tags_to_labelstudio(tags, "a.wav")


def test_labelstudio_one_annotation_per_examiner_and_config():
    tags = [TagData(1, 2, "2", Polarity.POSITIVE, examiner="anna"), TagData(1, 2, "2", Polarity.NEGATIVE, examiner="bert")]
    (task,) = tags_to_labelstudio(tags, "a.wav")
    assert len(task["annotations"]) == 2
    assert task["annotations"][1]["result"][0]["meta"] == {"text": ["examinator: bert"]}
    config = label_config()
    for code in ("1.1a", "2", "3.2"):
        assert f'<Label value="{code}"' in config
    assert 'name="polariteit"' in config and 'perRegion="true"' in config


def test_labelstudio_round_trip_and_errors(tags):
    tagged = [*tags, TagData(1.0, 2.0, "2", Polarity.NEGATIVE, "onbeleefd", examiner="bert", speaker=AGENT)]
    assert labelstudio_to_tags(labelstudio_json(tagged, "a.wav")) == sorted(tagged, key=lambda t: (t.start, t.item, t.examiner))
    with pytest.raises(InterchangeError, match="Label Studio-bestand: geen geldige JSON"):
        labelstudio_to_tags(b"<html>")


def test_export_tags_registry(transcript, tags):
    eaf = export_tags(transcript, tags, "eaf", audio="gesprek.mp3")
    assert 'MIME_TYPE="audio/mpeg"' in eaf and read_eaf(eaf)[1]
    assert json.loads(export_tags(transcript, tags, "labelstudio", audio="g.mp3"))[0]["data"]["audio"] == "g.mp3"
    with pytest.raises(InterchangeError):
        export_tags(transcript, tags, "praat")


# --- registry and errors ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["vtt", "srt", "json"])
def test_dutch_text_survives_bytes_round_trip(transcript, fmt):
    data = export_transcript(transcript, fmt).encode("utf-8")
    back = import_transcript(data, f"x.{fmt}")
    assert back.segments[2].text == DUTCH


def test_format_detected_from_content_without_extension(transcript):
    for fmt in ("vtt", "srt", "json"):
        text = export_transcript(transcript, fmt)
        assert detect_format(text, "upload") == fmt
        assert [s.speaker for s in import_transcript(text, "upload").segments] == [AGENT, CUSTOMER, AGENT]


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"dit is geen ondertitel", "x.vtt", "Dit bestand is geen geldig WebVTT-bestand: de eerste regel"),
        (b"WEBVTT\n\nalleen tekst\n", "x.vtt", "Dit bestand is geen geldig WebVTT-bestand: er staan geen"),
        (b"\x00\x01\x02 rommel", "x.srt", "Dit bestand is geen geldig SRT-bestand"),
        (b"{niet: json", "x.json", "Dit bestand is geen geldig JSON-transcript: geen geldige JSON"),
        (b'{"segments": [{"text": "hoi"}]}', "x.json", "segment 1 mist 'start' of 'end'"),
        (b'{"segments": [{"start": "nu", "end": 1, "text": "x"}]}', "x.json", "start is geen getal"),
        (b'{"tekst": "hoi"}', "x.json", "er is geen lijst 'segments'"),
        (b"<ANNOTATION_DOCUMENT><kapot", "x.eaf", "Dit bestand is geen geldig ELAN-bestand"),
        (b"", "x.vtt", "het is leeg"),
        (b"[0:01] klant: hoi", "x.txt", "kan niet als transcript ingelezen worden"),
        (b"zomaar wat tekst", "x.doc", "is niet herkend"),
    ],
)
def test_garbage_raises_dutch_interchange_error(data, filename, message):
    with pytest.raises(InterchangeError, match=message.replace("(", r"\(")) as info:
        import_transcript(data, filename)
    assert isinstance(info.value, ValueError)


def test_unknown_export_format(transcript):
    with pytest.raises(InterchangeError, match="Onbekend exportformaat"):
        export_transcript(transcript, "docx")


def test_eaf_with_a_bad_tag_value_names_the_tier(transcript):
    xml = transcript_to_eaf(transcript, [TagData(1, 2, "2", Polarity.POSITIVE)]).replace(
        "<ANNOTATION_VALUE>+</ANNOTATION_VALUE>", "<ANNOTATION_VALUE>misschien</ANNOTATION_VALUE>"
    )
    with pytest.raises(InterchangeError, match="laag '2'"):
        read_eaf(xml)
