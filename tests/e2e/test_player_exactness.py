"""The player shows what is stored, in Chromium (issue 14): a line reads as its stored text,
a selection's times as the tag form shows and stores them, and an undone keyboard tag leaves
the keys 1–9 as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.transcript import Segment, Word
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcript_edits as edits
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav, timed_segments
from tests.e2e.conftest import admin_of, app_context, app_env, login, wait

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
AMOUNT = 2  # the line with "2,513 euro"
CORRECTED = 3  # a line the fixture corrects


def segments() -> list[Segment]:
    """Four lines; the third as Whisper gives a number: " 2" + ",513", each word with its own space."""
    first = timed_segments(
        [
            ("medewerker", "Goedemiddag u spreekt met Jan van Duinstroom Energie"),
            ("klant", "Ik heb een vraag over mijn jaarafrekening"),
        ]
    )
    t = first[-1].end + 0.6
    words = tuple(
        Word(round(t + 0.35 * k, 2), round(t + 0.35 * k + 0.3, 2), w, 0.9) for k, w in enumerate([" Het", " is", " 2", ",513", " euro"])
    )
    amount = Segment(words[0].start, words[-1].end, "medewerker", "".join(w.word for w in words).strip(), 0, words)
    last = timed_segments([("klant", "Dat is veel te hoog")], start=amount.end + 0.6)
    return [*first, amount, *last]


@pytest.fixture(scope="module")
def exact_app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-exact")
    env = app_env(data)
    with app_context(env, engine_factory=lambda: FakeEngine(segments=segments())) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "E2E Kandidaat")
        conv = convs.add_audio_conversation(
            ctx, admin, exam.id, "gesprek.wav", make_wav(data / "g.wav", seconds=30, freq=220).read_bytes(), title="Jaarafrekening"
        )
        jobs.run_pending(ctx)
        edits.edit_segment(ctx, admin, conv.id, CORRECTED, text="Dat is 2,5 euro te hoog!")
    url = streamlit_server_module(ROOT / "app.py", env=env)
    return url, env, conv.id


def open_review(page, url) -> None:
    login(page, url)
    page.get_by_role("link", name="Beoordelen").click()
    page.locator(".kp-audio-mode").first.wait_for(timeout=30000)


def player(page):
    return page.locator('[data-testid="ksf-player"]').first


def line(page, i: int) -> str:
    return player(page).locator(f'.kp-row[data-seg="{i}"] .kp-text').inner_text().strip()


def test_a_line_reads_as_stored_not_with_a_space_before_every_word(page, exact_app):
    url, env, conv_id = exact_app
    open_review(page, url)
    wait(lambda: player(page).locator(".kp-row").count() == 4, "the transcript's four lines")
    assert line(page, AMOUNT) == "Het is 2,513 euro"  # not "Het is 2 ,513 euro"
    assert line(page, CORRECTED) == "Dat is 2,5 euro te hoog!"  # a corrected line as corrected
    assert line(page, 0) == "Goedemiddag u spreekt met Jan van Duinstroom Energie"
    # each recognised word is still its own word (its own time, clickable), "2" and ",513" too
    texts = player(page).locator(f'.kp-row[data-seg="{AMOUNT}"] .kp-w').all_inner_texts()
    assert [t.strip() for t in texts] == ["Het", "is", "2", ",513", "euro"]
