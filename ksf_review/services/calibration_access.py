"""Access to calibration-pool conversations: the session's participants and coördinators."""

from __future__ import annotations

from sqlalchemy import select

from ..adapters.storage.models import CalibrationConversation, CalibrationParticipant, Conversation, User
from .access import Forbidden


def ensure_calibration_conversation_access(s, actor: User, conv: Conversation) -> None:
    if actor is not None and actor.role in ("coordinator", "beheerder"):
        return
    allowed = s.scalar(
        select(CalibrationParticipant.id)
        .join(CalibrationConversation, CalibrationConversation.session_id == CalibrationParticipant.session_id)
        .where(CalibrationConversation.conversation_id == conv.id, CalibrationParticipant.user_id == actor.id)
        .limit(1))
    if allowed is None:
        raise Forbidden("Je hebt geen toegang tot dit gesprek.")
