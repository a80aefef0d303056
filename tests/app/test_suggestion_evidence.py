"""#18: the Suggesties panel says how sure each suggestion is and why, and sorts by it."""

from ksf_review.services import conversations as convs
from tests.app.conftest import open_review


def test_suggestions_show_confidence_and_evidence_and_sort_by_confidence(seeded, ctx, user):
    conv = convs.add_text_conversation(
        ctx,
        user,
        seeded["exam"].id,
        "K: Ik bel over de rekening van mijn **moeder**.\nM: Wat is uw klantnummer?\n"
        "M: Samengevat wilt u de rekening van uw moeder inzien.",
        channel="chat",
        title="Namens",
    )
    at = open_review(user, seeded["exam"].id, conv.id)
    heads = [m.value for m in at.markdown if "zekerheid" in m.value]
    assert heads and all("%" in h for h in heads)
    # the evidence: matched words in bold, the transcript text escaped (no bold from the customer's **)
    evidence = [c.value for c in at.caption if "regel " in c.value]
    assert any("**Samengevat**" in c for c in evidence)
    sort = at.radio(key=f"suggsort{conv.id}")
    sort.set_value("Zekerheid (hoog eerst)").run()
    assert not at.exception
    shown = [float(h.rsplit("zekerheid ", 1)[1].rstrip("%")) for h in (m.value for m in at.markdown if "zekerheid" in m.value)]
    assert len(shown) >= 2 and shown == sorted(shown, reverse=True)


def test_the_evidence_line_is_dutch(seeded, ctx, user):
    """The rule's cue is named in Dutch ("signaal"), not "cue"."""
    conv = convs.add_text_conversation(
        ctx, user, seeded["exam"].id, "K: Mijn rekening klopt niet.\nM: Samengevat wilt u de rekening laten nakijken.", channel="chat"
    )
    at = open_review(user, seeded["exam"].id, conv.id)
    evidence = [c.value for c in at.caption if " · regel " in c.value]
    assert any(", signaal " in c for c in evidence), evidence
    assert not [c for c in evidence if "cue" in c]
