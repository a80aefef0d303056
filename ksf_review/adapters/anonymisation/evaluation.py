"""Precision/recall of the PII detector against a gold file (tests/data/pii_sentences.json).

Shared by the unit test and bench/anonymisation_eval.py so both report the same figures.

Two views, because they answer different questions:

* **entity level, per label** – a gold span is found when a predicted span with the same
  label overlaps it (one-to-one). Tells whether the placeholder is the right one.
* **character level, any label** – which share of the gold personal-data characters is
  covered by some prediction (recall: what leaks), and which share of the redacted
  characters was personal data (precision: what is blanked needlessly). This is what
  matters for privacy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ksf_review.domain.pii import LABELS, PiiSpan

from .text import detect_pii


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    per_label: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)  # entity level, label must match
    any_label: Counts = field(default_factory=Counts)  # entity level, label ignored
    char_tp: int = 0
    char_fp: int = 0
    char_fn: int = 0
    errors: list[str] = field(default_factory=list)
    sentences: int = 0

    @property
    def char_precision(self) -> float:
        return self.char_tp / (self.char_tp + self.char_fp) if self.char_tp + self.char_fp else 1.0

    @property
    def char_recall(self) -> float:
        return self.char_tp / (self.char_tp + self.char_fn) if self.char_tp + self.char_fn else 1.0

    def table(self) -> str:
        """Markdown table of the figures."""
        rows = ["| label | gold | predicted | TP | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
        for label in LABELS:
            c = self.per_label.get(label)
            if c is None or (c.tp + c.fn + c.fp) == 0:
                continue
            rows.append(f"| {label} | {c.tp + c.fn} | {c.tp + c.fp} | {c.tp} | {c.precision:.2f} | {c.recall:.2f} |")
        o, a = self.overall, self.any_label
        rows.append(
            f"| **overall (label must match)** | {o.tp + o.fn} | {o.tp + o.fp} | {o.tp} | **{o.precision:.2f}** | **{o.recall:.2f}** |"
        )
        rows.append(f"| overall (any label) | {a.tp + a.fn} | {a.tp + a.fp} | {a.tp} | {a.precision:.2f} | {a.recall:.2f} |")
        rows.append(
            f"| characters (any label) | {self.char_tp + self.char_fn} | {self.char_tp + self.char_fp} | "
            f"{self.char_tp} | {self.char_precision:.2f} | {self.char_recall:.2f} |"
        )
        return "\n".join(rows)


def load_gold(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["sentences"]


def _match(gold: list[PiiSpan], pred: list[PiiSpan], same_label: bool) -> tuple[set[int], set[int]]:
    """Greedy one-to-one matching by overlap; returns matched gold and predicted indices."""
    mg, mp = set(), set()
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi in mp or not g.overlaps(p) or (same_label and g.label != p.label):
                continue
            mg.add(gi)
            mp.add(pi)
            break
    return mg, mp


def evaluate(
    sentences: Iterable[dict],
    detector: Callable[[str], list[PiiSpan]] = detect_pii,
) -> Report:
    report = Report(per_label={label: Counts() for label in LABELS})
    for sent in sentences:
        text = sent["text"]
        report.sentences += 1
        gold = [PiiSpan(g["start"], g["end"], g["label"], text[g["start"] : g["end"]]) for g in sent["spans"]]
        pred = detector(text)
        mg, mp = _match(gold, pred, same_label=True)
        for gi, g in enumerate(gold):
            c = report.per_label[g.label]
            if gi in mg:
                c.tp += 1
                report.overall.tp += 1
            else:
                c.fn += 1
                report.overall.fn += 1
        for pi, p in enumerate(pred):
            if pi not in mp:
                report.per_label[p.label].fp += 1
                report.overall.fp += 1
        ag, ap = _match(gold, pred, same_label=False)
        report.any_label.tp += len(ag)
        report.any_label.fn += len(gold) - len(ag)
        report.any_label.fp += len(pred) - len(ap)
        gold_chars = {i for g in gold for i in range(g.start_char, g.end_char) if not text[i].isspace()}
        pred_chars = {i for p in pred for i in range(p.start_char, p.end_char) if not text[i].isspace()}
        report.char_tp += len(gold_chars & pred_chars)
        report.char_fp += len(pred_chars - gold_chars)
        report.char_fn += len(gold_chars - pred_chars)
        missed = [g for gi, g in enumerate(gold) if gi not in mg]
        extra = [p for pi, p in enumerate(pred) if pi not in mp]
        if missed or extra:
            report.errors.append(
                f"{sent.get('id', '?')}: {text!r}\n"
                + "".join(f"    gemist: {g.text!r} [{g.label}]\n" for g in missed)
                + "".join(f"    onterecht: {p.text!r} [{p.label}]\n" for p in extra)
            )
    return report
