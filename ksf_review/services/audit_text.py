"""The audit trail in Dutch words: what was done, to which exam, conversation or tag.

The log stores stable codes (``create``, ``tag``, ``136``), which is what a query or an
export to another system needs; the beheerder reads "markering 1.3a (+) bij gesprek
'Storing'". Names are looked up when the log is read, in one query per object type, so a
renamed conversation shows its current title; an object that is gone shows its number and
*(verwijderd)*. A calibration participant's tag never shows its item or evidence sign here:
the blind session must not leak through the log (see ``calibration``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from ..adapters.storage.models import (
    CalibrationSession,
    Candidate,
    Conversation,
    Exam,
    LibraryClip,
    Tag,
    TranscriptionJob,
    User,
)

ACTIONS = {
    "create": "aangemaakt",
    "update": "gewijzigd",
    "delete": "verwijderd",
    "rename": "hernoemd",
    "reassign": "andere examinator toegewezen",
    "view": "bekeken",
    "export": "geëxporteerd",
    "import": "geïmporteerd",
    "upload": "opname toegevoegd",
    "transcribe": "getranscribeerd",
    "cancel": "transcriptie geannuleerd",
    "retry": "transcriptie opnieuw gestart",
    "rename_speaker": "spreker hernoemd",
    "swap_speakers": "sprekers omgewisseld",
    "edit_segment": "transcript gecorrigeerd",
    "undo": "ongedaan gemaakt",
    "confirm_no_speech": "telt mee zonder spraak",
    "suggestion_accept": "suggestie geaccepteerd",
    "suggestion_accepted": "suggestie geaccepteerd",
    "suggestion_reject": "suggestie afgewezen",
    "suggestion_rejected": "suggestie afgewezen",
    "suggestion_restored": "afgewezen suggestie teruggezet",
    "score": "score opgeslagen",
    "finalise": "afgerond",
    "reopen": "heropend",
    "submit": "beoordeling ingediend",
    "reveal": "resultaten onthuld",
    "reveal_scores": "ingediende scores onthuld",
    "consensus": "consensus vastgesteld",
    "close": "gesloten",
    "promote": "toegevoegd aan de bibliotheek",
    "login": "ingelogd",
    "logout": "uitgelogd",
    "login_failed": "inloggen mislukt",
    "create_admin": "beheerdersaccount aangemaakt",
    "set_password": "wachtwoord gewijzigd",
    "activate": "account geactiveerd",
    "deactivate": "account uitgeschakeld",
    "seed_demo": "demo-examens aangemaakt",
    "delete_demo": "demo-examens verwijderd",
    "set_retention": "bewaartermijn ingesteld",
    "retention_run": "bewaartermijn toegepast",
    "retention_delete": "opgeschoond (bewaartermijn)",
}

OBJECT_TYPES = {
    "exam": "examen",
    "conversation": "gesprek",
    "tag": "markering",
    "user": "account",
    "transcription_job": "transcriptie",
    "settings": "instelling",
    "audit_log": "auditlog",
    "library": "bibliotheekvoorbeeld",
    "calibration": "kalibratiesessie",
}

_SETTINGS = {"retention_days": "bewaartermijn"}


def action_label(action: str) -> str:
    return ACTIONS.get(action, action.replace("_", " "))


def actions_matching(text: str) -> list[str]:
    """Action codes whose Dutch label contains `text` (so a search for 'heropend' finds 'reopen')."""
    text = text.strip().lower()
    return [code for code, label in ACTIONS.items() if text and text in label.lower()]


def _ids(values: Iterable[str]) -> list[int]:
    return sorted({int(v) for v in values if str(v).isdigit()})


def _quoted(text: str) -> str:
    return f"'{text}'"


def object_labels(s, events: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Dutch names for (object_type, object_id) pairs; one query per object type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for otype, oid in events:
        for part in str(oid).split(","):
            wanted[otype].add(part.strip())

    names: dict[tuple[str, str], str] = {}
    conv_titles: dict[int, str] = {}

    def conversations(ids: Iterable[int]) -> None:
        missing = [i for i in ids if i not in conv_titles]
        if missing:
            for cid, title in s.execute(select(Conversation.id, Conversation.title).where(Conversation.id.in_(missing))):
                conv_titles[cid] = title

    for tid, item, pol, cid, aid in s.execute(
        select(Tag.id, Tag.item_code, Tag.polarity, Tag.conversation_id, Tag.assessment_id).where(Tag.id.in_(_ids(wanted["tag"])))
    ):
        conversations([cid])
        where = f" bij gesprek {_quoted(conv_titles.get(cid, str(cid)))}"
        names[("tag", str(tid))] = (
            "kalibratiemarkering" + where if aid is not None else f"markering {item} ({'−' if pol == '-' else '+'})" + where
        )
    for jid, cid in s.execute(
        select(TranscriptionJob.id, TranscriptionJob.conversation_id).where(TranscriptionJob.id.in_(_ids(wanted["transcription_job"])))
    ):
        conversations([cid])
        names[("transcription_job", str(jid))] = f"transcriptie van gesprek {_quoted(conv_titles.get(cid, str(cid)))}"
    conversations(_ids(wanted["conversation"]))
    for cid, title in conv_titles.items():
        names[("conversation", str(cid))] = f"gesprek {_quoted(title)}"
    for eid, name in s.execute(
        select(Exam.id, Candidate.name).join(Candidate, Exam.candidate_id == Candidate.id).where(Exam.id.in_(_ids(wanted["exam"])))
    ):
        names[("exam", str(eid))] = f"examen {_quoted(name)}"
    for uid, username in s.execute(select(User.id, User.username).where(User.id.in_(_ids(wanted["user"])))):
        names[("user", str(uid))] = f"account {_quoted(username)}"
    for sid, title in s.execute(
        select(CalibrationSession.id, CalibrationSession.title).where(CalibrationSession.id.in_(_ids(wanted["calibration"])))
    ):
        names[("calibration", str(sid))] = f"kalibratiesessie {_quoted(title)}"
    for lid, item, label in s.execute(
        select(LibraryClip.id, LibraryClip.item_code, LibraryClip.label).where(LibraryClip.id.in_(_ids(wanted["library"])))
    ):
        names[("library", str(lid))] = f"bibliotheekvoorbeeld {item} ({label})"
    return names


def object_label(otype: str, oid: str, names: dict[tuple[str, str], str]) -> str:
    """One object (or a comma-separated list of them) in Dutch."""
    kind = OBJECT_TYPES.get(otype, otype)
    if otype == "settings":
        return f"instelling {_SETTINGS.get(oid, oid)}" if oid else "instellingen"
    if otype == "user" and oid and not oid.isdigit():
        return f"account {_quoted(oid)}"
    parts = [p.strip() for p in str(oid).split(",") if p.strip()]
    if not parts:
        return kind
    return ", ".join(names.get((otype, p), f"{kind} {p} (verwijderd)") for p in parts)
