"""Speech → Transcript with faster-whisper, per channel, as six named steps.

Per channel: decode windows → clean → find what was missed → re-listen → refine edges; then
assign speakers over the whole call. Each step logs at INFO what it did. Settings that
matter on a 2-core CPU and the figures behind them: `options.py`, docs/performance.md.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ...config import all_cores, default_model_cache_dir
from ...domain.states import JobStep
from ...domain.transcript import Segment, Transcript
from ..audio import probe
from ..speech_model import load_model, model_label
from .clean import clean, is_hallucination, is_unsure_tail
from .contract import ProgressFn, announce
from .decode import decode_windows
from .edges import refine
from .missed import missed, worth_one_call
from .options import EngineOptions
from .relisten import relisten
from .sound import measure
from .speakers import assign_speakers, channel_speakers

log = logging.getLogger(__name__)

#: the part of a mono call's progress kept for the speaker step (telling voices apart comes after
#: all words are heard; it took 4-18 % of the transcription time, docs/performance.md), so the
#: bar does not stand at 100 % while it runs. A stereo call's speakers come from the channels.
SPEAKER_STEP_SHARE = 0.12


@contextmanager
def _step(name: str, ch: int | None = None):
    """Times a step and logs what it reports (`note.update(...)`) at INFO."""
    note: dict = {}
    t0 = time.perf_counter()
    yield note
    where = "" if ch is None else f" channel {ch}"
    detail = ", ".join(f"{k} {v}" for k, v in note.items())
    log.info("%s%s: %.1f s, %s", name, where, time.perf_counter() - t0, detail)


class WhisperEngine:
    """The real engine. `settings` (a dict as stored with a transcript) is accepted for callers
    that tune by dict; `options` is the frozen object every step reads. Without a cache dir or a
    thread count it takes the settings' defaults (config.py), so a bench or test engine matches the app's."""

    def __init__(
        self,
        model: str = "bundled",
        cache_dir: Path | None = None,
        device: str = "cpu",
        compute_type: str = "int8",
        cpu_threads: int | None = None,
        options: EngineOptions | None = None,
        settings: dict | None = None,
    ):
        self.model, self.device = model, device
        self.cache_dir = cache_dir if cache_dir is not None else default_model_cache_dir()
        self.compute_type, self.cpu_threads = compute_type, cpu_threads or all_cores()
        self.options = options or (EngineOptions.from_dict(settings) if settings is not None else EngineOptions())

    @property
    def model_name(self) -> str:
        return model_label(self.model)

    @property
    def settings(self) -> dict:
        return self.options.as_dict()

    def transcribe(self, path: Path, agent_channel: str = "left", progress: ProgressFn | None = None) -> Transcript:
        from ..audio import SAMPLE_RATE, decode_pcm16

        info = probe(path)
        pcm = decode_pcm16(path)
        rate, (channels, n) = SAMPLE_RATE, pcm.shape
        speakers = channel_speakers(channels, agent_channel)
        model = load_model(self.model, self.cache_dir, self.device, self.compute_type, self.cpu_threads)
        duration = n / rate
        log.info("transcribing %s: %.1f s, %d channel(s)", path.name, duration, channels)
        words_share = 1.0 - (SPEAKER_STEP_SHARE if channels == 1 and self.options.diarization is not None else 0.0)
        per_channel = []
        for ch in range(channels):
            share = (lambda p, ch=ch: progress(words_share * (ch + p) / channels)) if progress else None
            per_channel.append(self._channel(model, pcm[ch], rate, duration, speakers[ch], ch, share))
        if progress and words_share < 1.0:  # every word heard; the bar waits here meanwhile: say why
            progress(words_share)
            announce(progress, JobStep.SPEAKERS)
        with _step("assign speakers") as note:
            segments, source = assign_speakers(pcm, rate, per_channel, self.options)
            note.update(segments=len(segments), source=source)
        if progress:
            progress(1.0)  # the speaker step's share, or a last window that ended before the audio did
        return Transcript(
            segments=segments,
            duration=round(duration or info.duration, 3),
            model=self.model_name,
            settings=self.settings,
            speaker_source=source,
        )

    def _channel(
        self, model, samples: np.ndarray, rate: int, duration: float, speaker: str, ch: int, progress: ProgressFn | None
    ) -> list[Segment]:
        """One channel through decode windows → clean → find what was missed → re-listen → refine edges."""
        opts = self.options
        kwargs = opts.decoder_kwargs(duration)
        with _step("decode windows", ch) as note:
            runner = model
            if kwargs.get("batch_size"):
                from faster_whisper import BatchedInferencePipeline

                runner = BatchedInferencePipeline(model)
            decoded = decode_windows(runner, samples, rate, kwargs, opts, speaker, ch, progress)
            note.update(segments=len(decoded))
        with _step("clean", ch) as note:
            heard, unsure = _heard(decoded, duration, opts)
            found = clean(heard, opts)
            note.update(hallucinations=len(decoded) - len(heard) - len(unsure), unsure=len(unsure), utterances=len(found))
        with _step("find what was missed", ch) as note:
            sound = measure(samples, rate, opts)  # once per channel: re-listen and edges look at the same sound
            # what the decoder heard but was unsure of is not missed: re-listening gives another guess
            gaps = missed(sound.regions, found + unsure, opts)
            note.update(regions=len(sound.regions), gaps=len(gaps), seconds=round(sum(b - a for a, b in gaps), 1))
        with _step("re-listen", ch) as note:
            plain = {k: v for k, v in kwargs.items() if k != "batch_size"}
            extra = relisten(model, plain, samples, rate, gaps, found, speaker, ch, opts)
            found += extra
            # a long skipped turn can end the glued call early: what it still missed, one per call
            singles = worth_one_call(missed(sound.regions, found + unsure, opts), opts)
            more = [seg for gap in singles for seg in relisten(model, plain, samples, rate, [gap], found, speaker, ch, opts)]
            found += more
            note.update(
                calls=int(bool(gaps)) + len(singles),
                glued=len(gaps),
                new_glued=len(extra),
                one_by_one=len(singles),
                new_one_by_one=len(more),
            )
        with _step("refine edges", ch) as note:
            out = refine(found, sound, opts)
            note.update(segments=len(out))
        return out


def _heard(decoded: list, seconds: float, opts: EngineOptions) -> tuple[list[Segment], list[Segment]]:
    """(segments kept, unsure tails dropped) of a channel of `seconds`; hallucinations are neither."""
    heard, unsure = [], []
    previous_end = None
    for d in decoded:
        if is_hallucination(d.segment.text, d.no_speech_prob, d.avg_logprob, opts.hallucinations):
            continue
        tail = is_unsure_tail(d.avg_logprob, d.segment.start, previous_end, seconds, opts)
        (unsure if tail else heard).append(d.segment)
        previous_end = d.segment.end
    return heard, unsure
