"""Undo an examiner's last change (#19.4): a tag added, changed or deleted, an accepted
suggestion, a score, a correction.

An undo is a change like any other: it goes through the same service (access, finalised
exam, and the version the examiner's change left), so it never overwrites a newer change by
someone else (Conflict, with a Dutch message) and it is audited; an extra "undo" record says
that it was an undo of what.
"""

from __future__ import annotations

from ..adapters.storage.models import User
from . import audit, scoring, tagging, users
from . import suggestions as sugg
from . import transcript_edits as edits
from .context import AppContext, Conflict, ServiceError

#: kind -> (audit object type, the data field holding its id)
KINDS = {
    "tags_added": ("conversation", "conv_id"),
    "suggestion_accepted": ("conversation", "conv_id"),
    "tag_deleted": ("conversation", "conv_id"),
    "tag_updated": ("tag", "id"),
    "score_set": ("exam", "exam_id"),
    "segment_edited": ("conversation", "conv_id"),
}

NEWER = "Niet ongedaan gemaakt: {what} Er is niets overschreven."


def _undo_tags_added(ctx, actor, data: dict) -> None:
    """The tags go (version-checked); a keyboard tag also takes its toetsterm off keys 1-9 again
    (`recent`: the list before and after it, see users.push_recent_item)."""
    tagging.delete_tags(ctx, actor, dict(zip(data["ids"], data["versions"], strict=True)))
    if data.get("recent"):
        users.restore_recent_items(ctx, actor, *data["recent"])


def _undo_suggestion_accepted(ctx, actor, data: dict) -> None:
    """Its tag goes (version-checked) and the suggestion is proposed again."""
    _undo_tags_added(ctx, actor, data)
    sugg.forget_decision(ctx, actor, data["conv_id"], data["key"], "accepted", data.get("assessment_id"))


def _undo_tag_deleted(ctx, actor, data: dict) -> None:
    tagging.add_tag(
        ctx,
        actor,
        data["conv_id"],
        data["start"],
        data["end"],
        data["item"],
        data["polarity"],
        data["note"],
        origin=data["origin"],
        excerpt=data["excerpt"],
        assessment_id=data["assessment_id"],
    )


def _undo_tag_updated(ctx, actor, data: dict) -> None:
    tagging.update_tag(ctx, actor, data["id"], data["version"], **data["before"])


def _undo_score_set(ctx, actor, data: dict) -> None:
    before = data["before"] or {"status": None, "reason": "", "comment": ""}
    scoring.set_item_score(
        ctx, actor, data["exam_id"], data["item"], before["status"], before["reason"], before["comment"], expected_version=data["version"]
    )


def _undo_segment_edited(ctx, actor, data: dict) -> None:
    edits.edit_segment(
        ctx,
        actor,
        data["conv_id"],
        data["index"],
        text=data["before"].get("text"),
        speaker=data["before"].get("speaker"),
        expected_version=data["version"],
    )


_UNDO = {
    "tags_added": _undo_tags_added,
    "suggestion_accepted": _undo_suggestion_accepted,
    "tag_deleted": _undo_tag_deleted,
    "tag_updated": _undo_tag_updated,
    "score_set": _undo_score_set,
    "segment_edited": _undo_segment_edited,
}


def undo(ctx: AppContext, actor: User, kind: str, data: dict, label: str) -> None:
    """Revert one remembered change; Conflict when someone changed it since (nothing is overwritten)."""
    if kind not in _UNDO:
        raise ServiceError(f"Onbekende wijziging '{kind}'; er is niets ongedaan gemaakt.")
    try:
        _UNDO[kind](ctx, actor, data)
    except Conflict as exc:
        what = str(exc).split(";")[0]
        raise Conflict(NEWER.format(what=what[:1].lower() + what[1:] + ".")) from exc
    object_type, id_field = KINDS[kind]
    with ctx.db.unit_of_work() as s:
        audit.record(s, actor, "undo", object_type, data[id_field], label)
