"""The exam report as plain data: what the PDF and the score exports are rendered from.

The KSF audits every testing organisation: each result must be traceable to what was
heard. An ExamReport therefore carries, next to the scores and the verdict, the evidence
behind every item and the settings (rubric version, n.v.t. policy) it was judged under.
The services layer fills these from the database; renderers only read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .tags import format_span, format_time
from .verdict import ScoreStatus, Verdict

TEXT_CHANNELS = ("chat", "e-mail")

STATUS_LABELS = {**{s: s.label for s in ScoreStatus}, None: "niet gescoord"}

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


def format_date_nl(when: datetime | None, with_time: bool = False) -> str:
    """'12 maart 2025' (optionally ', 14:05'); locale-independent so reports never depend on the OS."""
    if when is None:
        return "—"
    text = f"{when.day} {_MONTHS[when.month - 1]} {when.year}"
    return f"{text}, {when:%H:%M}" if with_time else text


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return format_time(seconds)


@dataclass(frozen=True)
class ReportConversation:
    """One conversation the checklist was filled in over (audio has a duration, text has turns)."""

    title: str
    channel: str
    occurred_at: datetime | None = None
    duration: float | None = None
    turns: int | None = None

    @property
    def is_text(self) -> bool:
        return self.channel in TEXT_CHANNELS

    @property
    def length_label(self) -> str:
        """'4:12' for audio, '14 beurten' for chat/e-mail."""
        if self.is_text:
            if self.turns is None:
                return "—"
            return f"{self.turns} {'beurt' if self.turns == 1 else 'beurten'}"
        return format_duration(self.duration)


@dataclass(frozen=True)
class ReportEvidence:
    """A tagged passage behind an item.

    Audio: start/end in seconds. Text (chat/e-mail): 0-based turn indices with turn i
    spanning [i, i+1), shown 1-based like the review screen ("beurt 3–4" for 2.0–4.0).
    """

    conversation_title: str
    start: float
    end: float
    channel: str
    polarity: str
    note: str = ""
    excerpt: str = ""

    @property
    def is_text(self) -> bool:
        return self.channel in TEXT_CHANNELS

    @property
    def is_positive(self) -> bool:
        return self.polarity == "+"

    @property
    def location(self) -> str:
        return format_span(self.start, self.end, not self.is_text)  # as the screens show it


@dataclass(frozen=True)
class ReportItem:
    """One checklist item with its score, explanation and evidence."""

    code: str
    text: str
    points: int
    eindterm: str
    status: str | None
    reason: str = ""
    comment: str = ""
    evidence: tuple[ReportEvidence, ...] = ()
    points_awarded: int = 0

    @property
    def status_code(self) -> str | None:
        """The plain status string, also when a ScoreStatus enum was passed in."""
        return getattr(self.status, "value", self.status)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status_code, str(self.status_code))


@dataclass(frozen=True)
class ExamReport:
    """Everything an auditor needs to trace an exam result back to the conversations."""

    candidate: str
    examiner: str
    exam_date: datetime
    organisation: str
    conversations: tuple[ReportConversation, ...]
    items: tuple[ReportItem, ...]
    verdict: Verdict
    rubric_label: str
    rubric_key: str
    nvt_policy_label: str
    finalised_at: datetime | None
    finalised_by: str
    generated_at: datetime
    reopen_history: tuple[str, ...] = ()

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    @property
    def status_label(self) -> str:
        return "afgerond" if self.is_final else "in beoordeling"  # the words of the Examens page

    def items_of(self, eindterm: str) -> list[ReportItem]:
        return [it for it in self.items if it.eindterm == eindterm]
