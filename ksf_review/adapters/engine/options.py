"""Every tuning value of the transcription engine, in one frozen object.

The settings dict of a transcript (`as_dict`) is part of its cache key, so retuning any value
here (or bumping `version` when a step's code changes what it writes) makes every recording be
transcribed again instead of silently reusing a transcript made the old way. Figures behind
the values: docs/performance.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from ...domain.diarization import DiarizationOptions

#: Whisper's well-known inventions on silence and music (Dutch subtitling credits etc.)
HALLUCINATIONS = (
    "ondertiteling",
    "ondertiteld door",
    "bedankt voor het kijken",
    "amara.org",
    "tv gelderland",
    "copyright",
    "abonneer",
    "www.",
    "ondertitels",
)

#: the options that are faster-whisper's own keyword arguments
DECODER = ("language", "batch_size", "beam_size", "vad_filter", "condition_on_previous_text", "word_timestamps", "temperature")


@dataclass(frozen=True)
class EngineOptions:
    """Bump `version` whenever a step changes what it writes for the same values."""

    version: int = 3
    # -- decode windows: faster-whisper's batched pipeline with VAD and beam 2 is well over 3x
    # faster than a plain call and more accurate than it; beam 5 was 1.5 WER points better but
    # only 2.7-3.0x faster. Batch 4, not 8: 8x5 hypotheses took an hour-long call past 1.5 GB.
    language: str = "nl"
    batch_size: int = 4  # 0: the sequential decoder (no batching)
    beam_size: int = 2
    vad_filter: bool = True
    condition_on_previous_text: bool = False
    word_timestamps: bool = True
    # no temperature fallback: it samples at random, so a retry would give another transcript
    temperature: float = 0.0
    # a channel no longer than one 30-s window has nothing to batch: decoded as the reference
    # decoder does (the sequential decoder, timestamp tokens, beam 5); on speech_nl anything
    # else was worse than plain
    one_window_s: float = 30.0
    one_window_without_timestamps: bool = False
    one_window_beam_size: int = 5
    # … and when it runs on past the sure speech: a segment that continues the one before it
    # (within one_window_tail_s) and that it scores below faster-whisper's log_prob_threshold is
    # dropped and not re-listened. With word timings the decoder decodes the audio after the last
    # word once more, which a plain call does not (on the 18 speech_nl clips one such tail:
    # "… geen woord over" + "op de muziek"); an unsure segment on its own is kept (a short clip's
    # only utterance, "Mogen op je met m'n rauw pakken", would otherwise be lost)
    one_window_min_logprob: float = -1.0
    one_window_tail_s: float = 0.1
    window_s: float = 300.0  # audio per model call: bounds memory for hour-long calls
    quiet_search_s: float = 20.0  # look this far back from a window end for a quiet place to cut
    # -- clean
    hallucinations: tuple[str, ...] = HALLUCINATIONS
    # a "word" longer than this is the decoder losing its place (one "nilf" over two whole turns),
    # not speech: its segment is dropped, so the stretch counts as missed and is re-listened
    max_word_s: float = 4.0
    max_segment_s: float = 15.0  # utterances fit for tagging
    long_pause_s: float = 1.0  # an utterance ends at a pause this long …
    sentence_pause_s: float = 0.25  # … or at a sentence end followed by this much
    max_repeats: int = 2  # an n-gram repeated more often than this back to back is a loop
    max_ngram: int = 8  # a loop of a whole short sentence ("Ik heb dat niet gemeld." × 20) is cut too
    # -- find what was missed: voiced 10-ms frames (within margin_db of the loud ones), joined
    # into regions; sound that no segment covers is a gap
    frame_s: float = 0.01
    margin_db: float = 30.0
    region_join_s: float = 0.3
    region_min_s: float = 0.4
    gap_min_s: float = 0.6
    max_gaps: int = 200  # re-listened stretches per channel (bounds the cost on noisy channels)
    # -- re-listen: all gaps glued into one call, then the longer ones one per call (each gap a
    # clip of one batched call, clip_timestamps, was less accurate: docs/performance.md)
    relisten_pad_s: float = 0.3  # each stretch reaches this far into its neighbours
    max_single: int = 20  # stretches re-listened one per call after the glued pass …
    single_min_s: float = 1.0  # … if at least this long ("Ja, klopt."), not a cough
    # a re-listen may write this many tokens per second of audio (fast Dutch speech ≈ 5): a
    # decoder that loops on a 2-s stretch would otherwise write 448 tokens of beam search
    tokens_per_s: int = 10
    # -- refine edges
    edge_search_s: float = 1.0  # how far an edge may move to the nearest voiced frame
    split_silence_s: float = 1.0  # a segment is split at a silence this long inside it
    extend_limit_s: float = 3.0  # a region's first/last segment may reach its edge from this far
    # -- assign speakers: a mono call gets a speaker per voice (adapters/diarization.py);
    # None: a mono call stays one `spreker`
    diarization: DiarizationOptions | None = field(default_factory=DiarizationOptions)

    def as_dict(self) -> dict:
        """The flat settings dict stored with a transcript and hashed into its cache key."""
        out = asdict(self)
        out["hallucinations"] = list(self.hallucinations)
        return out

    @classmethod
    def from_dict(cls, settings: dict) -> EngineOptions:
        """The inverse of `as_dict` (unknown keys are an error: a typo would otherwise be ignored)."""
        values = dict(settings)
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown engine options: {sorted(unknown)}")
        if isinstance(values.get("diarization"), dict):
            values["diarization"] = DiarizationOptions(**values["diarization"])
        if "hallucinations" in values:
            values["hallucinations"] = tuple(values["hallucinations"])
        return cls(**values)

    def decoder_kwargs(self, seconds: float) -> dict:
        """faster-whisper keyword arguments for a channel of `seconds` (batched when batch_size is set)."""
        kwargs = {k: getattr(self, k) for k in DECODER}
        if not self.batch_size:
            kwargs.pop("batch_size")
        elif seconds <= self.one_window_s:
            # the sequential decoder, not the batched pipeline with its settings: on the speech_nl
            # clips that gave other words than a plain call (WER 0.399 vs 0.373)
            kwargs.pop("batch_size")
            kwargs.update(without_timestamps=self.one_window_without_timestamps, beam_size=self.one_window_beam_size)
        return kwargs


DEFAULT_SETTINGS = EngineOptions().as_dict()
