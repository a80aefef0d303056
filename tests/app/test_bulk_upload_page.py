"""Examens page: 'Meerdere examens uit een zip' (#19.10) creates the exams and shows a summary."""

import io
import zipfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import exams
from tests.conftest import make_wav

ROOT = Path(__file__).resolve().parents[2]


def test_zip_with_csv_creates_exams_and_lists_what_was_refused(ctx, user, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("kandidaten.csv", "kandidaat;bestand\nEva <b>Bos</b>;eva.wav\nTom;tom.wav\n")
        zf.writestr("eva.wav", make_wav(tmp_path / "e.wav", seconds=1, freq=300).read_bytes())
        zf.writestr("tom.wav", b"geen audio")
    at = AppTest.from_file(str(ROOT / "pages/examens.py"), default_timeout=60)
    at.session_state["user"] = user
    at.run()
    at.file_uploader(key="bulk_zip0").set_value([("batch.zip", buf.getvalue(), "application/zip")])
    at.button(key="FormSubmitter:bulk_upload-Examens aanmaken").click().run()
    assert not at.exception
    assert [e.candidate for e in exams.list_exams(ctx, user)] == ["Eva <b>Bos</b>"]
    assert any("1 examen(s) met samen 1 gesprek(ken) aangemaakt; 1 geweigerd" in s.value for s in at.success)
    assert any("Tom" in w.value and "Geweigerd" in w.value for w in at.warning)
    created = [m.value for m in at.markdown if "Aangemaakt" in m.value]
    assert len(created) == 1 and "Eva \\<b\\>Bos" in created[0]  # user text escaped, not rendered
    df = at.dataframe[0].value
    assert df["Kandidaat"].tolist() == ["Eva <b>Bos</b>"]  # the overview shows it in the same run


def test_not_a_zip_is_refused_in_dutch(ctx, user):
    at = AppTest.from_file(str(ROOT / "pages/examens.py"), default_timeout=60)
    at.session_state["user"] = user
    at.run()
    at.file_uploader(key="bulk_zip0").set_value([("batch.zip", b"geen zip", "application/zip")])
    at.button(key="FormSubmitter:bulk_upload-Examens aanmaken").click().run()
    assert any("geen geldig zipbestand" in e.value for e in at.error)
    assert exams.list_exams(ctx, user) == []
