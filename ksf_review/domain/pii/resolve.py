"""From overlapping candidates to the spans to redact: unite, then longest wins."""

from __future__ import annotations

from typing import Iterable

from . import patterns as pat
from .rules import Candidate
from .spans import PRIORITY, PiiSpan


def _unite_same_label(cands: list[Candidate]) -> list[tuple[int, int, str]]:
    by_label: dict[str, list[tuple[int, int]]] = {}
    for c in cands:
        by_label.setdefault(c.label, []).append((c.start, c.end))
    united: list[tuple[int, int, str]] = []
    for label, ranges in by_label.items():
        ranges.sort()
        cur_s, cur_e = ranges[0]
        for s, e in ranges[1:]:
            if s < cur_e:
                cur_e = max(cur_e, e)
            else:
                united.append((cur_s, cur_e, label))
                cur_s, cur_e = s, e
        united.append((cur_s, cur_e, label))
    return united


def _trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    """Without stray whitespace/punctuation at the edges."""
    while s < e and text[s] in " ,.;:?!":
        s += 1
    while e > s and text[e - 1] in " ,;:?!":
        e -= 1
    return s, e


def resolve(text: str, candidates: Iterable[Candidate]) -> list[PiiSpan]:
    """Same-label overlaps are united; of overlapping different labels the longest span wins
    (a phone number beats the BSN-shaped digits inside it), ties go to label priority."""
    cands = [c for c in candidates if not any(c.start < m.end() and m.start() < c.end for m in pat.NEVER_PII.finditer(text))]
    united = _unite_same_label(cands)
    # keep spans greedily by length, then priority
    united.sort(key=lambda r: (-(r[1] - r[0]), -PRIORITY[r[2]], r[0]))
    kept: list[tuple[int, int, str]] = []
    for s, e, label in united:
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, label))
    kept.sort()
    spans = []
    for s, e, label in kept:
        s, e = _trimmed(text, s, e)
        if e > s:
            spans.append(PiiSpan(s, e, label, text[s:e]))
    return spans
