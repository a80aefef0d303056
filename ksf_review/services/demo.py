"""Demo content: the sample conversations as demo exams, created once, removable.

A new user should see a complete example at once. `sample_audio/manifest.json` groups the
samples into demo candidates; without a manifest every sample lands in one demo exam.
Seeding is recorded in the audit log, so deleting the demo data keeps it deleted.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select

from ..adapters.storage.models import (
    Assessment,
    AudioAsset,
    AuditEvent,
    Candidate,
    Conversation,
    Exam,
    ItemScore,
    Segment,
    SuggestionDecision,
    Tag,
    TextTurn,
    Transcript,
    TranscriptionJob,
    User,
)
from ..domain.roles import MANAGERS
from . import audit
from .access import Forbidden
from .context import AppContext
from .conversations import add_audio_conversation, add_text_conversation
from .exams import create_exam

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_audio"
_AUDIO_EXT = {".wav", ".mp3", ".ogg", ".opus", ".flac", ".m4a"}


def _samples(sample_dir: Path) -> dict[str, dict]:
    out = {}
    for f in sorted(sample_dir.glob("*.json")):
        if f.name == "manifest.json":
            continue
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(d, dict) and "id" in d:
            out[d["id"]] = d
    return out


def _plan(sample_dir: Path) -> list[dict]:
    """[{name, conversations: [sample dicts]}] from the manifest, or one exam of all files."""
    samples = _samples(sample_dir)
    manifest = sample_dir / "manifest.json"
    if manifest.is_file():
        m = json.loads(manifest.read_text(encoding="utf-8"))
        return [
            {"name": c["name"], "conversations": [samples[i] for i in c["conversations"] if i in samples]} for c in m.get("candidates", [])
        ]
    loose = [
        {
            "id": f.stem,
            "title": f.stem.replace("-", " ").capitalize(),
            "audio": f.name if f.suffix in _AUDIO_EXT else None,
            "text": f.name if f.suffix == ".txt" else None,
            "channel": "telefoon" if f.suffix in _AUDIO_EXT else "chat",
        }
        for f in sorted(sample_dir.iterdir())
        if f.suffix in _AUDIO_EXT | {".txt"}
    ]
    return [{"name": "Demokandidaat (fictief)", "conversations": loose}] if loose else []


def _demo_tags(ctx: AppContext, actor: User, view, conv: dict) -> None:
    """The ground truth's expected tags as evidence, so the demo shows a worked example."""
    from .tagging import add_tag

    turns = conv.get("turns") or []
    for t in conv.get("expected_tags") or []:
        i = t.get("turn")
        if not isinstance(i, int) or not 0 <= i < len(turns):
            continue
        turn = turns[i]
        start, end = (turn["start"], turn["end"]) if view.has_audio else (float(i), float(i + 1))
        if start is None or end is None:
            continue
        add_tag(ctx, actor, view.id, start, end, t["item"], t["polarity"], t.get("note", ""), excerpt=turn.get("text", "")[:300])


def demo_seeded(ctx: AppContext) -> bool:
    with ctx.db.unit_of_work() as s:
        return s.scalar(select(AuditEvent.id).where(AuditEvent.action == "seed_demo").limit(1)) is not None


def seed_demo(ctx: AppContext, actor: User, sample_dir: Path = SAMPLE_DIR, force: bool = False) -> list[int]:
    """Create the demo exams once; returns the new exam ids (empty when already done)."""
    if not force and demo_seeded(ctx):
        return []
    exam_ids = []
    for cand in _plan(sample_dir):
        exam = create_exam(ctx, actor, cand["name"], is_demo=True)
        exam_ids.append(exam.id)
        for conv in cand["conversations"]:
            occurred = datetime.fromisoformat(conv["occurred_at"]) if conv.get("occurred_at") else None
            title = conv.get("title") or conv["id"]
            if conv.get("audio"):
                view = add_audio_conversation(
                    ctx, actor, exam.id, conv["audio"], sample_dir / conv["audio"], title=title, occurred_at=occurred, source_ref=conv["id"]
                )
            elif conv.get("text"):
                view = add_text_conversation(
                    ctx,
                    actor,
                    exam.id,
                    (sample_dir / conv["text"]).read_text(encoding="utf-8"),
                    channel=conv.get("channel", "chat"),
                    title=title,
                    occurred_at=occurred,
                    source_ref=conv["id"],
                )
            else:
                continue
            _demo_tags(ctx, actor, view, conv)
    with ctx.db.unit_of_work() as s:
        audit.record(s, actor, "seed_demo", "exam", ",".join(map(str, exam_ids)))
    return exam_ids


def may_delete_demo(actor: User | None) -> bool:
    """The demo exams are shared by every examinator: only a coördinator or beheerder removes them."""
    return actor is not None and actor.role in MANAGERS


def delete_demo(ctx: AppContext, actor: User) -> int:
    """Remove every demo exam with its conversations, transcripts, tags and scores."""
    if not may_delete_demo(actor):
        raise Forbidden("Alleen een coördinator of beheerder kan de demogegevens verwijderen.")
    with ctx.db.unit_of_work() as s:
        exam_ids = s.scalars(select(Exam.id).where(Exam.is_demo.is_(True))).all()
        if not exam_ids:
            return 0
        conv_ids = s.scalars(select(Conversation.id).where(Conversation.exam_id.in_(exam_ids))).all()
        audio_ids = {a for a in s.scalars(select(Conversation.audio_id).where(Conversation.id.in_(conv_ids))) if a}
        tr_ids = s.scalars(select(Transcript.id).where(Transcript.conversation_id.in_(conv_ids))).all()
        s.execute(delete(Segment).where(Segment.transcript_id.in_(tr_ids)))
        s.execute(delete(Transcript).where(Transcript.id.in_(tr_ids)))
        s.execute(delete(TranscriptionJob).where(TranscriptionJob.conversation_id.in_(conv_ids)))
        s.execute(delete(Tag).where(Tag.conversation_id.in_(conv_ids)))
        s.execute(delete(SuggestionDecision).where(SuggestionDecision.conversation_id.in_(conv_ids)))
        s.execute(delete(TextTurn).where(TextTurn.conversation_id.in_(conv_ids)))
        s.execute(delete(Conversation).where(Conversation.id.in_(conv_ids)))
        a_ids = s.scalars(select(Assessment.id).where(Assessment.exam_id.in_(exam_ids))).all()
        s.execute(delete(ItemScore).where(ItemScore.assessment_id.in_(a_ids)))
        s.execute(delete(Assessment).where(Assessment.id.in_(a_ids)))
        cand_ids = s.scalars(select(Exam.candidate_id).where(Exam.id.in_(exam_ids))).all()
        s.execute(delete(Exam).where(Exam.id.in_(exam_ids)))
        s.execute(delete(Candidate).where(Candidate.id.in_(cand_ids), Candidate.is_demo.is_(True)))
        for aid in audio_ids:
            still_used = s.scalar(select(Conversation.id).where(Conversation.audio_id == aid).limit(1))
            if still_used is None:
                asset = s.get(AudioAsset, aid)
                ctx.audio.delete(asset.stored_path)
                s.delete(asset)
        audit.record(s, actor, "delete_demo", "exam", ",".join(map(str, exam_ids)))
        return len(exam_ids)
