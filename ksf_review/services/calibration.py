"""Calibration sessions: several examiners score the same conversations blind, then compare.

Blindness is enforced here: before the coördinator reveals a session, a query for someone
else's tags or scores is refused, whoever asks. Calibration assessments are stored with
purpose 'calibration' and never count as exam results; the coördinator's consensus is an
assessment with purpose 'consensus' and becomes the reference for later comparisons.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

import pandas as pd
from sqlalchemy import select

from ..adapters.storage.models import (
    Assessment,
    CalibrationConversation,
    CalibrationParticipant,
    CalibrationSession,
    Conversation,
    Exam,
    ItemScore,
    Tag,
    User,
)
from ..domain.agreement import SessionStats, TagCluster, TagMatching
from ..domain.roles import ASSESSORS, MANAGERS
from ..domain.states import AssessmentStatus, CalibrationState, label_of
from ..domain.tags import Polarity, TagData
from ..domain.verdict import ScoreStatus
from . import audit
from .accounts import require_role
from .calibration_access import ensure_may_read_assessment, ensure_own_open_assessment
from .context import AppContext, NotFound, ServiceError
from .users import Account

#: a participant who has not opened the session yet has no assessment
NOT_STARTED = "niet gestart"


@dataclass(frozen=True)
class Participant:
    user_id: int
    name: str
    status: str  # AssessmentStatus (draft/submitted) or NOT_STARTED

    @property
    def submitted(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED

    @property
    def status_label(self) -> str:
        return label_of(AssessmentStatus, self.status)


@dataclass(frozen=True)
class SessionView:
    id: int
    title: str
    state: str
    deadline: datetime | None
    coordinator: str
    participants: tuple[Participant, ...]
    conversation_ids: tuple[int, ...]
    rubric_key: str
    exam_id: int | None

    @property
    def state_label(self) -> str:
        return label_of(CalibrationState, self.state)

    @property
    def submitted(self) -> int:
        return sum(1 for p in self.participants if p.submitted)

    def participant(self, user_id: int) -> Participant | None:
        """The participant with this user id (None: not taking part)."""
        return next((p for p in self.participants if p.user_id == user_id), None)


def _session(s, session_id: int) -> CalibrationSession:
    cs = s.get(CalibrationSession, session_id)
    if cs is None:
        raise NotFound("Deze kalibratiesessie bestaat niet.")
    return cs


def _is_participant(s, session_id: int, user_id: int) -> bool:
    return (
        s.scalar(
            select(CalibrationParticipant.id).where(
                CalibrationParticipant.session_id == session_id, CalibrationParticipant.user_id == user_id
            )
        )
        is not None
    )


def _view(s, cs: CalibrationSession) -> SessionView:
    parts = []
    for p in s.scalars(select(CalibrationParticipant).where(CalibrationParticipant.session_id == cs.id)):
        u = s.get(User, p.user_id)
        a = s.scalar(
            select(Assessment).where(
                Assessment.calibration_session_id == cs.id, Assessment.examiner_id == u.id, Assessment.purpose == "calibration"
            )
        )
        parts.append(Participant(u.id, u.display_name, a.status if a else NOT_STARTED))
    convs = tuple(
        s.scalars(
            select(CalibrationConversation.conversation_id)
            .where(CalibrationConversation.session_id == cs.id)
            .order_by(CalibrationConversation.id)
        ).all()
    )
    coord = s.get(User, cs.coordinator_id).display_name if cs.coordinator_id else ""
    return SessionView(
        cs.id, cs.title, cs.state, cs.deadline, coord, tuple(parts), convs, f"{cs.rubric_id}@{cs.rubric_version}", cs.exam_id
    )


def create_session(
    ctx: AppContext,
    actor: User,
    title: str,
    participant_ids: list[int],
    *,
    exam_id: int | None = None,
    conversation_ids: list[int] | None = None,
    deadline: datetime | None = None,
) -> SessionView:
    require_role(actor, *MANAGERS)
    title = (title or "").strip()
    if not title:
        raise ServiceError("Geef de kalibratiesessie een titel.")
    if len(set(participant_ids)) < 2:
        raise ServiceError("Kies minstens twee examinatoren voor een kalibratiesessie.")
    with ctx.db.unit_of_work() as s:
        ids = list(conversation_ids or [])
        rubric_id, rubric_version = "ksf-default", ctx.rubrics.get().version
        if exam_id is not None:
            exam = s.get(Exam, exam_id)
            if exam is None:
                raise NotFound("Dit examen bestaat niet.")
            ids = ids or list(s.scalars(select(Conversation.id).where(Conversation.exam_id == exam_id)))
            rubric_id, rubric_version = exam.rubric_id, exam.rubric_version
        if not ids:
            raise ServiceError("Kies de gesprekken (of een examen) voor de sessie.")
        cs = CalibrationSession(
            title=title, exam_id=exam_id, coordinator_id=actor.id, deadline=deadline, rubric_id=rubric_id, rubric_version=rubric_version
        )
        s.add(cs)
        s.flush()
        for cid in ids:
            s.add(CalibrationConversation(session_id=cs.id, conversation_id=cid))
        for uid in sorted(set(participant_ids)):
            if s.get(User, uid) is None:
                raise NotFound(f"Onbekende examinator {uid}.")
            s.add(CalibrationParticipant(session_id=cs.id, user_id=uid))
        s.flush()
        audit.record(s, actor, "create", "calibration", cs.id, f"{title}: {len(ids)} gesprekken, {len(set(participant_ids))} deelnemers")
        return _view(s, cs)


def list_sessions(ctx: AppContext, actor: User) -> list[SessionView]:
    with ctx.db.unit_of_work() as s:
        q = select(CalibrationSession).order_by(CalibrationSession.id.desc())
        if actor.role not in MANAGERS:
            q = q.join(CalibrationParticipant, CalibrationParticipant.session_id == CalibrationSession.id).where(
                CalibrationParticipant.user_id == actor.id
            )
        return [_view(s, cs) for cs in s.scalars(q).all()]


def get_session(ctx: AppContext, actor: User, session_id: int) -> SessionView:
    with ctx.db.unit_of_work() as s:
        cs = _session(s, session_id)
        if actor.role not in MANAGERS and not _is_participant(s, cs.id, actor.id):
            raise ServiceError("Je neemt niet deel aan deze kalibratiesessie.")
        return _view(s, cs)


def my_assessment(ctx: AppContext, actor: User, session_id: int) -> int:
    """The participant's own calibration assessment (created on first use)."""
    with ctx.db.unit_of_work() as s:
        cs = _session(s, session_id)
        if not _is_participant(s, cs.id, actor.id):
            raise ServiceError("Je neemt niet deel aan deze kalibratiesessie.")
        a = s.scalar(
            select(Assessment).where(
                Assessment.calibration_session_id == cs.id, Assessment.examiner_id == actor.id, Assessment.purpose == "calibration"
            )
        )
        if a is None:
            a = Assessment(
                examiner_id=actor.id,
                purpose="calibration",
                calibration_session_id=cs.id,
                rubric_id=cs.rubric_id,
                rubric_version=cs.rubric_version,
            )
            s.add(a)
            s.flush()
        return a.id


def _consensus(s, cs: CalibrationSession, create: bool) -> Assessment | None:
    a = s.scalar(select(Assessment).where(Assessment.calibration_session_id == cs.id, Assessment.purpose == "consensus"))
    if a is None and create:
        a = Assessment(
            examiner_id=None, purpose="consensus", calibration_session_id=cs.id, rubric_id=cs.rubric_id, rubric_version=cs.rubric_version
        )
        s.add(a)
        s.flush()
    return a


def scores_of(ctx: AppContext, actor: User, assessment_id: int) -> dict[str, tuple[str | None, str, str]]:
    """item → (status, reason, comment) of one calibration assessment (blindness enforced)."""
    with ctx.db.unit_of_work() as s:
        a = ensure_may_read_assessment(s, actor, assessment_id)
        return {r.item_code: (r.status, r.reason, r.comment) for r in a.scores}


def set_score(ctx: AppContext, actor: User, assessment_id: int, item: str, status: str | None, reason: str = "", comment: str = "") -> None:
    if status is not None:
        status = ScoreStatus(status).value
    with ctx.db.unit_of_work() as s:
        a = ensure_own_open_assessment(s, actor, assessment_id)
        if not ctx.rubrics.get(a.rubric_id, a.rubric_version).has_item(item):
            raise ServiceError(f"Onbekende toetsterm '{item}'.")
        row = s.scalar(select(ItemScore).where(ItemScore.assessment_id == a.id, ItemScore.item_code == item))
        if row is None:
            row = ItemScore(assessment_id=a.id, item_code=item)
            s.add(row)
        row.status, row.reason, row.comment = status, reason.strip(), comment.strip()
        row.updated_by_id, row.updated_at = actor.id, datetime.now(timezone.utc)
        # blind: the log says a score was saved, never its value; `reveal` logs the values
        audit.record(s, actor, "score", "calibration", a.calibration_session_id, f"{item}: score opgeslagen")


def submit(ctx: AppContext, actor: User, assessment_id: int) -> None:
    with ctx.db.unit_of_work() as s:
        a = ensure_own_open_assessment(s, actor, assessment_id)
        rubric = ctx.rubrics.get(a.rubric_id, a.rubric_version)
        scored = {r.item_code: r for r in a.scores if r.status}
        missing = [it.code for it in rubric.items if it.code not in scored]
        if missing:
            raise ServiceError(f"Indienen kan pas als alle toetstermen gescoord zijn. Nog open: {', '.join(missing)}.")
        no_reason = [c for c, r in scored.items() if r.status == ScoreStatus.NVT and not r.reason]
        if no_reason:
            raise ServiceError(f"Geef een reden bij n.v.t. voor: {', '.join(no_reason)}.")
        a.status, a.submitted_at = AssessmentStatus.SUBMITTED, datetime.now(timezone.utc)
        audit.record(s, actor, "submit", "calibration", a.calibration_session_id)


def reveal(ctx: AppContext, actor: User, session_id: int) -> None:
    require_role(actor, *MANAGERS)
    with ctx.db.unit_of_work() as s:
        cs = _session(s, session_id)
        if cs.state != CalibrationState.OPEN:
            raise ServiceError("Deze sessie is al onthuld.")
        submitted = s.scalars(
            select(Assessment.id).where(
                Assessment.calibration_session_id == cs.id,
                Assessment.purpose == "calibration",
                Assessment.status == AssessmentStatus.SUBMITTED,
            )
        ).all()
        if len(submitted) < 2:
            raise ServiceError("Onthullen kan pas als minstens twee examinatoren hun beoordeling hebben ingediend.")
        cs.state = CalibrationState.REVEALED
        audit.record(s, actor, "reveal", "calibration", cs.id, f"{len(submitted)} ingediend")
        _log_revealed_values(s, actor, cs)


def _log_revealed_values(s, actor: User, cs: CalibrationSession) -> None:
    """At the reveal, the audit log gets each participant's submitted scores and tag count:
    before it, score and tag events carry no values (blind, also for the beheerder)."""
    for a in s.scalars(
        select(Assessment)
        .where(
            Assessment.calibration_session_id == cs.id, Assessment.purpose == "calibration", Assessment.status == AssessmentStatus.SUBMITTED
        )
        .order_by(Assessment.id)
    ):
        name = s.get(User, a.examiner_id).username if a.examiner_id else "?"
        scores = ", ".join(f"{r.item_code}={r.status}" for r in sorted(a.scores, key=lambda r: r.item_code))
        n_tags = len(s.scalars(select(Tag.id).where(Tag.assessment_id == a.id)).all())
        audit.record(s, actor, "reveal_scores", "calibration", cs.id, f"{name}: {scores}; {n_tags} markering(en)")


def set_consensus(ctx: AppContext, actor: User, session_id: int, item: str, status: str, note: str = "") -> None:
    require_role(actor, *MANAGERS)
    status = ScoreStatus(status).value
    with ctx.db.unit_of_work() as s:
        cs = _session(s, session_id)
        if cs.state == CalibrationState.OPEN:
            raise ServiceError("De consensus wordt vastgesteld na het onthullen.")
        a = _consensus(s, cs, create=True)
        row = s.scalar(select(ItemScore).where(ItemScore.assessment_id == a.id, ItemScore.item_code == item))
        if row is None:
            row = ItemScore(assessment_id=a.id, item_code=item)
            s.add(row)
        row.status, row.comment = status, note.strip()
        row.reason = note.strip() if status == ScoreStatus.NVT else ""
        row.updated_by_id = actor.id
        audit.record(s, actor, "consensus", "calibration", cs.id, f"{item}={status}")


@dataclass(frozen=True)
class Comparison:
    session: SessionView
    ratings: pd.DataFrame  # examiner, item, status, reason
    consensus: dict[str, str]
    consensus_notes: dict[str, str]
    stats: SessionStats
    heatmap: pd.DataFrame
    tags: dict[int, list[TagData]]  # conversation → tags of all submitted participants
    matchings: dict[int, TagMatching]  # conversation → tags matched across examiners
    clusters: dict[int, list[TagCluster]]  # conversation → passages on the timeline
    conversations: dict[int, tuple[str, bool]] = field(default_factory=dict)  # id → (title, has audio)


def comparison(ctx: AppContext, actor: User, session_id: int, n_boot: int = 1000) -> Comparison:
    """Everything the comparison view shows; refused while the session is still blind.

    The data is read (and access checked) on every call; the statistics are computed once
    per version of the data (see ``_Memo``).
    """
    with ctx.db.unit_of_work() as s:
        cs = _session(s, session_id)
        if cs.state == CalibrationState.OPEN:
            raise ServiceError("De resultaten zijn nog blind; de coördinator onthult ze na het indienen.")
        if actor.role not in MANAGERS and not _is_participant(s, cs.id, actor.id):
            raise ServiceError("Je neemt niet deel aan deze kalibratiesessie.")
        view = _view(s, cs)
        rubric = ctx.rubrics.get(cs.rubric_id, cs.rubric_version)
        rows, tags = [], {}
        assessments = s.scalars(
            select(Assessment).where(
                Assessment.calibration_session_id == cs.id,
                Assessment.purpose == "calibration",
                Assessment.status == AssessmentStatus.SUBMITTED,
            )
        ).all()
        names = {}
        for a in assessments:
            name = s.get(User, a.examiner_id).display_name
            names[a.id] = name
            for r in a.scores:
                rows.append({"examiner": name, "item": r.item_code, "status": r.status, "reason": r.reason})
        for t in s.scalars(select(Tag).where(Tag.assessment_id.in_(list(names)))):
            tags.setdefault(t.conversation_id, []).append(
                TagData(t.start, t.end, t.item_code, Polarity(t.polarity), t.note, names[t.assessment_id], quote=t.excerpt)
            )
        cons = _consensus(s, cs, create=False)
        consensus = {r.item_code: r.status for r in cons.scores} if cons else {}
        notes = {r.item_code: r.comment for r in cons.scores} if cons else {}
        n_conv = len(view.conversation_ids)
        conversations = {c.id: (c.title, c.audio is not None) for c in (s.get(Conversation, cid) for cid in view.conversation_ids) if c}
    ratings = pd.DataFrame(rows, columns=["examiner", "item", "status", "reason"])
    key = (session_id, n_boot, _data_version(view.rubric_key, n_conv, rows, tags, consensus))
    analysis = _analyses.get(key)
    if analysis is None:
        analysis = _analyse(ratings, tags, consensus, rubric, n_conv, n_boot)
        _analyses.put(key, analysis)
    stats, heat, matchings, clusters = analysis
    return Comparison(view, ratings, consensus, notes, stats, heat.copy(), tags, matchings, clusters, conversations)


def _data_version(rubric_key: str, n_conv: int, rows: list[dict], tags: dict, consensus: dict) -> str:
    """A digest of everything the statistics are computed from: a new score, tag or consensus
    item gives a new version (and so a new computation)."""
    data = (
        rubric_key,
        n_conv,
        sorted(repr(tuple(r.values())) for r in rows),
        sorted((cid, sorted(map(repr, ts))) for cid, ts in tags.items()),
        sorted(map(repr, consensus.items())),
    )
    return hashlib.sha256(repr(data).encode()).hexdigest()


def _analyse(ratings: pd.DataFrame, tags: dict[int, list[TagData]], consensus: dict[str, str], rubric, n_conv: int, n_boot: int) -> tuple:
    """The expensive part of a comparison: agreement statistics with bootstrap intervals
    (1,000 draws), the heat map, and the tags matched across examiners."""
    from ..domain.agreement import heatmap_frame, match_tags, summarise_session, tag_clusters
    from ..domain.agreement.statistic import Statistic, partial_consensus

    items = [it.code for it in rubric.items]
    points = {it.code: it.points for it in rubric.items}
    cons_arg = consensus if len(consensus) == len(items) else None
    stats = summarise_session(ratings, cons_arg, items, points, rubric=rubric, conversations=max(3, n_conv), n_boot=n_boot)
    if consensus and cons_arg is None:  # a partial consensus is no reference yet (as in the heat map): say so
        reason = partial_consensus(len(consensus), len(items))
        stats = replace(stats, fail_detection=Statistic.undefined(stats.fail_detection.name, reason, 0, percent=True))
    heat = heatmap_frame(ratings, cons_arg, items, points, "nvt-behaald")
    matchings = {cid: match_tags(ts) for cid, ts in tags.items()}
    clusters = {cid: tag_clusters(ts) for cid, ts in tags.items()}
    return stats, heat, matchings, clusters


class _Memo:
    """The last few comparisons by (session, draws, data version), shared by every user of the
    process: a rerun or a click recomputes nothing until the data changes (the bootstrap is
    seeded, so a recomputation would give the same figures)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key: tuple, value: tuple) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_analyses = _Memo(size=32)


def session_report(ctx: AppContext, actor: User, session_id: int, fmt: str) -> bytes:
    """The session report as "xlsx" or "pdf": render, record the export in the audit log, return it."""
    from ..adapters.calibration_export import session_pdf, session_xlsx

    require_role(actor, *MANAGERS)
    comp = comparison(ctx, actor, session_id)
    data = session_xlsx(comp) if fmt == "xlsx" else session_pdf(comp, datetime.now())
    with ctx.db.unit_of_work() as s:
        audit.record(s, actor, "export", "calibration", session_id, f"sessierapport {fmt.upper()}")
    return data


def session_history(ctx: AppContext, actor: User) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Across revealed sessions, oldest first: overall α per session (the trend plot), and per
    examiner the mean difference and κ against the consensus ('grade the grader').
    Each session's comparison is computed once for both."""
    require_role(actor, *MANAGERS)
    trend, rows = [], []
    for sv in reversed(list_sessions(ctx, actor)):
        if sv.state == CalibrationState.OPEN:
            continue
        c = comparison(ctx, actor, sv.id, n_boot=0)
        trend.append({"sessie": sv.title, "id": sv.id, "alpha": c.stats.overall_alpha.value})
        for e in c.stats.examiners:
            rows.append(
                {"sessie": sv.title, "examinator": e.examiner, "kappa": e.kappa.value, "verschil": e.mean_difference, "oordeel": e.label}
            )
    return (
        pd.DataFrame(trend, columns=["sessie", "id", "alpha"]),
        pd.DataFrame(rows, columns=["sessie", "examinator", "kappa", "verschil", "oordeel"]),
    )


def examiner_history(ctx: AppContext, actor: User) -> pd.DataFrame:
    """Per examiner and session: mean difference and κ against the consensus ('grade the grader')."""
    return session_history(ctx, actor)[1]


def selectable_examiners(ctx: AppContext, actor: User) -> list[Account]:
    """Active examiners and coördinators a coördinator can invite."""
    require_role(actor, *MANAGERS)
    with ctx.db.unit_of_work() as s:
        users = s.scalars(select(User).where(User.active.is_(True), User.role.in_(ASSESSORS)).order_by(User.display_name)).all()
        return [Account.of(u) for u in users]
