"""Demo content: two demo exams from sample_audio, created once, removable for good."""

import pytest
from sqlalchemy import func, select

from ksf_review.adapters.storage.models import AudioAsset, TranscriptionJob
from ksf_review.services import conversations as convs
from ksf_review.services import demo, exams
from ksf_review.services.users import get_or_create_user

pytestmark = pytest.mark.slow


def test_demo_seeded_once_and_deletable(ctx, user):
    ids = demo.seed_demo(ctx, user)
    assert len(ids) == 2
    views = {e.id: e for e in exams.list_exams(ctx, user)}
    assert all(views[i].is_demo and views[i].conversations >= 3 for i in ids)
    names = sorted(views[i].candidate for i in ids)
    assert names == ["Mark Jansen (fictief)", "Robin de Vries (fictief)"]
    channels = {c.channel for i in ids for c in convs.list_conversations(ctx, user, i)}
    assert channels == {"telefoon", "chat", "e-mail"}
    with ctx.db.unit_of_work() as s:
        assert s.scalar(select(func.count(TranscriptionJob.id)).where(TranscriptionJob.status == "queued")) == 7
    assert demo.seed_demo(ctx, user) == []  # idempotent
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    assert demo.delete_demo(ctx, coord) == 2
    assert exams.list_exams(ctx, user) == []
    with ctx.db.unit_of_work() as s:
        assert s.scalar(select(func.count(AudioAsset.id))) == 0
    assert not [p for p in ctx.audio.root.rglob("*") if p.is_file()]
    assert demo.seed_demo(ctx, user) == []  # deleted demo data stays deleted
