"""The audit log reads in Dutch: actions and object names, not 'create tag 136'."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from ksf_review.services import accounts, audit_log, exams, tagging
from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services.audit_text import ACTIONS, action_label, actions_matching
from ksf_review.services.users import get_or_create_user


@pytest.fixture
def admin(ctx, monkeypatch):
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    return accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")


def test_every_recorded_action_has_a_dutch_label():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "ksf_review"
    recorded = set()
    for path in root.rglob("*.py"):
        recorded |= set(re.findall(r"audit\.record\(\s*s,\s*\w+,\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    assert recorded, "no audit.record calls found"
    assert recorded <= set(ACTIONS), sorted(recorded - set(ACTIONS))
    assert action_label("reopen") == "heropend" and action_label("onbekend_ding") == "onbekend ding"
    assert "reopen" in actions_matching("Heropend")


def test_tags_exams_and_conversations_by_name(ctx, user, admin):
    exam = exams.create_exam(ctx, user, "Sem Bakker")
    conv = convs.add_text_conversation(ctx, user, exam.id, "K: Storing\nM: Dat los ik op.", channel="chat", title="Storing")
    tag = tagging.add_tag(ctx, user, conv.id, 0, 1, "1.3a", "+", "goed")
    gone = tagging.add_tag(ctx, user, conv.id, 1, 2, "1.1b", "-", "")
    tagging.delete_tag(ctx, user, gone.id)
    rows = audit_log.search(ctx, admin)
    by = {(r.action, r.object_type, r.object_id): r for r in rows}
    r = by[("create", "tag", str(tag.id))]
    assert (r.action_label, r.object_label) == ("aangemaakt", "markering 1.3a (+) bij gesprek 'Storing'")
    assert by[("create", "exam", str(exam.id))].object_label == "examen 'Sem Bakker'"
    assert by[("create", "conversation", str(conv.id))].object_label == "gesprek 'Storing'"
    deleted = by[("delete", "tag", str(gone.id))]
    assert deleted.action_label == "verwijderd" and deleted.object_label == f"markering {gone.id} (verwijderd)"
    assert not any(r.object_label.startswith(("tag ", "exam ", "conversation ")) for r in rows)
    # a Dutch word finds the English action code
    assert {r.action for r in audit_log.search(ctx, admin, text="aangemaakt")} >= {"create"}
    data = audit_log.export_csv(ctx, admin, rows)
    df = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert "markering 1.3a (+) bij gesprek 'Storing'" in df["object"].tolist()
    assert "aangemaakt" in df["actie"].tolist() and "create" in df["actiecode"].tolist()


def test_calibration_tag_stays_blind_in_the_log(ctx, user, admin):
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    exam = exams.create_exam(ctx, user, "Kandidaat")
    conv = convs.add_text_conversation(ctx, user, exam.id, "K: vraag\nM: antwoord", channel="chat", title="Chat")
    session = cal.create_session(ctx, coord, "Sessie", [anna.id, bert.id], exam_id=exam.id)
    aid = cal.my_assessment(ctx, anna, session.id)
    tag = tagging.add_tag(ctx, anna, conv.id, 0, 1, "3.1", "-", "", assessment_id=aid)
    rows = [r for r in audit_log.search(ctx, admin) if r.object_type == "tag" and r.object_id == str(tag.id)]
    assert rows and rows[0].object_label == "kalibratiemarkering bij gesprek 'Chat'"
    assert "3.1" not in rows[0].object_label
    sess = [r for r in audit_log.search(ctx, admin) if r.object_type == "calibration"]
    assert sess and all(r.object_label == "kalibratiesessie 'Sessie'" for r in sess)
