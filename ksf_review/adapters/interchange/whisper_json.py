"""JSON transcripts: faster-whisper / WhisperX output and our own transcribe-command JSON.

All three share one shape — segments with start/end/text, optional words with
start/end/word and a confidence (faster-whisper: `probability`, WhisperX: `score`),
optional speaker — so one tolerant reader serves them. Our own files add `audio`,
`duration`, `model`, `settings` and a `channel` per segment, which are kept.
WhisperX leaves numbers and symbols without timings; those words inherit the
neighbouring times so every Word stays on the timeline.
"""

from __future__ import annotations

import json
import math
from typing import Any, Mapping

from ksf_review.domain.transcript import MONO, Segment, Transcript, Word

from ._common import InterchangeError, decode_text, invalid, make_transcript, one_line, round_s

KIND = "JSON-transcript"


def _num(value: Any, what: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise invalid(KIND, f"{what} is geen getal ({value!r})") from None
    if not math.isfinite(out) or out < 0:
        raise invalid(KIND, f"{what} is geen geldige tijd ({value!r})")
    return out


def _opt_num(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) and out >= 0 else None


def _word_text(w: Mapping) -> str:
    # faster-whisper keeps the leading space of each word; the Word holds the bare word
    return str(w.get("word") or w.get("text") or "").strip()


def _words(raw: list, seg_start: float, seg_end: float) -> tuple[tuple[Word, ...], list[str]]:
    """Words with timings filled in, plus each word's own speaker label (WhisperX) if any."""
    items = [w for w in raw if isinstance(w, Mapping) and _word_text(w)]
    starts = [_opt_num(w.get("start")) for w in items]
    ends = [_opt_num(w.get("end")) for w in items]
    words, speakers = [], []
    prev_end = seg_start
    for i, w in enumerate(items):
        start = starts[i]
        if start is None:
            start = prev_end
        end = ends[i]
        if end is None:  # the next timed word's start, else the segment end
            end = next((s for s in starts[i + 1 :] if s is not None), seg_end)
        end = max(start, end)
        prob = w.get("probability", w.get("score", 1.0))
        prob = _opt_num(prob)
        words.append(Word(round_s(start), round_s(end), _word_text(w), round(min(1.0, prob), 3) if prob is not None else 1.0))
        speakers.append(str(w.get("speaker") or ""))
        prev_end = end
    return tuple(words), speakers


def _segment(raw: Any, index: int, speaker_map: Mapping[str, str]) -> Segment | None:
    where = f"segment {index + 1}"
    if not isinstance(raw, Mapping):
        raise invalid(KIND, f"{where} is geen object")
    words_raw = raw.get("words") or []
    if not isinstance(words_raw, list):
        raise invalid(KIND, f"{where}: 'words' is geen lijst")
    if "start" not in raw or "end" not in raw:
        raise invalid(KIND, f"{where} mist 'start' of 'end'")
    start = _num(raw["start"], f"{where}: start")
    end = max(start, _num(raw["end"], f"{where}: end"))
    words, word_speakers = _words(words_raw, start, end)
    text = one_line(raw.get("text") or "") or " ".join(w.word for w in words)
    if not text:
        return None
    speaker = raw.get("speaker")
    if not speaker:  # WhisperX may only label the words: take the most frequent label
        labels = [s for s in word_speakers if s]
        speaker = max(set(labels), key=labels.count) if labels else MONO
    speaker = str(speaker)
    speaker = speaker_map.get(speaker, speaker)
    try:
        channel = int(raw.get("channel") or 0)
    except (TypeError, ValueError):
        raise invalid(KIND, f"{where}: kanaal {raw.get('channel')!r} is geen geheel getal") from None
    return Segment(start=round_s(start), end=round_s(end), speaker=speaker, text=text, channel=channel, words=words)


def json_to_transcript(
    data: str | bytes | Mapping | list,
    speaker_map: Mapping[str, str] | None = None,
) -> Transcript:
    """Read faster-whisper, WhisperX or our own JSON (text, bytes or already-parsed data).

    speaker_map renames raw labels, e.g. {"SPEAKER_00": "medewerker"}; unmapped labels
    are kept as they are and a missing speaker becomes "spreker".
    """
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(decode_text(data))
        except json.JSONDecodeError as exc:
            raise invalid(KIND, f"geen geldige JSON (regel {exc.lineno}, kolom {exc.colno})") from exc
    if isinstance(data, list):
        meta: Mapping = {}
        raw_segments = data
    elif isinstance(data, Mapping):
        meta = data
        raw_segments = data.get("segments")
        if not isinstance(raw_segments, list):
            raise invalid(KIND, "er is geen lijst 'segments'")
    else:
        raise invalid(KIND, "verwacht een lijst segmenten of een object met 'segments'")
    speaker_map = dict(speaker_map or {})
    segments = [s for i, raw in enumerate(raw_segments) if (s := _segment(raw, i, speaker_map))]
    if not segments:
        raise invalid(KIND, "er staan geen segmenten met tekst in")
    settings = meta.get("settings") if isinstance(meta.get("settings"), Mapping) else {}
    settings = dict(settings)
    if meta.get("language") and "language" not in settings:
        settings["language"] = meta["language"]
    duration = _opt_num(meta.get("duration")) or 0.0
    return make_transcript(segments, duration=duration, model=str(meta.get("model") or ""), settings=settings)


def transcript_to_json(transcript: Transcript, audio: str = "", indent: int | None = 2) -> str:
    """Our transcribe-command JSON: {"audio", "duration", "model", "settings", "segments"}."""
    payload = {"audio": audio, **transcript.to_dict()}
    try:
        return json.dumps(payload, ensure_ascii=False, indent=indent) + "\n"
    except (TypeError, ValueError) as exc:  # settings that are not JSON (should not happen)
        raise InterchangeError(f"Het transcript kan niet als JSON opgeslagen worden: {exc}") from exc
