"""Speech → Transcript with faster-whisper, per channel for stereo calls.

Stereo call recordings put the agent and the customer on separate channels, so each
channel is transcribed on its own (VAD removes the silent half) and the results are merged
by time: speakers are then exact, not guessed. Settings that matter on a 2-core CPU are
fixed here (see architecture.md and docs/performance.md): the batched pipeline with VAD,
beam 2, no conditioning on previous text, word timings; a channel no longer than one 30-s
window is decoded with timestamp tokens and beam 5, as the reference decoder does.
A FakeEngine with the same interface serves unit tests.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from ..domain.diarization import DiarizationOptions
from ..domain.segmentation import collapse_repetitions, split_utterances
from ..domain.transcript import AGENT, CUSTOMER, MONO, Segment, Transcript, Word, merge_by_time
from .audio import probe
from .boundaries import refine, uncovered, voiced_regions
from .speech_model import load_model, model_label

ProgressFn = Callable[[float], None]


class Cancelled(Exception):
    """Raised from a progress callback to stop a running transcription."""


DEFAULT_SETTINGS = {
    # measured on the sample calls, a stereo call of real speech and speech_nl
    # (docs/performance.md): faster-whisper's batched pipeline with VAD and beam 2 is well over
    # 3x faster than a plain call and more accurate than it; beam 5 was 1.5 WER points better
    # but only 2.7-3.0x faster. The utterance splitting and boundary snapping below turn its
    # long segments into tagging-sized ones. Batch 4, not 8: beam search over 8x5 hypotheses took
    # an hour-long call past 1.5 GB RSS (8x2 was no faster than 4x2).
    "language": "nl",
    "batch_size": 4,
    "beam_size": 2,
    "vad_filter": True,
    "condition_on_previous_text": False,
    "word_timestamps": True,
    # no temperature fallback: it samples at random, so a retry would give another transcript;
    # the batched pipeline decodes at temperature 0 anyway, loops are collapsed below
    "temperature": 0.0,
    # a channel no longer than one 30-s window has nothing to batch: decode it as the reference
    # decoder does, with timestamp tokens and beam 5 (on speech_nl beam 2 or no timestamp
    # tokens were worse than a plain call; with both, WER is as plain's or better)
    "one_window": {"up_to_s": 30.0, "without_timestamps": False, "beam_size": 5},
    # a mono call gets a speaker per voice (adapters/diarization.py); every tuning value is here,
    # so retuning it changes the cache key. None: a mono call stays one `spreker`.
    "diarization": DiarizationOptions().as_dict(),
    # a "word" lasting longer than this is the decoder losing its place (one word "nilf" over two
    # whole turns, 132.9-152.1 s of a sample call), not speech: its segment is dropped, so the
    # stretch counts as missed and is re-listened
    "max_word_s": 4.0,
}
NOT_DECODER = ("one_window", "diarization", "max_word_s")


def decoder_kwargs(settings: dict, seconds: float) -> dict:
    """faster-whisper keyword arguments for a channel of `seconds` (batched when batch_size is set)."""
    kwargs = {k: v for k, v in settings.items() if k not in NOT_DECODER}
    one_window = dict(settings.get("one_window") or {})
    if not kwargs.get("batch_size"):
        kwargs.pop("batch_size", None)
    elif seconds <= float(one_window.pop("up_to_s", 0)):
        kwargs.update(one_window)
    return kwargs


def channel_speakers(channels: int, agent_channel: str = "left") -> list[str]:
    if channels < 2:
        return [MONO]
    return [AGENT, CUSTOMER] if agent_channel == "left" else [CUSTOMER, AGENT]


def cache_key(audio_sha256: str, model: str, settings: dict, agent_channel: str) -> str:
    blob = json.dumps({"a": audio_sha256, "m": model, "s": settings, "c": agent_channel}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class Engine(Protocol):
    model_name: str
    settings: dict

    def transcribe(self, path: Path, agent_channel: str = "left",
                   progress: ProgressFn | None = None) -> Transcript: ...


#: Whisper's well-known inventions on silence and music (Dutch subtitling credits etc.)
HALLUCINATIONS = ("ondertiteling", "ondertiteld door", "bedankt voor het kijken", "amara.org",
                  "tv gelderland", "copyright", "abonneer", "www.", "ondertitels")
WINDOW = 300.0  # seconds of audio per model call: bounds memory for hour-long calls (batched features)
SEARCH = 20.0  # look this far back from a window end for a quiet place to cut
MAX_GAPS = 200  # re-listened stretches per channel (bounds the cost on very noisy channels)
MAX_SINGLE = 20  # stretches re-listened one per call after the glued passes …
SINGLE_MIN_S = 1.0  # … if at least this long ("Ja, klopt."), not a cough (each call costs a 30-s window)
TOKENS_PER_S = 10  # a re-listen may write this many tokens per second of audio (fast Dutch speech ≈ 5):
# a decoder that loops on a 2-s stretch would otherwise write 448 tokens of beam search (≈4 s)


def quiet_cut(samples, start: int, end: int, rate: int) -> int:
    """The quietest 0.25 s in the last SEARCH seconds before `end`, so no word is cut."""
    import numpy as np

    lo = max(start + 1, end - int(SEARCH * rate))
    hop = int(0.25 * rate)
    if end - lo < 2 * hop:
        return end
    region = np.abs(samples[lo:end].astype(np.float32))
    n = (len(region) // hop) * hop
    energy = region[:n].reshape(-1, hop).mean(axis=1)
    return lo + int(energy.argmin()) * hop + hop // 2


def is_stretched(segment: Segment, max_word_s: float) -> bool:
    """A segment holding a word longer than any spoken word: the decoder lost its place there."""
    return any(w.end - w.start > max_word_s for w in segment.words)


def is_hallucination(text: str, no_speech_prob: float, avg_logprob: float) -> bool:
    low = text.lower().strip()
    if not low or all(not c.isalnum() for c in low):
        return True
    if any(h in low for h in HALLUCINATIONS):
        return True
    return no_speech_prob > 0.6 and avg_logprob < -1.0


@dataclass
class WhisperEngine:
    model: str = "bundled"
    cache_dir: Path = Path("/tmp/ksf-model-cache")
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 2
    settings: dict = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    window: float = WINDOW

    @property
    def model_name(self) -> str:
        return model_label(self.model)

    def transcribe(self, path: Path, agent_channel: str = "left",
                   progress: ProgressFn | None = None) -> Transcript:
        import numpy as np

        from .audio import SAMPLE_RATE, decode_pcm16

        info = probe(path)
        pcm = decode_pcm16(path)
        speakers = channel_speakers(pcm.shape[0], agent_channel)
        model = load_model(self.model, self.cache_dir, self.device, self.compute_type, self.cpu_threads)
        rate = SAMPLE_RATE
        n = pcm.shape[1]
        duration = n / rate
        total = max(n * pcm.shape[0], 1)
        settings = decoder_kwargs(self.settings, duration)
        if settings.get("batch_size"):
            from faster_whisper import BatchedInferencePipeline

            runner = BatchedInferencePipeline(model)
        else:
            runner = model
        per_channel: list[list[Segment]] = []
        for ch in range(pcm.shape[0]):
            samples = pcm[ch]
            out: list[Segment] = []
            pos = 0
            while pos < n:
                end = min(n, pos + int(self.window * rate))
                if end < n:
                    end = quiet_cut(samples, pos, end, rate)
                audio = samples[pos:end].astype(np.float32) / 32768.0
                offset = pos / rate
                segments, _ = runner.transcribe(audio, **settings)
                for s in segments:
                    if is_hallucination(s.text, s.no_speech_prob, s.avg_logprob):
                        continue
                    words = tuple(Word(round(float(w.start) + offset, 3), round(float(w.end) + offset, 3), w.word,
                                       float(w.probability)) for w in (s.words or ()))
                    seg = Segment(start=round(float(s.start) + offset, 3), end=round(float(s.end) + offset, 3),
                                  speaker=speakers[ch],
                                  text=s.text.strip(), channel=ch, words=words)
                    if is_stretched(seg, self.settings.get("max_word_s") or float("inf")):
                        continue
                    out.extend(x for x in split_utterances(collapse_repetitions(seg)) if x.text)
                    if progress:
                        progress(min(1.0, (ch * n + pos + s.end * rate) / total))
                pos = end
                if progress:
                    progress(min(1.0, (ch * n + pos) / total))
            # what the decoder skipped is re-listened unbatched (with timestamp tokens it stops early
            # less often than the batched decoder): all stretches glued into one call, then what
            # that still missed one stretch per call (a long skipped turn can end the glued call).
            # A batched glued re-listen first was slower and, on real speech, less accurate.
            plain = {k: v for k, v in settings.items() if k != "batch_size"}
            regions = voiced_regions(samples, rate)  # once per channel: both passes look at the same sound
            out.extend(self._fill_gaps(model, plain, samples, rate, regions, out, speakers[ch], ch))
            out.extend(self._fill_gaps(model, plain, samples, rate, regions, out, speakers[ch], ch,
                                       one_by_one=MAX_SINGLE))
            per_channel.append(refine(sorted(out, key=lambda x: x.start), samples, rate))
        source = "channel"
        if pcm.shape[0] == 1 and self.settings.get("diarization"):
            from .diarization import diarize

            per_channel[0] = diarize(pcm[0], rate, per_channel[0], DiarizationOptions(**self.settings["diarization"]))
            source = "voice"
        return Transcript(segments=merge_by_time(*per_channel), duration=round(duration or info.duration, 3),
                          model=self.model_name, settings=dict(self.settings), speaker_source=source)


    def _fill_gaps(self, runner, settings: dict, samples, rate: int, regions: list[tuple[float, float]],
                   found: list[Segment], speaker: str, ch: int, one_by_one: int = 0) -> list[Segment]:
        """Re-listen to stretches with sound but no text (the batched decoder sometimes skips a
        short turn or stops early). All gaps go through the recogniser in one call, or (with
        `one_by_one`) up to that many gaps of at least SINGLE_MIN_S one call each; VAD and the
        hallucination filter still apply, so silence, noise and music yield nothing."""
        gaps = uncovered(regions, found)[:MAX_GAPS]
        if one_by_one:
            long_gaps = [g for g in gaps if g[1] - g[0] >= SINGLE_MIN_S][:one_by_one]
            return [seg for gap in long_gaps for seg in self._relisten(runner, settings, samples, rate, [gap],
                                                                       found, speaker, ch)]
        return self._relisten(runner, settings, samples, rate, gaps, found, speaker, ch)

    def _relisten(self, runner, settings: dict, samples, rate: int, gaps: list[tuple[float, float]],
                  found: list[Segment], speaker: str, ch: int) -> list[Segment]:
        """Transcribe `gaps` glued together with a second of silence; times mapped back."""
        import numpy as np

        if not gaps:
            return []
        pieces, table, pos = [], [], 0
        pause = np.zeros(rate, dtype=samples.dtype)
        for a, b in gaps:
            lo, hi = max(0, int((a - 0.3) * rate)), min(len(samples), int((b + 0.3) * rate))
            table.append((pos / rate, (pos + hi - lo) / rate, lo / rate))
            pieces += [samples[lo:hi], pause]
            pos += hi - lo + len(pause)
        audio = np.concatenate(pieces).astype(np.float32) / 32768.0

        def piece_of(t: float) -> int | None:
            for k, (c0, c1, _) in enumerate(table):
                if c0 - 0.2 <= t <= c1 + 0.2:
                    return k
            return None

        extra: list[Segment] = []
        window = min(len(audio) / rate, 30.0)
        segments, _ = runner.transcribe(audio, **settings, max_new_tokens=int(TOKENS_PER_S * window) + 10)
        for s in segments:
            if is_hallucination(s.text, s.no_speech_prob, s.avg_logprob):
                continue
            glued = tuple(Word(float(w.start), float(w.end), w.word, float(w.probability)) for w in s.words or ())
            if not glued:
                continue
            # a loop is cut before its words are shared out over the pieces, and so is what follows
            # it (its timing is lost): its copies would otherwise "cover" the next stretches with
            # junk and keep the next pass from re-listening them
            kept = collapse_repetitions(Segment(glued[0].start, glued[-1].end, speaker, s.text, ch, glued)).words
            starts = {w.start for w in kept}
            cut = next((w.start for w in glued if w.start not in starts), None)
            if cut is not None:
                kept = tuple(w for w in kept if w.start < cut)
            by_piece: dict[int, list[Word]] = {}
            for w in kept:
                k = piece_of((w.start + w.end) / 2)
                if k is not None:
                    c0, c1, orig = table[k]
                    shift = orig - c0
                    by_piece.setdefault(k, []).append(Word(round(max(w.start, c0) + shift, 3),
                                                           round(min(w.end, c1) + shift, 3), w.word, w.probability))
            for words in by_piece.values():
                # each piece reaches 0.3 s into its neighbours: a word heard again there is dropped
                words = [w for w in words if not _heard_before(found, w)]
                if not words:
                    continue
                seg = Segment(words[0].start, words[-1].end, speaker, "".join(w.word for w in words).strip(), ch,
                              tuple(words))
                extra.extend(x for x in split_utterances(collapse_repetitions(seg)) if x.text)
        return extra


def _heard_before(segments: list[Segment], word: Word) -> bool:
    """Does `word` fall in the time of a found segment? Then the re-listen heard that segment's
    speech again in its 0.3-s overlap, often cut ("voorbeeld" of "bijvoorbeeld", "de" of "bij"):
    the segment's own words, decoded with their whole context, are kept instead."""
    t = (word.start + word.end) / 2
    return any(s.start <= t <= s.end for s in segments)


@dataclass
class FakeEngine:
    """Returns a fixed transcript (or raises) without loading a model: for unit tests."""

    segments: list[Segment] = field(default_factory=list)
    error: Exception | None = None
    model_name: str = "fake"
    settings: dict = field(default_factory=dict)
    calls: int = 0
    seconds: float = 0.0  # > 0: take this long, reporting progress ten times (queue tests)
    speaker_source: str = "channel"

    def transcribe(self, path: Path, agent_channel: str = "left",
                   progress: ProgressFn | None = None) -> Transcript:
        self.calls += 1
        if self.error:
            raise self.error
        for step in range(1, 10 if self.seconds > 0 else 0):
            time.sleep(self.seconds / 10)
            if progress:
                progress(step / 10)
        if self.seconds > 0:
            time.sleep(self.seconds / 10)
        if progress:
            progress(0.5)
            progress(1.0)
        duration = max((s.end for s in self.segments), default=0.0)
        return Transcript(segments=list(self.segments), duration=duration, model=self.model_name,
                          settings=dict(self.settings), speaker_source=self.speaker_source)
