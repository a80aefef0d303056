"""Evidence quotes the corrected transcript (issue 14.2): checklist, PDF report, calibration.

The recogniser heard "baker" and "jaar afrekening"; the examiner corrects the line. Tags made
before and after the correction, and a tag whose times are edited, quote what is shown now.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.transcript import AGENT, CUSTOMER, Segment, Word
from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services import exams, reports, scoring, tagging
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav


def timed(start: float, speaker: str, channel: int, text: str) -> Segment:
    words, t = [], start
    for w in text.split():
        words.append(Word(round(t, 2), round(t + 0.4, 2), " " + w, 0.9))
        t += 0.5
    return Segment(start, round(t, 2), speaker, text, channel, tuple(words))


SEGMENTS = [
    timed(0.5, AGENT, 0, "Goedemiddag u spreekt met Jan van Duinstroom"),  # 0.5 – 4.0
    timed(4.5, CUSTOMER, 1, "Met mevrouw baker ik bel over mijn jaar afrekening"),  # 4.5 – 9.0
    timed(9.5, AGENT, 0, "Als ik u goed begrijp is die hoger dan verwacht"),
]
CORRECTED = "Met mevrouw Bakker ik bel over mijn jaarafrekening"


@pytest.fixture
def engine():
    return FakeEngine(segments=SEGMENTS)


@pytest.fixture
def conv(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "Kandidaat Quote")
    c = convs.add_audio_conversation(
        ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=14).read_bytes(), title="Jaarafrekening"
    )
    jobs.run_pending(ctx)
    return c


def quotes(ctx, user, exam_id) -> dict[str, str]:
    return {code: ev[0].excerpt for code, ev in scoring.evidence_by_item(ctx, user, exam_id).items()}


def test_existing_and_new_tags_quote_the_correction(ctx, user, conv):
    before = tagging.add_tag(ctx, user, conv.id, 4.5, 9.0, "1.3a", "+", "noemt naam")
    assert "baker" in before.excerpt
    seen = edits.segment_details(ctx, user, conv.id)[1]
    edits.edit_segment(ctx, user, conv.id, 1, text=CORRECTED, expected_version=seen.version)
    after = tagging.add_tag(ctx, user, conv.id, 5.0, 6.0, "1.3b", "+", "")
    q = quotes(ctx, user, conv.exam_id)
    assert q["1.3a"] == CORRECTED
    assert q["1.3b"] == "mevrouw Bakker"
    # the correction does not make an open edit form of the tag stale
    assert tagging.list_tags(ctx, user, conv.id)[0].version == before.version
    assert after.excerpt == "mevrouw Bakker"


def test_edited_times_move_the_quote(ctx, user, conv):
    edits.edit_segment(ctx, user, conv.id, 1, text=CORRECTED)
    tag = tagging.add_tag(ctx, user, conv.id, 0.5, 2.0, "1.1f", "+")
    assert tagging.list_tags(ctx, user, conv.id)[0].excerpt == "Goedemiddag u spreekt"
    tagging.update_tag(ctx, user, tag.id, tag.version, start=7.5, end=9.0)
    assert quotes(ctx, user, conv.exam_id)["1.1f"] == "mijn jaarafrekening"


@pytest.mark.slow
def test_pdf_report_quotes_the_correction(ctx, user, conv):
    tagging.add_tag(ctx, user, conv.id, 4.5, 9.0, "1.3a", "+", "")
    edits.edit_segment(ctx, user, conv.id, 1, text=CORRECTED)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(reports.exam_report_pdf(ctx, user, conv.exam_id))).pages)
    assert "Bakker" in text and "jaarafrekening" in text
    assert "baker" not in text


def test_calibration_tags_quote_the_correction(ctx, user, conv):
    from ksf_review.services.users import get_or_create_user
    from tests.integration.test_calibration import score_all

    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    people = [get_or_create_user(ctx, n, "examinator", n.capitalize()) for n in ("anna", "bert")]
    session = cal.create_session(ctx, coord, "Kalibratie", [p.id for p in people], exam_id=conv.exam_id)
    ids = {}
    for who in people:
        ids[who.id] = cal.my_assessment(ctx, who, session.id)
        tagging.add_tag(ctx, who, conv.id, 4.5, 6.0, "1.3a", "+", assessment_id=ids[who.id])
    edits.edit_segment(ctx, user, conv.id, 1, text=CORRECTED)
    for who in people:
        assert tagging.list_tags(ctx, who, conv.id, assessment_id=ids[who.id])[0].excerpt == "Met mevrouw Bakker"
        score_all(ctx, who, ids[who.id])
        cal.submit(ctx, who, ids[who.id])
    cal.reveal(ctx, coord, session.id)
    comp = cal.comparison(ctx, coord, session.id, n_boot=10)
    assert [t.quote for t in comp.tags[conv.id]] == ["Met mevrouw Bakker", "Met mevrouw Bakker"]


def test_a_tag_made_before_the_transcript_quotes_it_once_it_is_there(ctx, user, tmp_path):
    """A tag saved while there was no transcript yet (the demo's worked example, seeded with
    its script's words) quotes the recognised transcript once it is stored: the checklist and
    the report show what the transcript says, not the text the tag was made with."""
    exam = exams.create_exam(ctx, user, "Kandidaat Vroeg")
    c = convs.add_audio_conversation(ctx, user, exam.id, "b.wav", make_wav(tmp_path / "b.wav", seconds=14).read_bytes(), title="Vroeg")
    tagging.add_tag(ctx, user, c.id, 4.5, 9.0, "1.3a", "+", excerpt="Met mevrouw Bakker, ik bel over mijn jaarafrekening.")
    assert quotes(ctx, user, exam.id)["1.3a"] == "Met mevrouw Bakker, ik bel over mijn jaarafrekening."
    jobs.run_pending(ctx)
    assert quotes(ctx, user, exam.id)["1.3a"] == "Met mevrouw baker ik bel over mijn jaar afrekening"
