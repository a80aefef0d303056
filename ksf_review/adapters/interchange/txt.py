"""Plain text: one line per segment, `[0:03] medewerker: tekst`, for reading and pasting."""

from __future__ import annotations

from ksf_review.domain.tags import format_time
from ksf_review.domain.transcript import MONO, Transcript

from ._common import one_line


def transcript_to_txt(transcript: Transcript) -> str:
    lines = [f"[{format_time(s.start)}] {one_line(s.speaker) or MONO}: {one_line(s.text)}" for s in transcript.segments]
    return "\n".join(lines) + ("\n" if lines else "")
