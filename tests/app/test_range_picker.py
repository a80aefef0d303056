"""The tag form's segment picker ("Van beurt" / "Tot en met beurt"): cheap on a long call, and exact.

Two selectboxes over every segment sent a 60-minute call's 1,000 labelled options, twice, to
the browser on every rerun of the tag panel; the picker is two numbers with each segment's time,
speaker and text beside it. A save stores exactly the passage the form shows (#14.1).
"""

import pytest

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.tags import format_clock
from ksf_review.domain.transcript import AGENT, CUSTOMER
from ksf_review.services import conversations as convs
from ksf_review.services import exams, tagging
from ksf_review.services import transcription_jobs as jobs
from tests.app.conftest import open_review
from tests.conftest import make_wav, timed_segments

N = 400


@pytest.fixture
def engine():
    return FakeEngine(segments=timed_segments([(AGENT if i % 2 == 0 else CUSTOMER, f"regel {i + 1}.") for i in range(N)]))


@pytest.fixture
def long_call(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "Kandidaat Lang")
    conv = convs.add_audio_conversation(
        ctx, user, exam.id, "lang.wav", make_wav(tmp_path / "l.wav", seconds=N * 1.3 + 2, rate=2000).read_bytes(), title="Lang"
    )
    jobs.run_pending(ctx)
    return exam, conv


def test_picker_sends_no_list_of_every_segment(long_call, user):
    exam, conv = long_call
    at = open_review(user, exam.id, conv.id)
    long_lists = {w.label for kind in (at.selectbox, at.multiselect, at.radio) for w in kind if len(w.options) >= N}
    # only the correction picker in the Transcript tab lists every segment: it is drawn with the
    # page, not on the tag panel's reruns (a tag save, an accept)
    assert long_lists <= {"Segment corrigeren"}
    van, tot = at.number_input(key=f"from{conv.id}"), at.number_input(key=f"to{conv.id}")
    assert (van.label, van.min, van.max, van.value) == ("Van beurt", 1, N, 1)
    assert (tot.label, tot.min, tot.max, tot.value) == ("Tot en met beurt", 1, N, 1)


def test_picked_range_is_shown_and_saved_exactly(long_call, ctx, user):
    exam, conv = long_call
    segs = convs.conversation_segments(ctx, user, conv.id)
    at = open_review(user, exam.id, conv.id)
    at.number_input(key=f"from{conv.id}").set_value(250).run()
    at.number_input(key=f"to{conv.id}").set_value(248).run()  # backwards: the passage is 248–250
    assert not at.exception
    captions = [c.value.replace("\\", "") for c in at.caption]  # md() escapes the dot
    assert any("regel 250." in c for c in captions) and any("regel 248." in c for c in captions)
    start, end = segs[247].start, segs[249].end
    assert any(f"{format_clock(start)}–{format_clock(end)}" in m.value for m in at.markdown)  # the form's passage
    at.multiselect(key=f"tagform{conv.id}-0_item").set_value(["1.3a"])
    at.button(key=f"FormSubmitter:tagform{conv.id}-0-Markering opslaan").click().run()
    assert not at.exception
    (tag,) = tagging.list_tags(ctx, user, conv.id)
    assert (tag.item, tag.start, tag.end) == ("1.3a", start, end)
