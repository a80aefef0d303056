"""Read access is not write access, in the player too: on a finalised exam a double click or E
opens no line editor and T no item picker (the player offered both, and the change was then
dropped without a word), and its legend leaves those keys out."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.services import conversations as convs
from ksf_review.services import exams, scoring
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav
from tests.e2e.conftest import admin_of, app_context, app_env, login, settle
from tests.e2e.test_app_review import segments

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def final_app(tmp_path_factory, streamlit_server_module):
    data = tmp_path_factory.mktemp("e2e-readonly")
    env = app_env(data)
    with app_context(env, engine_factory=lambda: FakeEngine(segments=segments())) as ctx:
        admin = admin_of(ctx)
        exam = exams.create_exam(ctx, admin, "Afgeronde Kandidaat")
        convs.add_audio_conversation(
            ctx, admin, exam.id, "gesprek.wav", make_wav(data / "g.wav", seconds=30).read_bytes(), title="Afgerond"
        )
        for title in ("Chat", "Mail"):  # a praktijktoets needs three gesprekken to be finalised
            convs.add_text_conversation(ctx, admin, exam.id, "K: Hallo\nM: Goedemiddag", channel="chat", title=title)
        jobs.run_pending(ctx)
        for item in scoring.exam_rubric(ctx, exam.id).items:
            scoring.set_item_score(ctx, admin, exam.id, item.code, "behaald")
        scoring.finalise_exam(ctx, admin, exam.id)
    return streamlit_server_module(ROOT / "app.py", env=env)


def test_a_finalised_exam_offers_no_editor_in_the_player(page, final_app):
    login(page, final_app)
    page.get_by_role("link", name="Beoordelen").click()
    player = page.locator('[data-testid="ksf-player"]').first
    page.locator(".kp-audio-mode").first.wait_for(timeout=60000)
    page.get_by_text("Dit examen is afgerond").wait_for(timeout=60000)
    legend = player.locator(".kp-legend")
    assert "Afspelen / pauze" in legend.inner_text()
    assert "Regel corrigeren" not in legend.inner_text() and "Markeren" not in legend.inner_text()

    player.locator('.kp-w[data-w="1"]').dblclick()
    settle(page)
    assert player.locator("input.kp-edit").count() == 0
    page.keyboard.press("e")
    settle(page)
    assert player.locator("input.kp-edit").count() == 0
    page.keyboard.press("t")
    settle(page)
    assert player.locator(".kp-picker-input").count() == 0
