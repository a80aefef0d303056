"""#14.3: after a save on Examens, the lists show what is stored (not the state before the save)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import exams
from tests.conftest import make_wav

ROOT = Path(__file__).resolve().parents[2]


def _page(user, **state):
    at = AppTest.from_file(str(ROOT / "pages/examens.py"), default_timeout=30)
    at.session_state["user"] = user
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def _table_heading(at) -> str:
    return " ".join(m.value for m in at.markdown if m.value.startswith("#### Gesprekken"))


def test_three_uploads_show_at_once_in_list_and_overview(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "Drie Opnames")
    at = _page(user, exam_id=exam.id)
    assert any("nog geen gesprekken" in i.value for i in at.info)
    wavs = [make_wav(tmp_path / f"{i}.wav", seconds=1, freq=300.0 + 100 * i).read_bytes() for i in (1, 2, 3)]
    at.file_uploader(key="upload_files0").set_value([(f"gesprek{i}.wav", w, "audio/wav") for i, w in enumerate(wavs, 1)])
    at.button(key="FormSubmitter:upload_audio-Toevoegen").click().run()
    assert not at.exception
    assert not any("nog geen gesprekken" in i.value for i in at.info)
    assert "Gesprekken (3)" in _table_heading(at)
    assert sum("toegevoegd" in s.value for s in at.success) == 3
    df = at.dataframe[0].value
    assert df.loc[df["Kandidaat"] == "Drie Opnames", "Gesprekken"].tolist() == [3]


def test_added_chat_is_listed_in_the_same_run(ctx, user):
    exam = exams.create_exam(ctx, user, "Chat Kandidaat")
    at = _page(user, exam_id=exam.id)
    at.text_area[0].input("K: Hoi\nM: Goedemiddag, waarmee kan ik u helpen?")
    at.button(key="FormSubmitter:add_text-Toevoegen").click().run()
    assert not at.exception
    assert "Gesprekken (1)" in _table_heading(at)
    assert any("toegevoegd" in s.value for s in at.success)


def test_new_exam_is_in_the_overview_at_once(ctx, user):
    exams.create_exam(ctx, user, "Eerste")
    at = _page(user)
    at.text_input[0].input("Tweede Kandidaat")
    at.button(key="FormSubmitter:nieuw_examen-Examen aanmaken").click().run()
    assert not at.exception
    assert "Tweede Kandidaat" in at.dataframe[0].value["Kandidaat"].tolist()
    assert any("Tweede Kandidaat" in s.value for s in at.success)
