"""The states an exam, an assessment, a calibration session and a transcription job go through.

``StrEnum``: a state compares equal to the string stored in the database (no migration),
and formats as that string. Each has its Dutch label for the UI.
"""

from __future__ import annotations

from enum import StrEnum


class ExamStatus(StrEnum):
    DRAFT = "draft"  # created, nothing reviewed yet
    IN_REVIEW = "in_review"
    FINALISED = "finalised"

    @property
    def label(self) -> str:
        return "afgerond" if self is ExamStatus.FINALISED else "in beoordeling"


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return "ingediend" if self is AssessmentStatus.SUBMITTED else "bezig"


class CalibrationState(StrEnum):
    OPEN = "open"  # blind: nobody sees another's scores
    REVEALED = "revealed"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": "open (blind)", "revealed": "onthuld", "closed": "gesloten"}[self.value]


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _JOB_LABELS[self]


_JOB_LABELS = {
    JobState.QUEUED: "in de wachtrij",
    JobState.RUNNING: "bezig",
    JobState.DONE: "klaar",
    JobState.FAILED: "mislukt",
    JobState.CANCELLED: "geannuleerd",
}


class JobStep(StrEnum):
    """A step of a running transcription that the progress bar names (words are the default)."""

    SPEAKERS = "speakers"  # a mono call's voices told apart, after every word is heard

    @property
    def label(self) -> str:
        return "sprekers herkennen …"


#: a job that still holds (or waits for) a worker
ACTIVE_JOBS: tuple[JobState, ...] = (JobState.QUEUED, JobState.RUNNING)
#: a job the user may start again
RETRYABLE_JOBS: tuple[JobState, ...] = (JobState.FAILED, JobState.CANCELLED)


def label_of(enum: type[StrEnum], value: str | None, default: str = "onbekend") -> str:
    """Dutch label of a stored value; an unknown value is shown as it is, None as ``default``."""
    if value is None:
        return default
    try:
        return enum(value).label
    except ValueError:
        return value
