"""Who may see and who may change which exam and conversation — checked in every service.

One place for both questions, because they differ:

- read: examinator own exams and the fictional demo exams; coördinator and beheerder all exams;
  a calibration session's participants also *read* the session's conversations.
- write (transcript, speaker names, exam tags, scores, transcription jobs): only who may read the
  exam itself, and only while the exam is not finalised. Calibration participation never gives
  write access: a participant's own blind tags and scores are checked by `calibration_access`.
"""

from __future__ import annotations

from ..adapters.storage.models import Conversation, Exam, User
from ..domain.roles import MANAGERS
from .context import ServiceError


class Forbidden(ServiceError):
    pass


def sees_all_exams(actor: User) -> bool:
    return actor is not None and actor.role in MANAGERS


def can_access_exam(actor: User, exam: Exam) -> bool:
    if actor is None:
        return False
    return sees_all_exams(actor) or exam.examiner_id == actor.id or exam.is_demo


def ensure_exam_access(actor: User, exam: Exam | None) -> None:
    if exam is not None and not can_access_exam(actor, exam):
        raise Forbidden("Je hebt geen toegang tot dit examen.")


def ensure_exam_write(actor: User, exam: Exam) -> None:
    """Change the exam's record: exam access and not finalised (locked)."""
    from .exams import require_editable

    ensure_exam_access(actor, exam)
    require_editable(exam)


def ensure_conversation_read(s, actor: User, conv: Conversation) -> None:
    """Read a conversation: through its exam, else as a participant of a calibration session."""
    from .calibration_access import ensure_calibration_conversation_access

    if actor is None:
        raise Forbidden("Je hebt geen toegang tot dit gesprek.")
    if conv.exam_id is not None:
        exam = s.get(Exam, conv.exam_id)
        if exam is None or can_access_exam(actor, exam):
            return
    ensure_calibration_conversation_access(s, actor, conv)


READ_ONLY = "Je mag dit gesprek lezen, maar niet wijzigen."


def ensure_conversation_write(s, actor: User, conv: Conversation) -> None:
    """Change a conversation (transcript, speakers, exam tags, jobs): never via a calibration session.

    A conversation outside any exam (a calibration pool) is changed by a coördinator or beheerder only.
    """
    ensure_conversation_read(s, actor, conv)
    exam = s.get(Exam, conv.exam_id) if conv.exam_id is not None else None
    if exam is None:
        if not sees_all_exams(actor):
            raise Forbidden(READ_ONLY)
        return
    if not can_access_exam(actor, exam):
        raise Forbidden(READ_ONLY)
    ensure_exam_write(actor, exam)


def ensure_job_write(ctx, actor: User, job_id: int) -> None:
    """Cancel or retry a transcription job: only who may change its conversation.

    A missing job is left to the caller (it says so in its own words).
    """
    from ..adapters.storage.models import TranscriptionJob

    with ctx.db.unit_of_work() as s:
        job = s.get(TranscriptionJob, job_id)
        conv = s.get(Conversation, job.conversation_id) if job is not None else None
        if job is None:
            return
        if conv is None:
            if not sees_all_exams(actor):
                raise Forbidden("Je hebt geen toegang tot deze transcriptietaak.")
            return
        ensure_conversation_write(s, actor, conv)
