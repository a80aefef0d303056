"""Pasted or uploaded chats/e-mails: a size limit, and a confirmation for lines that are not a turn."""

import dataclasses

import pytest
from sqlalchemy import func, select

from ksf_review.adapters.storage.models import Conversation, TextTurn
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services.context import ServiceError


def _conversations(ctx) -> int:
    with ctx.db.unit_of_work() as s:
        return s.scalar(select(func.count(Conversation.id)))


@pytest.mark.parametrize("as_bytes", [False, True])
def test_oversize_text_is_refused_with_a_dutch_message(ctx, user, as_bytes):
    exam = exams.create_exam(ctx, user, "K")
    text = "K: " + "woord " * (ctx.settings.max_text_kb * 1024 // 6 + 10)
    with pytest.raises(ServiceError, match=r"te groot .*hoogstens 1 MB.*niets opgeslagen"):
        convs.add_text_conversation(ctx, user, exam.id, text.encode() if as_bytes else text, channel="chat")
    with pytest.raises(ServiceError, match="te groot"):
        convs.preview_text_conversation(ctx, text)
    assert _conversations(ctx) == 0


def test_text_limit_is_a_setting(ctx, user):
    small = dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings, max_text_kb=2))
    exam = exams.create_exam(ctx, user, "K")
    with pytest.raises(ServiceError, match=r"\(3 kB\).*hoogstens 2 kB"):
        convs.add_text_conversation(small, user, exam.id, "K: " + "a" * 3000, channel="chat")
    convs.add_text_conversation(small, user, exam.id, "K: " + "a" * 1000, channel="chat")
    assert _conversations(ctx) == 1


def test_unknown_prefix_needs_confirmation_before_import(ctx, user):
    exam = exams.create_exam(ctx, user, "K")
    text = "K: Ik ben verhuisd.\nJan: Ik ben de partner.\nM: Wat is uw klantnummer?"
    preview = convs.preview_text_conversation(ctx, text)
    assert (preview.turns, preview.agent_turns, preview.customer_turns) == (2, 1, 1)
    assert [w.line for w in preview.warnings] == [2]
    with pytest.raises(convs.NeedsConfirmation, match="M:.*K:") as exc:
        convs.add_text_conversation(ctx, user, exam.id, text, channel="chat")
    assert [w.line for w in exc.value.warnings] == [2]
    assert convs.describe_warnings(exc.value.warnings)[0].startswith("Regel 2: “Jan: Ik ben de partner.”")
    assert _conversations(ctx) == 0
    c = convs.add_text_conversation(ctx, user, exam.id, text, channel="chat", confirmed=True)
    with ctx.db.unit_of_work() as s:
        turns = s.scalars(select(TextTurn.text).where(TextTurn.conversation_id == c.id).order_by(TextTurn.index)).all()
    assert turns == ["Ik ben verhuisd.\nJan: Ik ben de partner.", "Wat is uw klantnummer?"]


def test_segments_of_a_span_of_a_long_chat(ctx, user):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_text_conversation(ctx, user, exam.id, "\n".join(f"K: vraag {i}\nM: antwoord {i}" for i in range(300)), channel="chat")
    assert convs.get_conversation(ctx, user, c.id).duration == 600.0
    page = convs.conversation_segments(ctx, user, c.id, span=(100.0, 200.0))
    assert [sg.start for sg in page] == [float(i) for i in range(100, 200)]
    assert page[0].text == "vraag 50" and page[0].speaker == "klant"


def test_suggestions_for_a_page_of_a_long_chat_read_only_that_page(ctx, user, monkeypatch):
    """The first opening of a long chat must not wait for the rules over every turn."""
    from ksf_review.services import suggestions

    seen = []
    real = suggestions.suggest
    monkeypatch.setattr(suggestions, "suggest", lambda segs, rules, **kw: seen.append(len(segs)) or real(segs, rules, **kw))
    exam = exams.create_exam(ctx, user, "K")
    text = "\n".join(f"K: Ik wil mijn adres wijzigen {i}\nM: Als ik u goed begrijp wilt u verhuizen?" for i in range(1000))
    c = convs.add_text_conversation(ctx, user, exam.id, text, channel="chat")
    found = suggestions.proposals(ctx, user, c.id, span=(100.0, 200.0))
    assert seen == [100]
    assert found and all(100 <= p.suggestion.start < 200 for p in found)
