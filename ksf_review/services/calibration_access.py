"""Access to calibration-pool conversations: the session's participants and coördinators."""

from __future__ import annotations

from sqlalchemy import select

from ..adapters.storage.models import CalibrationConversation, CalibrationParticipant, Conversation, User
from ..domain.roles import MANAGERS
from ..domain.states import AssessmentStatus, CalibrationState
from .access import Forbidden


def ensure_calibration_conversation_access(s, actor: User, conv: Conversation) -> None:
    if actor is not None and actor.role in MANAGERS:
        return
    allowed = s.scalar(
        select(CalibrationParticipant.id)
        .join(CalibrationConversation, CalibrationConversation.session_id == CalibrationParticipant.session_id)
        .where(CalibrationConversation.conversation_id == conv.id, CalibrationParticipant.user_id == actor.id)
        .limit(1)
    )
    if allowed is None:
        raise Forbidden("Je hebt geen toegang tot dit gesprek.")


def _assessment(s, assessment_id: int):
    from ..adapters.storage.models import Assessment

    a = s.get(Assessment, assessment_id)
    if a is None or a.purpose not in ("calibration", "consensus"):
        raise Forbidden("Deze kalibratiebeoordeling bestaat niet.")
    return a


def ensure_own_open_assessment(s, actor: User, assessment_id: int):
    """Writing: only the participant's own calibration assessment, while the session is open."""
    from ..adapters.storage.models import CalibrationSession

    a = _assessment(s, assessment_id)
    session = s.get(CalibrationSession, a.calibration_session_id)
    if a.purpose == "consensus":
        if actor.role not in MANAGERS:
            raise Forbidden("Alleen de coördinator stelt de consensus vast.")
        return a
    if a.examiner_id != actor.id:
        raise Forbidden("Je kunt alleen je eigen kalibratiebeoordeling wijzigen.")
    if a.status == AssessmentStatus.SUBMITTED:
        from .context import ServiceError

        raise ServiceError("Je beoordeling is ingediend en kan niet meer wijzigen.")
    if session is None or session.state != CalibrationState.OPEN:
        from .context import ServiceError

        raise ServiceError("Deze kalibratiesessie is niet meer open.")
    return a


def ensure_may_read_assessment(s, actor: User, assessment_id: int):
    """Blind until reveal: before it, only the owner reads an assessment — coördinator included."""
    from ..adapters.storage.models import CalibrationSession

    a = _assessment(s, assessment_id)
    if a.examiner_id == actor.id:
        return a
    session = s.get(CalibrationSession, a.calibration_session_id)
    if session is not None and session.state in (CalibrationState.REVEALED, CalibrationState.CLOSED):
        if actor.role in MANAGERS or s.scalar(
            select(CalibrationParticipant.id).where(
                CalibrationParticipant.session_id == session.id, CalibrationParticipant.user_id == actor.id
            )
        ):
            return a
    if a.purpose == "consensus" and actor.role in MANAGERS:
        return a
    raise Forbidden("De beoordelingen van anderen zijn pas zichtbaar nadat de coördinator ze onthult.")
