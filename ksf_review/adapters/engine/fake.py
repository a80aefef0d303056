"""An engine that returns a fixed transcript (or raises) without loading a model: for tests."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ...domain.transcript import Segment, Transcript
from .contract import ProgressFn


@dataclass
class FakeEngine:
    segments: list[Segment] = field(default_factory=list)
    error: Exception | None = None
    model_name: str = "fake"
    settings: dict = field(default_factory=dict)
    calls: int = 0
    seconds: float = 0.0  # > 0: take this long, reporting progress ten times (queue tests)
    speaker_source: str = "channel"

    def transcribe(self, path: Path, agent_channel: str = "left", progress: ProgressFn | None = None) -> Transcript:
        self.calls += 1
        if self.error:
            raise self.error
        for step in range(1, 10 if self.seconds > 0 else 0):
            time.sleep(self.seconds / 10)
            if progress:
                progress(step / 10)
        if self.seconds > 0:
            time.sleep(self.seconds / 10)
        if progress:
            progress(0.5)
            progress(1.0)
        duration = max((s.end for s in self.segments), default=0.0)
        return Transcript(
            segments=list(self.segments),
            duration=duration,
            model=self.model_name,
            settings=dict(self.settings),
            speaker_source=self.speaker_source,
        )
