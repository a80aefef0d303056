"""Suggested tags for a conversation, and the examiner's accept/reject decisions.

A suggestion is only a proposal: accepting turns it into a normal tag whose origin says it
came from a suggestion; rejecting records the decision so it is not proposed again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select

from ..adapters import suggestion_store
from ..adapters.storage.models import AudioAsset, Conversation, Exam, SuggestionDecision, User
from ..domain.suggestions import Suggestion, bundled_rules, suggest
from ..domain.tags import TagOrigin
from . import audit
from .context import AppContext
from .conversations import RevisionCache, accessible_conversation, conversation_segments, segments_revision
from .tagging import add_tag, list_tags


@dataclass(frozen=True)
class Proposal:
    key: str
    suggestion: Suggestion


_FOUND = RevisionCache()


def _suggestions(ctx: AppContext, actor: User, conv_id: int, span: tuple[float, float] | None = None) -> tuple[Suggestion, ...]:
    """The rules' suggestions for the conversation (or the span of it), once per transcript revision.

    A span (a page of a long chat) is computed on its own: the rules over all turns of a
    1 MB chat take tens of seconds, which the first opening would otherwise wait for.
    """
    rules = bundled_rules()
    rev = segments_revision(ctx, actor, conv_id)
    if rev is None:
        return ()
    key = (rev, id(rules), span)
    found = _FOUND.get(key)
    if found is None:
        found = _stored(ctx, conv_id, rev, span, key)
    if found is None:
        segments = conversation_segments(ctx, actor, conv_id, span=span)
        found = tuple(suggest(segments, rules, until=None if span else _recording_end(ctx, actor, conv_id))) if segments else ()
        _FOUND.put(key, found)
        suggestion_store.save(ctx.settings.suggestions_dir, conv_id, _stored_revision(ctx, rev), span, found)
    return found


def _stored_revision(ctx: AppContext, rev: tuple) -> tuple:
    """The revision without the database's address: the files sit beside that database (its
    data folder), and a copied or moved folder keeps them."""
    return tuple(x for x in rev if x != ctx.settings.database_url)


def _stored(ctx: AppContext, conv_id: int, rev, span, key) -> tuple[Suggestion, ...] | None:
    """The suggestions another process (the worker, after the transcription) stored for this revision."""
    found = suggestion_store.load(ctx.settings.suggestions_dir, conv_id, _stored_revision(ctx, rev), span)
    if found is not None:
        _FOUND.put(key, found)
    return found


def _recording_end(ctx: AppContext, actor: User, conv_id: int) -> float | None:
    """The length of the conversation's recording (None for chat/e-mail): an absence at the close
    of a call reaches up to it."""
    with ctx.db.unit_of_work() as s:
        conv = accessible_conversation(s, actor, conv_id)
        if conv.audio_id is None:
            return None
        return s.scalar(select(AudioAsset.duration).where(AudioAsset.id == conv.audio_id)) or None


#: a conversation (or page of turns) of at most this many segments gets its suggestions at
#: once; a longer one in a background thread, so that opening the page never waits for the
#: rules (a 60-minute call: seconds, #14.9)
AT_ONCE = 300
_RUNNING: dict = {}
_RUN_LOCK = threading.Lock()


def ensure_computing(ctx: AppContext, actor: User, conv_id: int, span: tuple[float, float] | None = None) -> bool:
    """True: `proposals` can answer now (cached, or quick to compute). False: they are being
    computed in the background; ask again in a moment."""
    rules = bundled_rules()
    rev = segments_revision(ctx, actor, conv_id)  # also the access check
    if rev is None:
        return True
    key = (rev, id(rules), span)
    if _FOUND.get(key) is not None or _stored(ctx, conv_id, rev, span, key) is not None:
        return True
    if len(conversation_segments(ctx, actor, conv_id, span=span)) <= AT_ONCE:
        return True
    with _RUN_LOCK:
        running = _RUNNING.get(key)
        if running is None:
            running = threading.Thread(
                target=_suggestions, args=(ctx, actor, conv_id, span), daemon=True, name=f"ksf-suggestions-{conv_id}"
            )
            _RUNNING[key] = running
            running.start()
            return False
        if running.is_alive():
            return False
        del _RUNNING[key]
    return True  # done (or failed: `proposals` then tries again and says why)


def warm_suggestions(ctx: AppContext, conv_id: int) -> None:
    """Compute and store a conversation's suggestions as its exam's examiner would see them
    (the worker, after a job): the pages then read them from the store (#14.9)."""
    with ctx.db.unit_of_work() as s:
        conv = s.get(Conversation, conv_id)
        exam = s.get(Exam, conv.exam_id) if conv is not None else None
        examiner = s.get(User, exam.examiner_id) if exam is not None and exam.examiner_id else None
    if examiner is not None:
        _suggestions(ctx, examiner, conv_id)


def _made_in(assessment_id: int | None):
    """Decisions made in the exam (None) or in this blind calibration assessment: they never mix."""
    column = SuggestionDecision.assessment_id
    return column.is_(None) if assessment_id is None else column == assessment_id


def _key(s: Suggestion) -> str:
    return f"{s.item}|{s.polarity}|{s.start:.2f}|{s.end:.2f}"


def proposals(
    ctx: AppContext, actor: User, conv_id: int, assessment_id: int | None = None, span: tuple[float, float] | None = None
) -> list[Proposal]:
    """Open suggestions: not yet decided by this examiner and not already tagged the same way.

    `span` (start, end) limits them to the segments in it: the page of a long chat on screen.
    The rules run once per transcript revision (and span), cached, so the cost of a page does
    not grow with the conversation.
    """
    found = _suggestions(ctx, actor, conv_id, span)
    if not found:
        return []
    tags = list_tags(ctx, actor, conv_id, assessment_id=assessment_id)
    with ctx.db.unit_of_work() as s:
        decided = set(
            s.scalars(
                select(SuggestionDecision.key).where(
                    SuggestionDecision.conversation_id == conv_id,
                    SuggestionDecision.examiner_id == actor.id,
                    _made_in(assessment_id),
                )
            )
        )
    tagged: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for t in tags:
        tagged.setdefault((t.item, t.polarity), []).append((t.start, t.end))
    out = []
    for sug in found:
        key = _key(sug)
        if key in decided:
            continue
        if any(start < sug.end and sug.start < end for start, end in tagged.get((sug.item, sug.polarity), ())):
            continue
        out.append(Proposal(key, sug))
    return out


def accept(ctx: AppContext, actor: User, conv_id: int, proposal: Proposal, note: str = "", assessment_id: int | None = None):
    sug = proposal.suggestion
    tag = add_tag(
        ctx,
        actor,
        conv_id,
        sug.start,
        sug.end,
        sug.item,
        sug.polarity,
        note or sug.reason,
        origin=TagOrigin.SUGGESTION.value,
        assessment_id=assessment_id,
    )
    _decide(ctx, actor, conv_id, proposal.key, "accepted", assessment_id)
    return tag


def reject(ctx: AppContext, actor: User, conv_id: int, proposal: Proposal, assessment_id: int | None = None) -> None:
    _decide(ctx, actor, conv_id, proposal.key, "rejected", assessment_id)


def _decide(ctx: AppContext, actor: User, conv_id: int, key: str, decision: str, assessment_id: int | None = None) -> None:
    """The decision is the examiner's own (per examiner), so reading the conversation suffices.
    In a calibration (`assessment_id`) the key (item and polarity) stays out of the audit log."""
    with ctx.db.unit_of_work() as s:
        accessible_conversation(s, actor, conv_id)
        s.add(SuggestionDecision(conversation_id=conv_id, examiner_id=actor.id, key=key, decision=decision, assessment_id=assessment_id))
        audit.record(s, actor, f"suggestion_{decision}", "conversation", conv_id, key if assessment_id is None else "kalibratie (blind)")


def matching(props: list[Proposal], item: str | None = None, min_confidence: float = 0.0) -> list[Proposal]:
    """The proposals a bulk action applies to: one item (None: all) at or above a confidence."""
    return [p for p in props if (item is None or p.suggestion.item == item) and p.suggestion.confidence >= min_confidence - 1e-9]


def accept_all(
    ctx: AppContext, actor: User, conv_id: int, props: list[Proposal], assessment_id: int | None = None
) -> tuple[int, list[str]]:
    """Accept several proposals in one action: (how many became a tag, Dutch refusals)."""
    from .context import ServiceError

    done, refused = 0, []
    for p in props:
        try:
            accept(ctx, actor, conv_id, p, assessment_id=assessment_id)
            done += 1
        except ServiceError as exc:
            refused.append(f"{p.suggestion.item}: {exc}")
    return done, refused


def reject_all(ctx: AppContext, actor: User, conv_id: int, props: list[Proposal], assessment_id: int | None = None) -> int:
    """Reject several proposals in one action; they stay listed as rejected and can be restored."""
    for p in props:
        reject(ctx, actor, conv_id, p, assessment_id=assessment_id)
    return len(props)


def rejected(
    ctx: AppContext, actor: User, conv_id: int, span: tuple[float, float] | None = None, assessment_id: int | None = None
) -> list[Proposal]:
    """The suggestions this examiner rejected (and did not restore) here (the exam, or `assessment_id`), in time order."""
    found = _suggestions(ctx, actor, conv_id, span)
    if not found:
        return []
    with ctx.db.unit_of_work() as s:
        keys = set(
            s.scalars(
                select(SuggestionDecision.key).where(
                    SuggestionDecision.conversation_id == conv_id,
                    SuggestionDecision.examiner_id == actor.id,
                    SuggestionDecision.decision == "rejected",
                    _made_in(assessment_id),
                )
            )
        )
    return [Proposal(_key(sug), sug) for sug in found if _key(sug) in keys]


def restore(ctx: AppContext, actor: User, conv_id: int, proposal: Proposal, assessment_id: int | None = None) -> None:
    """Undo a rejection: the suggestion is proposed again (the examiner's own decision only)."""
    forget_decision(ctx, actor, conv_id, proposal.key, "rejected", assessment_id)


def forget_decision(ctx: AppContext, actor: User, conv_id: int, key: str, decision: str, assessment_id: int | None = None) -> None:
    """The examiner's own decision on suggestion `key` goes: it is proposed again (a restore
    after a rejection; the undo of an accept, once its tag is gone)."""
    from sqlalchemy import delete

    with ctx.db.unit_of_work() as s:
        accessible_conversation(s, actor, conv_id)
        s.execute(
            delete(SuggestionDecision).where(
                SuggestionDecision.conversation_id == conv_id,
                SuggestionDecision.examiner_id == actor.id,
                SuggestionDecision.key == key,
                SuggestionDecision.decision == decision,
                _made_in(assessment_id),
            )
        )
        audit.record(s, actor, "suggestion_restored", "conversation", conv_id, key if assessment_id is None else "kalibratie (blind)")
