"""Shared pieces of the interchange formats: the error type, decoding, time and text hygiene.

Every reader turns library errors into one InterchangeError with a Dutch message, so
the UI can show it as is; every writer rounds times to milliseconds, the resolution
all these formats share.
"""

from __future__ import annotations

import re

from ksf_review.domain.transcript import AGENT, CUSTOMER, MONO, Segment, Transcript

#: speaker labels recognised as a "naam: " prefix in SRT/VTT text
KNOWN_SPEAKERS: tuple[str, ...] = (AGENT, CUSTOMER, MONO)


class InterchangeError(ValueError):
    """A file that cannot be read or written in the requested format (message in Dutch)."""


def invalid(kind: str, reason: object) -> InterchangeError:
    """'Dit bestand is geen geldig WebVTT-bestand: <reason>' — the one wording users see."""
    return InterchangeError(f"Dit bestand is geen geldig {kind}: {reason}")


def library_reason(exc: Exception, invalid_format: str) -> str:
    """webvtt-py's English error text, said in Dutch."""
    msg = str(exc)
    if "Invalid format" in msg:
        return invalid_format
    if msg.startswith("Invalid timestamp"):
        return f"ongeldige tijdsaanduiding {msg[len('Invalid timestamp') :].strip()}"
    return f"onleesbare ondertitel ({msg})"


def decode_text(data: bytes | str) -> str:
    """UTF-8 (with or without BOM) first; old subtitle files are often Windows-1252."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def to_ms(seconds: float) -> int:
    return int(round(float(seconds) * 1000))


def round_s(seconds: float) -> float:
    return round(float(seconds), 3)


_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
# control characters are invalid in XML (ELAN) and meaningless in subtitles
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """Cue text as one line: subtitle line wrapping means nothing in a transcript."""
    flat = " ".join(part.strip() for part in _CONTROL.sub("", str(text)).splitlines())
    return _SPACES.sub(" ", flat).strip()


def split_speaker_prefix(text: str, speakers: tuple[str, ...] = KNOWN_SPEAKERS) -> tuple[str | None, str]:
    """'medewerker: Goedemiddag' → ('medewerker', 'Goedemiddag'); unknown prefixes stay text."""
    head, sep, rest = text.partition(":")
    if sep:
        name = head.strip()
        for known in speakers:
            if name.casefold() == known.casefold():
                return known, rest.strip()
    return None, text


def make_transcript(segments: list[Segment], *, duration: float = 0.0, model: str = "", settings: dict | None = None) -> Transcript:
    """Sort by time and fill in the duration from the last segment when the file has none."""
    segments = sorted(segments, key=lambda s: (s.start, s.channel))
    end = max((s.end for s in segments), default=0.0)
    return Transcript(segments=segments, duration=round_s(max(duration or 0.0, end)), model=model, settings=dict(settings or {}))
