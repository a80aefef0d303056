"""Record who did what to which object: the trail the KSF audit asks for."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..adapters.storage.models import AuditEvent, User


def record(session: Session, actor: User | None, action: str, object_type: str, object_id: object = "", detail: str = "") -> None:
    session.add(
        AuditEvent(
            user_id=actor.id if actor else None,
            username=actor.username if actor else "systeem",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail[:2000],
        )
    )
