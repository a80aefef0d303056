"""The turn pickers (the tag form's "Van beurt" / "Tot en met beurt", the Transcript tab's
"Beurt" to correct): cheap on a long call, exact, and Dutch about a number out of range.

Selectboxes over every segment sent a 60-minute call's 1,000 labelled options to the browser
(the tag form's two on every rerun of the tag panel, the correction picker on every page run);
each picker is a number with its segment's time, speaker and text beside it. A save stores
exactly the passage or the line the form shows (#14.1).
"""

import pytest

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.tags import format_clock, format_time
from ksf_review.domain.transcript import AGENT, CUSTOMER
from ksf_review.services import conversations as convs
from ksf_review.services import exams, tagging
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from ksf_review.ui.turn_input import out_of_range
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
    assert long_lists == set()  # neither the tag form nor "Beurt corrigeren" in the Transcript tab
    van, tot = at.number_input(key=f"from{conv.id}"), at.number_input(key=f"to{conv.id}")
    fix = at.number_input(key=f"segno{conv.id}")
    # no bounds in the browser: it would answer a number out of range in English (checked here instead)
    assert (van.label, van.min, van.max, van.value) == ("Van beurt", None, None, 1)
    assert (tot.label, tot.min, tot.max, tot.value) == ("Tot en met beurt", None, None, 1)
    assert (fix.label, fix.min, fix.max, fix.value) == ("Beurt", None, None, 1)


def test_picked_range_is_shown_and_saved_exactly(long_call, ctx, user):
    exam, conv = long_call
    segs = convs.conversation_segments(ctx, user, conv.id)
    at = open_review(user, exam.id, conv.id)
    at.number_input(key=f"from{conv.id}").set_value(250).run()
    at.number_input(key=f"to{conv.id}").set_value(248).run()  # backwards: the passage is 248–250
    assert not at.exception
    captions = [c.value.replace("\\", "") for c in at.caption]  # md() escapes the dot
    assert any("regel 250." in c for c in captions) and any("regel 248." in c for c in captions)
    # each turn is named by its speaker as the transcript names it ("Klant", not "klant")
    assert any("Klant: regel 250." in c for c in captions) and any("Klant: regel 248." in c for c in captions)
    start, end = segs[247].start, segs[249].end
    assert any(f"{format_clock(start)}–{format_clock(end)}" in m.value for m in at.markdown)  # the form's passage
    at.multiselect(key=f"tagform{conv.id}-0_item").set_value(["1.3a"])
    at.button(key=f"FormSubmitter:tagform{conv.id}-0-Markering opslaan").click().run()
    assert not at.exception
    (tag,) = tagging.list_tags(ctx, user, conv.id)
    assert (tag.item, tag.start, tag.end) == ("1.3a", start, end)


def test_correcting_turn_n_changes_exactly_turn_n(long_call, ctx, user):
    exam, conv = long_call
    before = edits.segment_details(ctx, user, conv.id)
    at = open_review(user, exam.id, conv.id)
    at.number_input(key=f"segno{conv.id}").set_value(250).run()
    assert not at.exception
    tab = next(t for t in at.tabs if "Transcript" in t.label)
    assert any("regel 250" in c.value and format_time(before[249].start) in c.value.replace("\\", "") for c in tab.caption)
    box = at.text_area(key=f"seg{conv.id}_249_text")
    assert box.value == "regel 250."
    box.input("Regel tweehonderdvijftig, gecorrigeerd.")
    at.button(key=f"FormSubmitter:segedit{conv.id}-Correctie opslaan (tijden blijven gelijk)").click().run()
    assert not at.exception
    after = edits.segment_details(ctx, user, conv.id)
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if (a.text, a.speaker) != (b.text, b.speaker)] == [249]
    assert (after[249].text, after[249].start, after[249].end) == (
        "Regel tweehonderdvijftig, gecorrigeerd.",
        before[249].start,
        before[249].end,
    )
    assert at.number_input(key=f"segno{conv.id}").value == 250  # what is shown after the save is what is stored
    assert at.text_area(key=f"seg{conv.id}_249_text").value == "Regel tweehonderdvijftig, gecorrigeerd."


@pytest.mark.parametrize("key", ["from", "to", "segno"])
@pytest.mark.parametrize(
    ("typed", "chosen", "message"),
    [
        (1200, N, f"Beurt 1200 bestaat niet; dit gesprek heeft {N} beurten. Beurt {N} is gekozen."),
        (0, 1, f"Beurt 0 bestaat niet; dit gesprek heeft {N} beurten. Beurt 1 is gekozen."),
    ],
)
def test_a_turn_out_of_range_gets_a_dutch_warning(long_call, user, key, typed, chosen, message):
    """The browser's own check of a number input's bounds spoke English ("Number is above the allowed range")."""
    exam, conv = long_call
    at = open_review(user, exam.id, conv.id)
    at.number_input(key=f"{key}{conv.id}").set_value(typed).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [message]
    assert at.number_input(key=f"{key}{conv.id}").value == chosen
    at.run()  # the warning is about what was typed, once
    assert not at.warning and at.number_input(key=f"{key}{conv.id}").value == chosen


def test_out_of_range_messages():
    assert out_of_range(5, 1, 10) is None
    assert out_of_range(2, 1, 1) == "Beurt 2 bestaat niet; dit gesprek heeft 1 beurt. Beurt 1 is gekozen."
    assert out_of_range(-3, 101, 200) == (
        "Beurt -3 staat niet op deze pagina; hier staan de beurten 101 tot en met 200. Beurt 101 is gekozen."
    )
