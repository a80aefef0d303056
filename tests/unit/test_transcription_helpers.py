"""The engine's pure helpers: decoder settings per channel length, re-heard words, hallucinations."""

from ksf_review.adapters.transcription import (
    DEFAULT_SETTINGS,
    _heard_before,
    channel_speakers,
    decoder_kwargs,
    is_hallucination,
)
from ksf_review.domain.transcript import Segment, Word


def test_short_channel_is_decoded_with_timestamp_tokens():
    short = decoder_kwargs(DEFAULT_SETTINGS, 11.3)
    assert short["without_timestamps"] is False and short["batch_size"] == 4
    assert "timestamps_up_to_s" not in short  # not a faster-whisper argument


def test_long_channel_keeps_the_batched_default():
    long = decoder_kwargs(DEFAULT_SETTINGS, 61.7)
    assert "without_timestamps" not in long and long["beam_size"] == 5 and long["vad_filter"] is True


def test_sequential_settings_never_carry_a_batch_size():
    kw = decoder_kwargs({**DEFAULT_SETTINGS, "batch_size": 0}, 5.0)
    assert "batch_size" not in kw and "without_timestamps" not in kw


def _seg(start, end, *words):
    ws = tuple(Word(start + i * 0.3, start + i * 0.3 + 0.25, w, 0.9) for i, w in enumerate(words))
    return Segment(start, end, "klant", " ".join(words), 1, ws)


def test_a_word_heard_again_in_the_overlap_is_recognised():
    found = [_seg(4.7, 5.4, " geen", " woord", " over")]
    assert _heard_before(found, Word(5.2, 5.4, " over,", 0.8))
    assert not _heard_before(found, Word(5.5, 6.2, " communiceren", 0.8))  # new word after the segment
    assert not _heard_before(found, Word(5.0, 5.2, " niet", 0.8))  # inside, but not a repeat


def test_channel_speakers_follow_the_agent_channel():
    assert channel_speakers(2, "left") == ["medewerker", "klant"]
    assert channel_speakers(2, "right") == ["klant", "medewerker"]
    assert channel_speakers(1) == ["spreker"]


def test_known_subtitle_credits_and_empty_text_are_hallucinations():
    assert is_hallucination(" Ondertiteling door TV Gelderland", 0.1, -0.3)
    assert is_hallucination(" ...", 0.1, -0.3)
    assert is_hallucination(" ja", 0.9, -1.5)
    assert not is_hallucination(" Goedemiddag, u spreekt met Sanne.", 0.1, -0.3)
