"""SRT: the transcript as SubRip subtitles, speaker as a "medewerker: " prefix.

SRT has no speaker field, so the speaker travels in the text and a known prefix is
stripped back into the speaker on import. Reading and writing go through webvtt-py.
"""

from __future__ import annotations

import io

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Timestamp

from ksf_review.domain.transcript import MONO, Segment, Transcript

from ._common import KNOWN_SPEAKERS, invalid, library_reason, make_transcript, one_line, round_s, split_speaker_prefix

KIND = "SRT-bestand"
_BRACKETS = str.maketrans({"<": "‹", ">": "›"})


def _caption(segment: Segment) -> webvtt.Caption:
    start = Timestamp.from_seconds(round_s(segment.start))
    end = Timestamp.from_seconds(round_s(max(segment.end, segment.start)))
    # SRT readers take <…> for markup and drop it (an anonymised "<NAAM>" would vanish),
    # and "-->" would start a new cue: look-alike brackets avoid both
    text = one_line(segment.text).translate(_BRACKETS)
    speaker = one_line(segment.speaker) or MONO
    return webvtt.Caption(str(start), str(end), f"{speaker}: {text}")


def transcript_to_srt(transcript: Transcript) -> str:
    """The transcript as an SRT document (str, ends with a newline)."""
    buf = io.StringIO()
    webvtt.WebVTT(captions=[_caption(s) for s in transcript.segments]).write(buf, format="srt")
    out = buf.getvalue()
    return out if out.endswith("\n") else out + "\n"


def srt_to_transcript(text: str, speakers: tuple[str, ...] = KNOWN_SPEAKERS) -> Transcript:
    """Parse SRT text; a known 'naam: ' prefix becomes the speaker, otherwise 'spreker'."""
    try:
        doc = webvtt.WebVTT.from_buffer(io.StringIO(text.lstrip("\ufeff").strip() + "\n"), format="srt")
    except (MalformedFileError, MalformedCaptionError) as exc:
        reason = library_reason(exc, "het moet beginnen met een volgnummer en een tijdregel (00:00:01,000 --> 00:00:02,000)")
        raise invalid(KIND, reason) from exc
    segments = []
    for cap in doc.captions:
        known, body = split_speaker_prefix(one_line(cap.text), speakers)
        if not body:
            continue
        start = cap.start_time.in_milliseconds() / 1000
        end = cap.end_time.in_milliseconds() / 1000
        segments.append(Segment(start=start, end=max(start, end), speaker=known or MONO, text=body))
    if not segments:
        raise invalid(KIND, "er staan geen ondertitels met tekst in")
    return make_transcript(segments)
