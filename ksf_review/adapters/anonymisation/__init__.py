"""Anonymisation of example passages: personal data out of the transcript text and the audio.

Typical use (a service preparing an example for the library)::

    excerpt = anonymise_excerpt(segments)                    # detect, curator reviews
    excerpt = anonymise_excerpt(segments, extra_spans={0: [PiiSpan.of(text0, 4, 9, "NAAM")]},
                                removed_spans={1: [excerpt.spans[1][0]]})
    redact_file("call.wav", "example.ogg", excerpt.time_ranges, mode="bleep")

Extra and removed spans are keyed by the segment's index in ``segments`` because a span's
character offsets only mean something within its own segment's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from ksf_review.domain.pii import LABEL_DESCRIPTIONS, LABELS, PiiSpan, apply_redaction, edit_spans, merge_spans
from ksf_review.domain.tags import TimeRange
from ksf_review.domain.transcript import Segment

from .audio import redact_audio, redact_file
from .text import deduce_available, detect_pii, warm_up
from .timing import DEFAULT_MARGIN, spans_to_time_ranges

__all__ = [
    "AnonymisedExcerpt",
    "LABELS",
    "LABEL_DESCRIPTIONS",
    "PiiSpan",
    "anonymise_excerpt",
    "anonymise_text",
    "apply_redaction",
    "deduce_available",
    "detect_pii",
    "merge_spans",
    "redact_audio",
    "redact_file",
    "spans_to_time_ranges",
    "warm_up",
]


@dataclass(frozen=True)
class AnonymisedExcerpt:
    """Before/after text per segment, the spans applied, and the audio ranges to redact."""

    segments: tuple[Segment, ...]
    texts_before: tuple[str, ...]
    texts_after: tuple[str, ...]
    spans: tuple[tuple[PiiSpan, ...], ...]  # per segment, merged, sorted
    time_ranges: tuple[TimeRange, ...]  # merged, sorted, with margin

    @property
    def anonymised_segments(self) -> tuple[Segment, ...]:
        """The segments with redacted text; word timings are dropped (they hold the words)."""
        return tuple(Segment(s.start, s.end, s.speaker, after, s.channel, ()) for s, after in zip(self.segments, self.texts_after))

    @property
    def span_count(self) -> int:
        return sum(len(s) for s in self.spans)

    @property
    def labels_found(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for spans in self.spans:
            for s in spans:
                counts[s.label] = counts.get(s.label, 0) + 1
        return counts


def anonymise_excerpt(
    segments: Sequence[Segment],
    extra_spans: Mapping[int, Sequence[PiiSpan]] | None = None,
    removed_spans: Mapping[int, Sequence[PiiSpan]] | None = None,
    *,
    backend: str = "auto",
    margin: float = DEFAULT_MARGIN,
) -> AnonymisedExcerpt:
    """Detect personal data in every segment, apply the curator's edits, map to audio time.

    ``extra_spans``/``removed_spans`` map a segment index to spans the curator added or
    removed; a detection overlapping a removed span is dropped.
    """
    extra_spans = extra_spans or {}
    removed_spans = removed_spans or {}
    bad = [i for i in (*extra_spans, *removed_spans) if not 0 <= i < len(segments)]
    if bad:
        raise IndexError(f"segmentindex buiten bereik: {sorted(set(bad))}")
    per_segment: list[tuple[PiiSpan, ...]] = []
    for i, seg in enumerate(segments):
        detected = detect_pii(seg.text, backend=backend)
        edited = edit_spans(detected, extra_spans.get(i, ()), removed_spans.get(i, ()))
        per_segment.append(tuple(merge_spans(edited, seg.text)))
    ranges = spans_to_time_ranges(segments, per_segment, margin=margin)
    return AnonymisedExcerpt(
        segments=tuple(segments),
        texts_before=tuple(s.text for s in segments),
        texts_after=tuple(apply_redaction(s.text, sp) for s, sp in zip(segments, per_segment)),
        spans=tuple(per_segment),
        time_ranges=tuple(ranges),
    )


def anonymise_text(text: str, *, backend: str = "auto") -> tuple[str, int]:
    """``text`` with the personal data of every line replaced by placeholders, and how many spans.

    For text without segments or word times (an imported library excerpt): the same detection
    as `anonymise_excerpt`, line by line (one line is one speaker's turn there). Placeholders
    are not detected again, so anonymised text stays as it is.
    """
    out, count = [], 0
    for line in text.split("\n"):
        spans = merge_spans(detect_pii(line, backend=backend), line)
        count += len(spans)
        out.append(apply_redaction(line, spans))
    return "\n".join(out), count
