"""A zip of recordings plus a CSV of candidates (#19.10): one exam per candidate, a summary of
what was created and what was refused; the zip is capped like the library import."""

import io
import zipfile

import pytest

from ksf_review.services import bulk_upload, exams
from ksf_review.services import conversations as convs
from ksf_review.services.context import ServiceError
from tests.conftest import make_wav


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _wav(tmp_path, name, freq):
    return make_wav(tmp_path / name, seconds=1, freq=freq).read_bytes()


def test_one_exam_per_candidate_with_a_summary(any_ctx, tmp_path):
    from ksf_review.services.users import ensure_default_user

    ctx = any_ctx
    user = ensure_default_user(ctx)
    csv_text = (
        "kandidaat;bestand;titel\n"
        "Sanne de Vries;opnames/sanne1.wav;Jaarafrekening\n"
        "Sanne de Vries;sanne2.wav;\n"
        "Sanne de Vries;sanne2.wav;nog eens\n"  # the same recording twice in one exam
        "Piet Jansen;piet.wav;Storing\n"
        "Piet Jansen;ontbreekt.wav;\n"
        "Kees Kapot;kapot.wav;\n"
    )  # nothing usable: no empty exam
    data = _zip(
        {
            "kandidaten.csv": csv_text.encode("utf-8-sig"),
            "opnames/sanne1.wav": _wav(tmp_path, "a.wav", 300),
            "opnames/sanne2.wav": _wav(tmp_path, "b.wav", 400),
            "opnames/piet.wav": _wav(tmp_path, "c.wav", 500),
            "opnames/kapot.wav": b"dit is geen audio",
            "opnames/vergeten.wav": _wav(tmp_path, "d.wav", 600),
            "__MACOSX/._piet.wav": b"x",
        }
    )
    result = bulk_upload.import_exams_zip(ctx, user, data)

    assert [(c, n) for _, c, n in result.exams] == [("Sanne de Vries", 2), ("Piet Jansen", 1)]
    by_name = {e.candidate: e for e in exams.list_exams(ctx, user)}
    assert set(by_name) == {"Sanne de Vries", "Piet Jansen"}
    titles = [c.title for c in convs.list_conversations(ctx, user, by_name["Sanne de Vries"].id)]
    assert titles == ["Jaarafrekening", "sanne2"]
    assert [c.title for c in convs.list_conversations(ctx, user, by_name["Piet Jansen"].id)] == ["Storing"]
    assert len(result.created) == 3
    refused = "\n".join(result.refused)
    assert "al toegevoegd aan dit examen" in refused
    assert "'ontbreekt.wav' (CSV-regel 6) staat niet in de zip" in refused
    assert "Kees Kapot" in refused
    assert "'vergeten.wav' staat niet in de CSV" in refused
    assert len(result.refused) == 4
    assert bulk_upload.summary(result) == "2 examen(s) met samen 3 gesprek(ken) aangemaakt; 4 geweigerd of overgeslagen."


def test_comma_csv_and_missing_columns(ctx, user, tmp_path):
    ok = _zip({"lijst.csv": b"Kandidaat,Bestand\nAnna,a.wav\n", "a.wav": _wav(tmp_path, "a.wav", 300)})
    assert [c for _, c, _ in bulk_upload.import_exams_zip(ctx, user, ok).exams] == ["Anna"]
    bad = _zip({"lijst.csv": b"naam;file\nAnna;a.wav\n", "a.wav": b"x"})
    with pytest.raises(ServiceError, match="kolommen kandidaat en bestand"):
        bulk_upload.import_exams_zip(ctx, user, bad)
    with pytest.raises(ServiceError, match="geen CSV"):
        bulk_upload.import_exams_zip(ctx, user, _zip({"a.wav": b"x"}))
    with pytest.raises(ServiceError, match="geen geldig zipbestand"):
        bulk_upload.import_exams_zip(ctx, user, b"PK nope")
    assert [e.candidate for e in exams.list_exams(ctx, user)] == ["Anna"]


def test_zip_caps_are_checked_before_unpacking(ctx, user, monkeypatch):
    data = _zip({"k.csv": b"kandidaat;bestand\nA;a.wav\n", "a.wav": b"\0" * 100_000, "b.wav": b"\0" * 10})
    monkeypatch.setattr(bulk_upload, "MAX_BATCH_ENTRIES", 2)
    with pytest.raises(ServiceError, match="hoogstens 2"):
        bulk_upload.import_exams_zip(ctx, user, data)
    monkeypatch.setattr(bulk_upload, "MAX_BATCH_ENTRIES", 500)
    monkeypatch.setattr(bulk_upload, "MAX_BATCH_UNPACKED", 50_000)
    with pytest.raises(ServiceError, match="uitgepakt"):
        bulk_upload.import_exams_zip(ctx, user, data)
    assert exams.list_exams(ctx, user) == []


def test_entry_larger_than_the_upload_limit_is_refused(ctx, user, monkeypatch):
    import dataclasses

    small = dataclasses.replace(ctx.settings, max_upload_mb=0)
    monkeypatch.setattr(ctx, "settings", small)
    data = _zip({"k.csv": b"kandidaat;bestand\nA;a.wav\n", "a.wav": b"\0" * 1000})
    result = bulk_upload.import_exams_zip(ctx, user, data)
    assert result.exams == [] and "te groot" in result.refused[0]
