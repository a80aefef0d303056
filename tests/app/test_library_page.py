"""Bibliotheek page through AppTest: pickers stay in step, curator edits survive reruns, saves show at once."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ksf_review.adapters.anonymisation import text as anon_text
from ksf_review.services import conversations as convs
from ksf_review.services import exams, library, tagging
from ksf_review.services.users import get_or_create_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    """The page must not need deduce to work; the rules keep these tests fast."""
    monkeypatch.setattr(anon_text, "_get_deduce", lambda: None)


@pytest.fixture
def two_exams(ctx, user):
    out = {}
    for cand, line in (
        ("Anna Eerste", "K: Ik ben verhuisd naar Utrecht.\nM: Wat is uw klantnummer?"),
        ("Bram Tweede", "K: Mijn factuur klopt niet.\nM: Dat ga ik voor u nakijken."),
    ):
        exam = exams.create_exam(ctx, user, cand)
        conv = convs.add_text_conversation(ctx, user, exam.id, line, channel="chat", title=f"Chat {cand}")
        tag = tagging.add_tag(ctx, user, conv.id, 0, 2, "1.2a", "+", f"vraag {cand}")
        out[cand] = (exam, conv, tag)
    return out


@pytest.fixture
def coord(ctx):
    return get_or_create_user(ctx, "coord", "coordinator", "Coördinator")


def open_page(user):
    at = AppTest.from_file(str(ROOT / "pages/bibliotheek.py"), default_timeout=30)
    at.session_state["user"] = user
    return at.run()


def box(at, label):
    return next(sb for sb in at.selectbox if sb.label == label)


def pick(at, exam, conv, tag):
    box(at, "Examen").set_value(exam.id).run()
    box(at, "Gesprek").set_value(conv.id).run()
    box(at, "Markering").set_value(tag.id).run()
    assert not at.exception
    return at


def save_button(at):
    return next(b for b in at.button if "Opslaan in bibliotheek" in b.label)


def test_switching_exam_never_keeps_a_conversation_of_the_other_candidate(ctx, coord, two_exams):
    a_exam, a_conv, a_tag = two_exams["Anna Eerste"]
    b_exam, b_conv, b_tag = two_exams["Bram Tweede"]
    at = pick(open_page(coord), a_exam, a_conv, a_tag)
    box(at, "Examen").set_value(b_exam.id).run()
    assert not at.exception
    assert box(at, "Gesprek").value == b_conv.id
    assert box(at, "Markering").value in (None, b_tag.id)
    if box(at, "Markering").value is None:
        box(at, "Markering").set_value(b_tag.id).run()
    save_button(at).click().run()
    [clip] = library.list_clips(ctx, coord)
    assert "factuur" in clip.excerpt and "verhuisd" not in clip.excerpt


def add_extra(at, fragment):
    form_inputs = [t for t in at.text_input if t.label == "Letterlijke tekst"]
    form_inputs[0].input(fragment)
    next(b for b in at.button if b.label == "Toevoegen").click().run()
    assert not at.exception
    return at


def after_texts(at):
    return " ".join(m.value for m in at.markdown)


def test_a_second_extra_span_is_kept(ctx, coord, two_exams):
    exam, conv, tag = two_exams["Anna Eerste"]
    at = pick(open_page(coord), exam, conv, tag)
    add_extra(at, "verhuisd")
    add_extra(at, "Utrecht")
    at.run()
    save_button(at).click().run()
    [clip] = library.list_clips(ctx, coord)
    assert "verhuisd" not in clip.excerpt and "Utrecht" not in clip.excerpt, clip.excerpt


def test_after_saving_the_list_shows_what_is_stored(ctx, coord, two_exams):
    exam, conv, tag = two_exams["Anna Eerste"]
    at = pick(open_page(coord), exam, conv, tag)
    assert any("0 voorbeeld(en)" in m.value for m in at.markdown)
    add_extra(at, "Utrecht")  # the curator adds what the detector missed, then saves
    add_extra(at, "verhuisd")
    save_button(at).click().run()
    assert not at.exception
    [clip] = library.list_clips(ctx, coord)
    assert any("1 voorbeeld(en)" in m.value for m in at.markdown)
    assert [c.value for c in at.code] == [clip.excerpt] and "Utrecht" not in clip.excerpt
    assert any("Toegevoegd aan de bibliotheek" in s.value for s in at.success)


def test_a_tag_of_another_conversation_is_refused(ctx, coord, two_exams):
    from ksf_review.services.context import ServiceError

    _, a_conv, _ = two_exams["Anna Eerste"]
    _, _, b_tag = two_exams["Bram Tweede"]
    with pytest.raises(ServiceError, match="hoort niet bij het gekozen gesprek"):
        library.promote(ctx, coord, b_tag.id, conversation_id=a_conv.id)
    assert library.list_clips(ctx, coord) == []


def test_first_load_does_not_build_the_anonymiser(ctx, coord, two_exams, monkeypatch):
    calls = []
    monkeypatch.setattr(anon_text, "_get_deduce", lambda: calls.append(1))
    at = open_page(coord)
    assert not at.exception
    assert calls == []


def test_the_preview_shows_the_bleeped_stretches_on_the_waveform(ctx, user, coord, tmp_path):
    """#14.13: before saving, the examiner sees where the audio will be bleeped."""
    from ksf_review.services import transcription_jobs as jobs
    from tests.conftest import make_wav

    exam = exams.create_exam(ctx, user, "Kandidaat Audio")
    conv = convs.add_audio_conversation(
        ctx, user, exam.id, "call.wav", make_wav(tmp_path / "c.wav", seconds=9).read_bytes(), title="Opname"
    )
    jobs.run_pending(ctx)
    # fake transcript: "Goedemiddag, u spreekt met Jan van Energie Plus." with "Jan" at 1.3–2.5 s
    tag = tagging.add_tag(ctx, user, conv.id, 0.5, 2.5, "1.1a", "+", "begroeting")
    at = pick(open_page(coord), exam, conv, tag)
    [chart] = at.get("vega_lite_chart")  # altair: the waveform and the red stretches
    spec = chart.proto.spec
    assert '"area"' in spec and '"rect"' in spec, spec[:500]
    caption = " ".join(c.value for c in at.caption)
    assert "1,15–2,65 s" in caption  # "Jan" 1.3–2.5 s plus 0.15 s margin on each side
