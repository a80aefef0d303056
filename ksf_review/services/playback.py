"""What the player loads for a recording: the file to stream and its waveform.

The waveform is a convenience: when it cannot be made the player still plays, and the
page says so in Dutch instead of leaving the lane silently empty (the cause is logged).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..adapters.playback_copy import playback_file
from ..adapters.waveform import peaks_for
from .context import AppContext

log = logging.getLogger(__name__)

NO_WAVEFORM = "De golfvorm van deze opname kon niet worden gemaakt; afspelen en markeren werken gewoon."


@dataclass(frozen=True)
class PlayerMedia:
    path: Path | None  # None: no recording (a text conversation, or removed after retention)
    mimetype: str = ""
    peaks: dict | None = None
    problem: str = ""  # Dutch: why the waveform is missing


def player_media(ctx: AppContext, conv) -> PlayerMedia:
    """The playback file (the compressed copy once it exists) and the waveform peaks of
    ``conv`` (a conversation view the caller was allowed to read)."""
    if not conv.has_audio or conv.audio_path is None:
        return PlayerMedia(None)
    path, mimetype = playback_file(conv.audio_path, conv.mimetype)
    try:
        peaks = peaks_for(conv.audio_path, conv.audio_sha256, ctx.settings.peaks_dir)
    except Exception:  # noqa: BLE001 - any decoding failure: no waveform is better than no player
        log.warning("golfvorm van gesprek %s mislukt", conv.id, exc_info=True)
        return PlayerMedia(path, mimetype, None, NO_WAVEFORM)
    return PlayerMedia(path, mimetype, peaks)
