import pytest

from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import transcription_jobs as jobs
from tests.conftest import make_wav


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
