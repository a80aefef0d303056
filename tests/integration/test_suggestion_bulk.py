"""Suggestions in bulk (#19.3): accept or reject all of one item or all above a confidence in one
action; rejected ones stay listed and can be restored."""

from ksf_review.services import accounts, audit_log, exams, tagging
from ksf_review.services import conversations as convs
from ksf_review.services import suggestions as sugg

CHAT = """K: Ik ben echt boos, ik heb al drie keer gebeld!
M: Wat is uw adres? U woont toch op de Dorpsstraat 12?
M: Als ik u goed begrijp wilt u dat de storing vandaag wordt opgelost, klopt dat?
K: Ja.
M: Zijn er nog andere vragen?
M: Als ik u goed begrijp wilt u ook een nieuwe meter, klopt dat?
K: Ja."""


def _conv(ctx, user):
    exam = exams.create_exam(ctx, user, "K")
    return convs.add_text_conversation(ctx, user, exam.id, CHAT, channel="chat")


def test_matching_by_item_and_confidence(ctx, user):
    c = _conv(ctx, user)
    props = sugg.proposals(ctx, user, c.id)
    item = props[0].suggestion.item
    assert sugg.matching(props) == props
    assert {p.suggestion.item for p in sugg.matching(props, item=item)} == {item}
    top = max(p.suggestion.confidence for p in props)
    assert all(p.suggestion.confidence >= top for p in sugg.matching(props, min_confidence=top))
    assert sugg.matching(props, min_confidence=1.01) == []


def test_accept_all_of_one_item_in_one_action(ctx, user):
    c = _conv(ctx, user)
    props = sugg.proposals(ctx, user, c.id)
    summaries = sugg.matching(props, item="1.1b")
    assert len(summaries) >= 2  # two summaries in the chat
    done, refused = sugg.accept_all(ctx, user, c.id, summaries)
    assert (done, refused) == (len(summaries), [])
    tags = tagging.list_tags(ctx, user, c.id)
    assert sorted(t.item for t in tags) == ["1.1b"] * len(summaries)
    assert all(t.origin == "suggestion-accepted" for t in tags)
    assert not sugg.matching(sugg.proposals(ctx, user, c.id), item="1.1b")


def test_rejected_stay_listed_and_can_be_restored(ctx, user, monkeypatch):
    c = _conv(ctx, user)
    props = sugg.proposals(ctx, user, c.id)
    assert sugg.reject_all(ctx, user, c.id, props) == len(props)
    assert sugg.proposals(ctx, user, c.id) == []
    gone = sugg.rejected(ctx, user, c.id)
    assert [p.key for p in gone] == [p.key for p in props]
    sugg.restore(ctx, user, c.id, gone[0])
    assert [p.key for p in sugg.proposals(ctx, user, c.id)] == [gone[0].key]
    assert [p.key for p in sugg.rejected(ctx, user, c.id)] == [p.key for p in gone[1:]]
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
    assert any(r.action_label == "afgewezen suggestie teruggezet" for r in audit_log.search(ctx, admin))
