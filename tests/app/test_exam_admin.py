"""Examens page, 'Examen beheren' (#19.9): rename, delete with confirmation, reassign."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services.users import get_or_create_user

ROOT = Path(__file__).resolve().parents[2]


def page(user, **state):
    at = AppTest.from_file(str(ROOT / "pages/examens.py"), default_timeout=30)
    at.session_state["user"] = user
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def test_rename_exam_and_conversation_then_delete_after_confirmation(seeded, ctx, user):
    exam, chat = seeded["exam"], seeded["chat"]
    at = page(user, exam_id=exam.id)
    assert not at.exception
    at.toggle(key=f"exam_admin_open{exam.id}").set_value(True).run()
    at.text_input(key=f"exam_name{exam.id}").input("Sanne <i>Nieuw</i>")
    at.button(key=f"exam_rename{exam.id}").click().run()
    assert not at.exception
    assert exams.get_exam(ctx, user, exam.id).candidate == "Sanne <i>Nieuw</i>"

    next(s for s in at.selectbox if s.label == "Te beheren gesprek").set_value(chat.id).run()
    at.text_input(key=f"conv_title{exam.id}_{chat.id}").input("Verhuizing")
    at.button(key=f"conv_rename{exam.id}").click().run()
    assert convs.get_conversation(ctx, user, chat.id).title == "Verhuizing"

    at.button(key=f"conv_delete{exam.id}").click().run()
    assert any("Verhuizing" in w.value and "verwijderen" in w.value for w in at.warning)
    assert len(convs.list_conversations(ctx, user, exam.id)) == 3  # nothing gone before the confirmation
    at.button(key="conv_delete_no").click().run()
    assert len(convs.list_conversations(ctx, user, exam.id)) == 3
    at.button(key=f"conv_delete{exam.id}").click().run()
    at.button(key="conv_delete_yes").click().run()
    assert not at.exception
    assert [c.id for c in convs.list_conversations(ctx, user, exam.id)] == [seeded["audio"].id, seeded["mail"].id]


def test_refusal_is_shown_in_dutch(seeded, ctx, user):
    exam = seeded["exam"]
    at = page(user, exam_id=exam.id)
    at.toggle(key=f"exam_admin_open{exam.id}").set_value(True).run()
    at.text_input(key=f"exam_name{exam.id}").input("   ")
    at.button(key=f"exam_rename{exam.id}").click().run()
    assert any("kandidaat" in e.value for e in at.error)
    assert exams.get_exam(ctx, user, exam.id).candidate == "Sanne Test"


def test_only_a_coordinator_reassigns(seeded, ctx, user):
    exam = seeded["exam"]
    anna = get_or_create_user(ctx, "anna", "examinator", "Anna")
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    at = page(user, exam_id=exam.id)  # the default user is an examinator
    at.toggle(key=f"exam_admin_open{exam.id}").set_value(True).run()
    assert f"exam_reassign{exam.id}" not in [b.key for b in at.button]
    at = page(coord, exam_id=exam.id)
    assert not at.exception
    at.toggle(key=f"exam_admin_open{exam.id}").set_value(True).run()
    at.selectbox(key=f"exam_examiner{exam.id}").set_value(anna.id)
    at.button(key=f"exam_reassign{exam.id}").click().run()
    assert not at.exception
    assert exams.get_exam(ctx, coord, exam.id).examiner_id == anna.id
