"""Interchange formats: transcripts and tags to and from files other tools read.

Formats (one module each): WebVTT and SRT (subtitles, via webvtt-py), plain text,
ELAN .eaf (transcript + tags, via pympi-ling), faster-whisper/WhisperX/our own JSON,
and Label Studio JSON (tags). This module picks the right one by name or content:

    export_transcript(transcript, "vtt")            -> str
    import_transcript(data, "gesprek.srt")          -> Transcript

Unreadable input raises InterchangeError (a ValueError) with a Dutch message.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Mapping

from ksf_review.domain.rubric import Rubric
from ksf_review.domain.tags import TagData
from ksf_review.domain.transcript import Transcript

from ._common import KNOWN_SPEAKERS, InterchangeError, decode_text, make_transcript
from .elan import read_eaf, transcript_to_eaf, write_eaf
from .labelstudio import label_config, labelstudio_json, labelstudio_to_tags, tags_to_labelstudio
from .srt import srt_to_transcript, transcript_to_srt
from .txt import transcript_to_txt
from .webvtt import transcript_to_vtt, vtt_to_transcript
from .whisper_json import json_to_transcript, transcript_to_json

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_EXTENSIONS",
    "TAG_EXPORT_FORMATS",
    "InterchangeError",
    "KNOWN_SPEAKERS",
    "detect_format",
    "export_transcript",
    "import_transcript",
    "export_tags",
    "json_to_transcript",
    "label_config",
    "labelstudio_json",
    "labelstudio_to_tags",
    "read_eaf",
    "srt_to_transcript",
    "tags_to_labelstudio",
    "transcript_to_eaf",
    "transcript_to_json",
    "transcript_to_srt",
    "transcript_to_txt",
    "transcript_to_vtt",
    "vtt_to_transcript",
    "write_eaf",
]

#: format → (file extension, MIME type) for downloads
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "vtt": (".vtt", "text/vtt"),
    "srt": (".srt", "application/x-subrip"),
    "txt": (".txt", "text/plain"),
    "json": (".json", "application/json"),
}

#: extensions import_transcript accepts (for the file uploader)
IMPORT_EXTENSIONS = ("vtt", "srt", "json", "eaf")

_BY_EXTENSION = {".vtt": "vtt", ".webvtt": "vtt", ".srt": "srt", ".json": "json", ".eaf": "eaf", ".txt": "txt"}
_NAMES = {"vtt": "WebVTT-bestand", "srt": "SRT-bestand", "json": "JSON-transcript", "eaf": "ELAN-bestand"}


def export_transcript(transcript: Transcript, fmt: str, *, audio: str = "") -> str:
    """The transcript as "vtt", "srt", "txt" or "json" text (audio: file name for JSON)."""
    key = fmt.lower().lstrip(".")
    if key == "vtt":
        return transcript_to_vtt(transcript)
    if key == "srt":
        return transcript_to_srt(transcript)
    if key == "txt":
        return transcript_to_txt(transcript)
    if key == "json":
        return transcript_to_json(transcript, audio=audio)
    raise InterchangeError(f"Onbekend exportformaat {fmt!r}; kies uit {', '.join(EXPORT_FORMATS)}")


#: formats for transcript + tags together → (file extension, MIME type)
TAG_EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "eaf": (".eaf", "application/xml"),
    "labelstudio": (".json", "application/json"),
}


def export_tags(
    transcript: Transcript,
    tags: list[TagData],
    fmt: str,
    *,
    audio: str = "",
    rubric: Rubric | None = None,
) -> str:
    """Tags with their transcript as "eaf" (ELAN, media linked when audio is given) or "labelstudio"."""
    key = fmt.lower().lstrip(".")
    if key == "eaf":
        return transcript_to_eaf(transcript, tags, rubric, media_path=audio or None)
    if key == "labelstudio":
        return labelstudio_json(tags, audio, transcript)
    raise InterchangeError(f"Onbekend exportformaat {fmt!r}; kies uit {', '.join(TAG_EXPORT_FORMATS)}")


def detect_format(text: str, filename: str = "") -> str | None:
    """'vtt', 'srt', 'json', 'eaf' or 'txt' from the extension, else from the content."""
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in _BY_EXTENSION:
        return _BY_EXTENSION[ext]
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head[:1] in "[{" and head:
        return "json"
    if head.startswith("<") and "ANNOTATION_DOCUMENT" in head[:2000]:
        return "eaf"
    lines = head.splitlines()
    if len(lines) >= 2 and lines[0].strip().isdigit() and "-->" in lines[1]:
        return "srt"
    return None


def import_transcript(
    data: bytes | str,
    filename: str = "",
    *,
    speaker_map: Mapping[str, str] | None = None,
) -> Transcript:
    """Read an uploaded WebVTT, SRT, JSON (faster-whisper/WhisperX/ours) or ELAN transcript.

    The extension decides; without a known one the content does. speaker_map renames
    speaker labels afterwards (e.g. WhisperX "SPEAKER_00" → "medewerker").
    """
    text = decode_text(data)
    fmt = detect_format(text, filename)
    if fmt is None:
        raise InterchangeError(
            f"Het formaat van {filename or 'dit bestand'} is niet herkend; gebruik WebVTT (.vtt), SRT (.srt), JSON (.json) of ELAN (.eaf)."
        )
    if fmt == "txt":
        raise InterchangeError(
            "Een tekstbestand (.txt) kan niet als transcript ingelezen worden: er staan geen eindtijden in. "
            "Gebruik WebVTT (.vtt), SRT (.srt), JSON (.json) of ELAN (.eaf)."
        )
    if not text.strip():
        raise InterchangeError(f"Dit bestand is geen geldig {_NAMES[fmt]}: het is leeg")
    if fmt == "json":
        return json_to_transcript(text, speaker_map=speaker_map)
    if fmt == "vtt":
        transcript = vtt_to_transcript(text)
    elif fmt == "srt":
        transcript = srt_to_transcript(text)
    else:
        segments, _tags = read_eaf(text.encode("utf-8"))
        if not segments:
            raise InterchangeError("Dit bestand is geen geldig ELAN-bestand: er staan geen sprekerlagen met tekst in")
        transcript = make_transcript(segments)
    if speaker_map:
        transcript.segments = [replace(s, speaker=speaker_map.get(s.speaker, s.speaker)) for s in transcript.segments]
    return transcript
