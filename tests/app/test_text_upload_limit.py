"""The chat/e-mail text field says its real limit (1 MB), not Streamlit's server limit (200 MB),
and Toevoegen without text or a received file says what is missing and the limit."""

from ksf_review.domain.file_types import upload_mb
from tests.app.test_pages import page


def _uploaders(at) -> dict[str, int]:
    return {u.proto.label: u.proto.max_upload_size_mb for u in at.get("file_uploader")}


def test_the_text_uploader_shows_the_real_limit(seeded, user):
    at = page("pages/examens.py", user, exam_id=seeded["exam"].id)
    assert not at.exception
    limits = _uploaders(at)
    assert limits["… of een tekstbestand"] == 1  # KSF_MAX_TEXT_KB = 1024
    assert limits["Opname(s)"] == 200  # recordings keep the server's limit


def test_a_limit_that_is_no_whole_mb_is_rounded_up():
    assert upload_mb(1024 * 1024) == 1 and upload_mb(500 * 1024) == 1 and upload_mb(1536 * 1024) == 2 and upload_mb(0) == 1


def test_adding_without_text_or_file_names_the_limit(seeded, user):
    at = page("pages/examens.py", user, exam_id=seeded["exam"].id)
    at.button(key="FormSubmitter:add_text-Toevoegen").click().run()
    assert not at.exception
    assert any("Er is geen tekst ontvangen" in w.value and "hoogstens 1 MB" in w.value for w in at.warning)
