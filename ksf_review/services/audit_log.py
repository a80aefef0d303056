"""Reading the audit trail: search and export for the beheerder, in Dutch words (``audit_text``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..adapters.spreadsheet_safety import to_csv_bytes
from ..adapters.storage.models import AuditEvent, User
from ..domain.roles import Role
from . import audit
from .accounts import require_role
from .audit_text import action_label, actions_matching, object_label, object_labels
from .context import AppContext


@dataclass(frozen=True)
class AuditRow:
    when: datetime
    username: str
    action: str
    object_type: str
    object_id: str
    detail: str
    action_label: str = ""  # Dutch: "heropend"
    object_label: str = ""  # Dutch: "markering 1.3a (+) bij gesprek 'Storing'"


def search(
    ctx: AppContext,
    actor: User,
    *,
    text: str = "",
    username: str = "",
    object_type: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    require_role(actor, Role.BEHEERDER)
    q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if username:
        q = q.where(AuditEvent.username == username)
    if object_type:
        q = q.where(AuditEvent.object_type == object_type)
    if since:
        q = q.where(AuditEvent.created_at >= since)
    if until:
        q = q.where(AuditEvent.created_at <= until)
    if text:
        like = f"%{text}%"
        match = AuditEvent.detail.ilike(like) | AuditEvent.action.ilike(like) | AuditEvent.object_id.ilike(like)
        codes = actions_matching(text)
        q = q.where(match | AuditEvent.action.in_(codes) if codes else match)
    with ctx.db.unit_of_work() as s:
        events = list(s.scalars(q))
        names = object_labels(s, [(e.object_type, e.object_id) for e in events])
        return [
            AuditRow(
                e.created_at,
                e.username,
                e.action,
                e.object_type,
                e.object_id,
                e.detail,
                action_label(e.action),
                object_label(e.object_type, e.object_id, names),
            )
            for e in events
        ]


def export_csv(ctx: AppContext, actor: User, rows: list[AuditRow]) -> bytes:
    import pandas as pd

    df = pd.DataFrame(
        [r.__dict__ for r in rows],
        columns=["when", "username", "action_label", "object_label", "detail", "action", "object_type", "object_id"],
    )
    df.columns = ["tijdstip", "gebruiker", "actie", "object", "details", "actiecode", "objecttype", "objectnummer"]
    with ctx.db.unit_of_work() as s:
        audit.record(s, actor, "export", "audit_log", "", f"{len(rows)} regels")
    return to_csv_bytes(df, date_format="%Y-%m-%d %H:%M:%S")
