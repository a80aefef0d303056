import functools
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seeded(ctx, user, tmp_path):
    """One exam with an audio call (fake transcript) and two text conversations."""
    exam = exams.create_exam(ctx, user, "Sanne Test")
    audio = convs.add_audio_conversation(
        ctx, user, exam.id, "jaarafrekening.wav", make_wav(tmp_path / "j.wav", seconds=9).read_bytes(), title="Jaarafrekening"
    )
    jobs.run_pending(ctx)
    chat = convs.add_text_conversation(
        ctx, user, exam.id, "K: Ik ben verhuisd.\nM: Wat is uw klantnummer?", channel="chat", title="Adreswijziging"
    )
    mail = convs.add_text_conversation(
        ctx, user, exam.id, "K: Welke gegevens hebben jullie?\nM: U kunt inzage vragen.", channel="e-mail", title="Inzageverzoek"
    )
    return {"exam": exam, "audio": audio, "chat": chat, "mail": mail}


@pytest.fixture
def recorded(monkeypatch):
    """Fragment keys as they are drawn, and the scopes of st.rerun calls."""
    log = {"fragments": [], "reruns": []}
    real_fragment, real_rerun = st.fragment, st.rerun

    def fragment(func=None, **kw):
        def deco(f):
            @functools.wraps(f)
            def body(*a, **k):
                log["fragments"].append(kw.get("key"))
                return f(*a, **k)

            return real_fragment(body, **kw)

        return deco if func is None else deco(func)

    def rerun(scope="app"):
        log["reruns"].append(scope)
        return real_rerun(scope)

    monkeypatch.setattr(st, "fragment", fragment)
    monkeypatch.setattr(st, "rerun", rerun)
    return log


def open_review(user, exam_id: int, conversation_id: int) -> AppTest:
    """Beoordelen as `user` sees it with this exam and gesprek chosen, run once without an exception."""
    at = AppTest.from_file(str(ROOT / "pages/beoordelen.py"), default_timeout=60)
    at.session_state["user"] = user
    at.session_state["exam_id"] = exam_id
    at.session_state["conversation_id"] = conversation_id
    at.run()
    assert not at.exception
    return at
