"""Transcript model: time-ranged, channel-aware segments with word timings.

Shaped after lhotse's SupervisionSegment: every segment knows its speaker and channel,
and every word keeps its own timing and probability, so tags, exports and anonymisation
can all work from the same timeline. Pure Python, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: speaker labels used throughout the tool (Dutch, as shown in the UI)
AGENT = "medewerker"
CUSTOMER = "klant"
MONO = "spreker"

#: how a speaker that was never renamed is shown (transcript, fields, library): "Klant", not "klant"
SPEAKER_LABELS = {AGENT: "Medewerker", CUSTOMER: "Klant", MONO: "Spreker"}
_ROLE_PREFIX = re.compile(r"^(medewerker|klant|spreker):", re.MULTILINE)


def speaker_label(speaker: str, names: dict | None = None) -> str:
    """A stored speaker as the transcript shows it: the examiner's name for it as typed, else "Klant" etc."""
    name = str((names or {}).get(speaker, speaker))
    return SPEAKER_LABELS.get(name, name)


def labelled_lines(text: str) -> str:
    """Lines "klant: …" (an excerpt stored before speakers were shown as "Klant") as the transcript shows them."""
    return _ROLE_PREFIX.sub(lambda m: SPEAKER_LABELS[m.group(1)] + ":", text)


#: words below this probability are shown as uncertain in the UI
LOW_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float = 1.0

    @property
    def low_confidence(self) -> bool:
        return self.probability < LOW_CONFIDENCE

    def to_dict(self) -> dict:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "word": self.word,
            "probability": round(self.probability, 3),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Word":
        return cls(float(d["start"]), float(d["end"]), str(d["word"]), float(d.get("probability", 1.0)))


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    speaker: str
    text: str
    channel: int = 0
    words: tuple[Word, ...] = field(default_factory=tuple)

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "speaker": self.speaker,
            "channel": self.channel,
            "text": self.text,
            "words": [w.to_dict() for w in self.words],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Segment":
        words = tuple(Word.from_dict(w) for w in d.get("words") or ())
        return cls(
            start=float(d["start"]),
            end=float(d["end"]),
            speaker=str(d.get("speaker") or MONO),
            text=str(d.get("text", "")).strip(),
            channel=int(d.get("channel") or 0),
            words=words,
        )


@dataclass
class Transcript:
    segments: list[Segment]
    duration: float = 0.0
    model: str = ""
    settings: dict = field(default_factory=dict)
    #: how each segment's speaker was decided: "channel" (stereo, or one mono `spreker`) or
    #: "voice" (a mono call whose speakers were told apart by their voices, medewerker guessed)
    speaker_source: str = "channel"

    def to_dict(self) -> dict:
        segments = [s.to_dict() for s in self.segments]
        if self.speaker_source == "voice":
            for s in segments:
                s["channel"] = None  # one channel carries every voice
        return {
            "duration": round(self.duration, 3),
            "model": self.model,
            "settings": dict(self.settings),
            "segments": segments,
            "speaker_source": self.speaker_source,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Transcript":
        return cls(
            segments=[Segment.from_dict(s) for s in d.get("segments", [])],
            duration=float(d.get("duration") or 0.0),
            model=str(d.get("model") or ""),
            settings=dict(d.get("settings") or {}),
            speaker_source=str(d.get("speaker_source") or "channel"),
        )

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


def merge_by_time(*channels: list[Segment]) -> list[Segment]:
    """Merge per-channel segment lists into one conversation ordered by start time."""
    merged = [s for segs in channels for s in segs]
    return sorted(merged, key=lambda s: (s.start, s.channel))
