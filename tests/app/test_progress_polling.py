"""#14.8: only the progress cell of an active job polls, with one small query, and stops when the job ends."""

import functools
import threading
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from ksf_review.adapters.storage.models import TranscriptionJob
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from tests.conftest import make_wav

ROOT = Path(__file__).resolve().parents[2]


class FragmentRecorder:
    """Wraps st.fragment: records each fragment's run_every and the SQL its body runs."""

    def __init__(self):
        self.runs: list[dict] = []
        self.log: list[tuple] = []  # ("page",) per page run (its st.title), ("poll", s) per polling fragment
        self.before_body = None  # optional hook, called before each polling body
        self._local = threading.local()
        self._real = st.fragment

    def on_sql(self, conn, cursor, statement, *args):
        stack = getattr(self._local, "stack", None)
        if stack:
            stack[-1].append(statement)

    def __call__(self, func=None, *, run_every=None, **kw):
        def deco(f):
            if run_every:
                self.log.append(("poll", run_every))

            @functools.wraps(f)
            def body(*a, **k):
                if run_every and self.before_body:
                    self.before_body()
                self._local.stack = getattr(self._local, "stack", [])
                self._local.stack.append([])
                try:
                    return f(*a, **k)
                finally:
                    self.runs.append({"run_every": run_every, "sql": self._local.stack.pop()})

            return self._real(body, run_every=run_every, **kw)

        return deco if func is None else deco(func)

    def polling(self):
        return [r for r in self.runs if r["run_every"]]

    def polls_in_last_page_run(self):
        last = max(i for i, e in enumerate(self.log) if e[0] == "page")
        return [e for e in self.log[last:] if e[0] == "poll"]


@pytest.fixture
def recorder(monkeypatch):
    rec = FragmentRecorder()
    monkeypatch.setattr(st, "fragment", rec)
    real_title = st.title

    def title(*a, **k):
        rec.log.append(("page",))
        return real_title(*a, **k)

    monkeypatch.setattr(st, "title", title)
    event.listen(Engine, "before_cursor_execute", rec.on_sql)
    yield rec
    event.remove(Engine, "before_cursor_execute", rec.on_sql)


@pytest.fixture
def running(ctx, user, tmp_path):
    """An exam with two recordings: one transcribing (31 %), one waiting, and a chat."""
    exam = exams.create_exam(ctx, user, "Lopende Transcriptie")
    a = convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav", 2, freq=300).read_bytes())
    b = convs.add_audio_conversation(ctx, user, exam.id, "b.wav", make_wav(tmp_path / "b.wav", 2, freq=500).read_bytes())
    convs.add_text_conversation(ctx, user, exam.id, "K: Hoi\nM: Goedemiddag", channel="chat", title="Chat")
    with ctx.db.unit_of_work() as s:
        s.execute(update(TranscriptionJob).where(TranscriptionJob.conversation_id == a.id).values(status="running", progress=0.31))
    return exam, a, b


def _set_all_jobs(ctx, status):
    with ctx.db.unit_of_work() as s:
        s.execute(update(TranscriptionJob).values(status=status, progress=1.0))


def _page(user, exam_id):
    at = AppTest.from_file(str(ROOT / "pages/examens.py"), default_timeout=30)
    at.session_state["user"] = user
    at.session_state["exam_id"] = exam_id
    return at


def test_only_active_jobs_poll_with_one_job_query_per_tick(recorder, running, user):
    exam, _, _ = running
    at = _page(user, exam.id).run()
    assert not at.exception
    polls = recorder.polling()
    assert len(polls) == 2  # the running and the queued job; not the chat, not the whole list
    for tick in polls:
        assert len(tick["sql"]) == 1, tick["sql"]
        assert "transcription_jobs" in tick["sql"][0]
        assert "conversations" not in tick["sql"][0] and "audio" not in tick["sql"][0]
    assert any("31%" in c.value for c in at.caption)


def test_no_polling_without_an_active_job(recorder, running, ctx, user):
    exam, _, _ = running
    _set_all_jobs(ctx, "done")
    at = _page(user, exam.id).run()
    assert not at.exception
    assert recorder.polling() == [] and recorder.polls_in_last_page_run() == []


def test_poll_that_sees_the_job_end_redraws_the_page_without_polling(recorder, running, ctx, user):
    exam, _, _ = running
    calls = []

    def job_ends_before_first_tick():
        if not calls:
            _set_all_jobs(ctx, "done")
        calls.append(1)

    recorder.before_body = job_ends_before_first_tick
    at = _page(user, exam.id).run()
    assert not at.exception
    assert len(calls) == 1
    assert [e[0] for e in recorder.log].count("page") == 2  # the tick saw the end and asked for a page run
    assert recorder.polls_in_last_page_run() == []  # ... which no longer polls
    assert sum("transcriptie klaar" in c.value for c in at.caption) == 2
    assert not any("bezig" in c.value for c in at.caption)


def test_the_progress_cell_names_the_speaker_step(recorder, running, ctx, user):
    """A mono call waits at 88 % while its voices are told apart: the cell says so (same one query)."""
    exam, a, _ = running
    with ctx.db.unit_of_work() as s:
        s.execute(update(TranscriptionJob).where(TranscriptionJob.conversation_id == a.id).values(progress=0.88, step="speakers"))
    at = _page(user, exam.id).run()
    assert not at.exception
    assert any(c.value.startswith("transcriptie bezig: 88%") and c.value.endswith("sprekers herkennen …") for c in at.caption)
    assert all(len(tick["sql"]) == 1 for tick in recorder.polling())


def test_beoordelen_shows_the_live_progress_of_its_gesprek_with_the_step(recorder, running, ctx, user):
    """Beoordelen during a transcription: the same polled cell as Examens, not a percentage frozen at opening."""
    from tests.app.conftest import open_review

    exam, a, _ = running
    with ctx.db.unit_of_work() as s:
        s.execute(update(TranscriptionJob).where(TranscriptionJob.conversation_id == a.id).values(progress=0.88, step="speakers"))
    at = open_review(user, exam.id, a.id)
    assert any(c.value.startswith("transcriptie bezig: 88%") and c.value.endswith("sprekers herkennen …") for c in at.caption)
    job_ticks = [t for t in recorder.polling() if any("transcription_jobs" in q for q in t["sql"])]
    assert job_ticks and all(len(t["sql"]) == 1 for t in job_ticks)
