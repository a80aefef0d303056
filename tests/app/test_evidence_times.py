"""One markering, one way of saying its times (#14): the checklist's evidence, the markering list,
the calibration timeline and the PDF report all say m:ss.s (or "beurt i–j" in a chat).

The checklist said 0:05–0:08 for a markering the list showed as 0:05.5–0:08.0, and "beurt 1"
for one the list showed as "beurt 1–2"."""

from ksf_review.domain.tags import Polarity, TagData, format_span
from ksf_review.services import reports, tagging
from ksf_review.ui.calibration import timeline_frame
from tests.app.test_pages import page


def _texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_a_markering_shows_the_same_times_on_every_screen_and_in_the_report(seeded, ctx, user):
    exam_id = seeded["exam"].id
    audio, chat = seeded["audio"], seeded["chat"]
    tagging.add_tag(ctx, user, audio.id, 5.46, 8.04, "1.1b", "+", "samenvatting")
    tagging.add_tag(ctx, user, chat.id, 0.0, 2.0, "1.1b", "+", "beide beurten")
    call, turns = "0:05.5–0:08.0", "beurt 1–2"
    assert (format_span(5.46, 8.04), format_span(0.0, 2.0, audio=False)) == (call, turns)

    checklist = _texts(page("pages/checklist.py", user, exam_id=exam_id))
    assert f"· {call}" in checklist and "0:05–0:08" not in checklist
    assert f"· {turns}" in checklist
    for conv, span in ((audio, call), (chat, turns)):
        listed = _texts(page("pages/beoordelen.py", user, exam_id=exam_id, conversation_id=conv.id))
        assert f"· {span}" in listed, (conv.title, span)

    assert timeline_frame([TagData(5.46, 8.04, "1.1b", Polarity.POSITIVE, examiner="A")])["passage"].tolist() == [call]
    report = reports.build_exam_report(ctx, user, exam_id)
    locations = {ev.location for item in report.items for ev in item.evidence}
    assert locations == {call, turns}
