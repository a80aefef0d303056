"""A conversation's transcript and tags as files (WebVTT, SRT, text, JSON, ELAN, Label Studio).

Like ``reports``: render, record the export in the audit log, return the text. The pages
pass what they already show (the segments and tags they read through the services), so a
download is exactly what is on screen.
"""

from __future__ import annotations

from typing import Sequence

from ..adapters.interchange import export_tags, export_transcript
from ..domain.rubric import Rubric
from ..domain.tags import Polarity, TagData
from ..domain.transcript import Segment, Transcript
from . import audit
from .context import AppContext


def _record(ctx: AppContext, actor, conv_id: int, fmt: str) -> None:
    with ctx.db.unit_of_work() as s:
        audit.record(s, actor, "export", "conversation", conv_id, fmt)


def transcript_file(ctx: AppContext, actor, conv, segments: Sequence[Segment], fmt: str) -> str:
    """The transcript of ``conv`` as ``fmt``: "vtt", "srt", "txt" or "json"."""
    text = export_transcript(Transcript(segments=list(segments), duration=conv.duration), fmt)
    _record(ctx, actor, conv.id, fmt)
    return text


def tags_file(ctx: AppContext, actor, conv, segments: Sequence[Segment], tags, fmt: str, rubric: Rubric) -> str:
    """The transcript with ``tags`` (the markeringen shown) as ``fmt``: "eaf" or "labelstudio"."""
    tag_data = [TagData(t.start, t.end, t.item, Polarity(t.polarity), t.note, actor.username) for t in tags]
    audio = conv.audio_path.name if conv.audio_path else ""
    text = export_tags(Transcript(segments=list(segments), duration=conv.duration), tag_data, fmt, audio=audio, rubric=rubric)
    _record(ctx, actor, conv.id, fmt)
    return text
