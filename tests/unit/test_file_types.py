"""The upload fields' check by name (domain.file_types): the refusal names the file and the types."""

from ksf_review.domain.file_types import AUDIO, TEXT, ZIP


def test_allowed_names_pass_in_any_case():
    assert AUDIO.refusal("gesprek.WAV") is None
    assert AUDIO.refusal("map/opname.m4a") is None
    assert TEXT.refusal("chat.txt") is None
    assert ZIP.refusal("examens.Zip") is None


def test_a_refusal_names_the_file_and_what_is_taken():
    msg = AUDIO.refusal("notities.txt")
    assert msg.startswith("'notities.txt' is geweigerd.")
    assert "WAV, MP3, M4A/AAC, Ogg/Opus, FLAC of WebM" in msg and ".wav" in msg and ".flac" in msg
    assert (
        TEXT.refusal("verslag.pdf") == "'verslag.pdf' is geweigerd. Hier kan alleen een tekstbestand worden toegevoegd: UTF-8-tekst (.txt)."
    )
    assert ZIP.refusal("lijst") == "'lijst' is geweigerd. Hier kan alleen een zipbestand worden toegevoegd (.zip)."
