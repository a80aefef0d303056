"""Step 6, assign speakers: from the channel for stereo, from the voice for mono.

Stereo call recordings put the medewerker and the klant on separate channels, so the channel
says exactly who spoke. A mono call gets a speaker per voice (adapters/diarization.py) when
`diarization` options are set. Either way, no two segments of one speaker overlap afterwards.
"""

from __future__ import annotations

import numpy as np

from ...domain.segmentation import no_overlap
from ...domain.transcript import AGENT, CUSTOMER, MONO, Segment, merge_by_time
from .options import EngineOptions


def channel_speakers(channels: int, agent_channel: str = "left") -> list[str]:
    if channels < 2:
        return [MONO]
    return [AGENT, CUSTOMER] if agent_channel == "left" else [CUSTOMER, AGENT]


def assign_speakers(pcm: np.ndarray, rate: int, per_channel: list[list[Segment]], opts: EngineOptions) -> tuple[list[Segment], str]:
    """The conversation's segments in time order, and how the speaker was decided (`channel`/`voice`)."""
    source = "channel"
    if pcm.shape[0] == 1 and opts.diarization is not None:
        from ..diarization import diarize

        per_channel = [diarize(pcm[0], rate, per_channel[0], opts.diarization)]
        source = "voice"
    return no_overlap(merge_by_time(*per_channel)), source
