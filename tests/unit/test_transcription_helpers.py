"""The engine's pure helpers: decoder settings per channel length, re-heard words, hallucinations."""

from ksf_review.adapters.engine.clean import is_hallucination, is_stretched
from ksf_review.adapters.engine.options import DEFAULT_SETTINGS, EngineOptions
from ksf_review.adapters.engine.relisten import heard_before as _heard_before
from ksf_review.adapters.engine.relisten import relisten
from ksf_review.adapters.engine.speakers import channel_speakers
from ksf_review.adapters.transcription import decoder_kwargs
from ksf_review.domain.transcript import Segment, Word

TOKENS_PER_S = EngineOptions().tokens_per_s


def test_short_channel_is_decoded_as_the_reference_decoder_does():
    short = decoder_kwargs(DEFAULT_SETTINGS, 11.3)
    assert short["without_timestamps"] is False and short["beam_size"] == 5
    assert "batch_size" not in short  # the sequential decoder: the batched pipeline gave other words than a plain call
    assert not any(k.startswith("one_window") for k in short)  # not faster-whisper arguments


def test_long_channel_keeps_the_batched_default():
    long = decoder_kwargs(DEFAULT_SETTINGS, 61.7)
    assert "without_timestamps" not in long and long["beam_size"] == 2 and long["vad_filter"] is True
    assert not any(k.startswith("one_window") for k in long)


def test_sequential_settings_never_carry_a_batch_size():
    kw = decoder_kwargs({**DEFAULT_SETTINGS, "batch_size": 0}, 5.0)
    assert "batch_size" not in kw and "without_timestamps" not in kw


def _seg(start, end, *words):
    ws = tuple(Word(start + i * 0.3, start + i * 0.3 + 0.25, w, 0.9) for i, w in enumerate(words))
    return Segment(start, end, "klant", " ".join(words), 1, ws)


def test_a_word_heard_again_in_the_overlap_is_recognised():
    found = [_seg(4.7, 5.4, " geen", " woord", " over")]
    assert _heard_before(found, Word(5.2, 5.4, " over,", 0.8))
    assert _heard_before(found, Word(5.0, 5.3, " woorden", 0.8))  # the same speech, cut or misheard
    assert not _heard_before(found, Word(5.5, 6.2, " communiceren", 0.8))  # new word after the segment
    assert not _heard_before(found, Word(4.2, 4.6, " en", 0.8))  # and before it


def test_channel_speakers_follow_the_agent_channel():
    assert channel_speakers(2, "left") == ["medewerker", "klant"]
    assert channel_speakers(2, "right") == ["klant", "medewerker"]
    assert channel_speakers(1) == ["spreker"]


def test_known_subtitle_credits_and_empty_text_are_hallucinations():
    assert is_hallucination(" Ondertiteling door TV Gelderland", 0.1, -0.3)
    assert is_hallucination(" ...", 0.1, -0.3)
    assert is_hallucination(" ja", 0.9, -1.5)
    assert not is_hallucination(" Goedemiddag, u spreekt met Sanne.", 0.1, -0.3)


class _Runner:
    """Stands in for faster-whisper: returns one decoded segment (glued-audio times), records kwargs."""

    def __init__(self, words):
        self.words, self.kwargs = words, None

    def transcribe(self, audio, **kwargs):
        from types import SimpleNamespace as NS

        self.kwargs = kwargs
        words = [NS(start=a, end=b, word=w, probability=0.9) for a, b, w in self.words]
        text = "".join(w.word for w in words)
        return [NS(text=text, no_speech_prob=0.1, avg_logprob=-0.3, words=words)], None


def _relisten(runner, gaps):
    import numpy as np

    samples = np.zeros(16000 * 60, dtype=np.int16)
    return relisten(runner, {}, samples, 16000, gaps, [], "klant", 1)


def test_a_loop_in_a_glued_relisten_does_not_cover_the_other_stretches():
    # two stretches glued: [0, 2.6) is 10.0-12.0 s (+0.3 s each side), a second of silence, then
    # [3.6, 5.2) is 20.0-21.0 s. The decoder hears "ik denk dat" and then loops over both.
    loop = [(0.3, 0.5, " ik"), (0.5, 0.8, " denk"), (0.8, 1.0, " dat")]
    loop += [(1.0 + i * 0.2, 1.2 + i * 0.2, w) for i, w in enumerate([" ik", " dat"] * 10)]
    segs = _relisten(_Runner(loop), [(10.0, 12.0), (20.0, 21.0)])
    assert [s.text for s in segs] == ["ik denk dat ik"]  # the loop "dat ik dat ik …" kept once
    assert all(s.end < 13 for s in segs)  # the second stretch stays uncovered: the next pass re-listens


def test_a_relisten_may_not_write_more_tokens_than_its_audio_can_hold():
    runner = _Runner([(0.3, 0.6, " ja")])
    segs = _relisten(runner, [(10.0, 11.0)])
    assert [s.text for s in segs] == ["ja"] and segs[0].start == 10.0
    # 1.6 s of audio (1.0 + 0.3 each side) + 1 s of silence: far below faster-whisper's 448
    assert runner.kwargs["max_new_tokens"] == int(TOKENS_PER_S * 2.6) + 10


def test_a_word_over_many_seconds_marks_its_segment_as_lost():
    """One word "nilf" over two whole turns (132.9-152.1 s): dropped, so the stretch is re-listened."""
    lost = Segment(132.9, 152.07, "klant", "nilf", 1, (Word(132.9, 151.83, " nilf", 0.2),))
    spoken = Segment(
        0.0, 3.0, "klant", "Ja, dat klopt.", 1, (Word(0.0, 0.4, " Ja,", 0.9), Word(0.5, 0.9, " dat", 0.9), Word(1.0, 3.0, " klopt.", 0.9))
    )
    assert is_stretched(lost, 4.0)
    assert not is_stretched(spoken, 4.0)
    assert "max_word_s" not in decoder_kwargs(DEFAULT_SETTINGS, 120.0)
