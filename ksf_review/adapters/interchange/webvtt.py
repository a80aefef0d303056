"""WebVTT: the transcript as subtitles, speaker in a voice span (`<v medewerker>…</v>`).

Written and read with webvtt-py, so players and subtitle tools accept the file. The voice
span is WebVTT's own way to name a speaker; files without one get the speaker "spreker"
unless the text starts with a known "medewerker: " prefix (as in converted SRT files).
"""

from __future__ import annotations

import html
import io

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Timestamp

from ksf_review.domain.transcript import MONO, Segment, Transcript

from ._common import KNOWN_SPEAKERS, invalid, library_reason, make_transcript, one_line, round_s, split_speaker_prefix

KIND = "WebVTT-bestand"


def _voice_name(speaker: str) -> str:
    # a voice annotation ends at '>' and must not be empty
    name = one_line(speaker).replace(">", " ").strip()
    return html.escape(name or MONO, quote=False)


def _cue_text(segment: Segment) -> str:
    return f"<v {_voice_name(segment.speaker)}>{html.escape(one_line(segment.text), quote=False)}</v>"


def caption_for(segment: Segment) -> webvtt.Caption:
    start = Timestamp.from_seconds(round_s(segment.start))
    end = Timestamp.from_seconds(round_s(max(segment.end, segment.start)))
    return webvtt.Caption(str(start), str(end), _cue_text(segment))


def transcript_to_vtt(transcript: Transcript) -> str:
    """The transcript as a WebVTT document (str, ends with a newline)."""
    doc = webvtt.WebVTT(captions=[caption_for(s) for s in transcript.segments])
    try:
        content = doc.content
    except ValueError as exc:  # webvtt-py refuses text it could not read back
        raise invalid(KIND, exc) from exc
    return content if content.endswith("\n") else content + "\n"


def vtt_to_transcript(text: str, speakers: tuple[str, ...] = KNOWN_SPEAKERS) -> Transcript:
    """Parse WebVTT text: voice → speaker, no voice → a known 'naam: ' prefix or 'spreker'."""
    try:
        doc = webvtt.WebVTT.from_buffer(io.StringIO(text.lstrip("\ufeff")))
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise invalid(KIND, library_reason(exc, "de eerste regel moet met WEBVTT beginnen")) from exc
    segments = []
    for cap in doc.captions:
        body = html.unescape(one_line(cap.text))
        voice = cap.voice
        if voice:
            speaker = html.unescape(voice).strip()
        else:
            known, body = split_speaker_prefix(body, speakers)
            speaker = known or MONO
        if not body:
            continue
        start = cap.start_time.in_milliseconds() / 1000
        end = cap.end_time.in_milliseconds() / 1000
        segments.append(Segment(start=start, end=max(start, end), speaker=speaker, text=body))
    if not segments:
        raise invalid(KIND, "er staan geen ondertitels met tekst in")
    return make_transcript(segments)
