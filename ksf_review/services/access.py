"""Who may see and change which exam — checked in every service, not by hiding pages.

examinator: own exams (and the fictional demo exams); coördinator and beheerder: all exams.
Calibration assignments are checked by the calibration service itself.
"""

from __future__ import annotations

from ..adapters.storage.models import Exam, User
from .context import ServiceError


class Forbidden(ServiceError):
    pass


def sees_all_exams(actor: User) -> bool:
    return actor is not None and actor.role in ("coordinator", "beheerder")


def can_access_exam(actor: User, exam: Exam) -> bool:
    if actor is None:
        return False
    return sees_all_exams(actor) or exam.examiner_id == actor.id or exam.is_demo


def ensure_exam_access(actor: User, exam: Exam | None) -> None:
    if exam is not None and not can_access_exam(actor, exam):
        raise Forbidden("Je hebt geen toegang tot dit examen.")
