"""Grading the grader: each examiner against the consensus key.

Per examiner: quadratic-weighted κ on the item points and the signed mean difference in
points per candidate (examiner − consensus; positive = *mild*, negative = *streng*). The
label uses a fixed threshold of one point per candidate by default: on the default
checklist one point can move eindterm 1 across its cesuur (17 of 20), so a systematic
difference of a point or more matters for the verdict, while less is within normal
item-level disagreement. Also the fail detection rate: of the candidates the consensus
failed, how often did an examiner fail them too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Hashable, Sequence

from .reliability import is_missing, weighted_kappa
from .statistic import (
    NO_CONSENSUS,
    NO_CONSENSUS_FAIL,
    TOO_FEW_RATINGS,
    Statistic,
    format_number,
)

LENIENT = "mild"
STRICT = "streng"
ALIGNED = "in lijn"
UNKNOWN = "onbekend"
LENIENCY_THRESHOLD_POINTS = 1.0

GESLAAGD = "geslaagd"
GEZAKT = "gezakt"


def leniency_label(mean_difference: float | None, threshold: float = LENIENCY_THRESHOLD_POINTS) -> str:
    """'mild' when the examiner gives ≥ threshold points more than the consensus, 'streng' when
    ≥ threshold fewer, otherwise 'in lijn' ('onbekend' without a difference)."""
    if mean_difference is None:
        return UNKNOWN
    if mean_difference >= threshold:
        return LENIENT
    if mean_difference <= -threshold:
        return STRICT
    return ALIGNED


@dataclass(frozen=True)
class ExaminerComparison:
    """One examiner against the consensus key."""

    examiner: str
    kappa: Statistic
    mean_difference: float | None  # points per candidate, examiner − consensus
    n_items: int  # (unit, item) pairs scored by both
    n_units: int
    label: str
    threshold: float = LENIENCY_THRESHOLD_POINTS

    def display(self) -> str:
        if self.mean_difference is None:
            return f"{self.examiner}: geen vergelijking met de consensus mogelijk ({self.kappa.reason})"
        diff = format_number(self.mean_difference, 1)
        if self.mean_difference > 0:
            diff = "+" + diff
        unit = "punt" if abs(self.mean_difference) == 1 else "punten"
        return f"{self.examiner}: {self.label} ({diff} {unit} per kandidaat t.o.v. de consensus; {self.kappa.display()})"


def compare_with_consensus(
    examiner: str,
    scores: Sequence[Any],
    consensus: Sequence[Any],
    units: Sequence[Hashable] | None = None,
    labels: Sequence[Any] | None = None,
    threshold: float = LENIENCY_THRESHOLD_POINTS,
    points: Sequence[Any] | None = None,
    consensus_points: Sequence[Any] | None = None,
) -> ExaminerComparison:
    """Compare one examiner's paired ratings with the consensus (same order; None = not scored).

    κ is computed on ``scores`` vs ``consensus`` (``labels``: all possible values, for the
    weights). The mean difference is taken on ``points`` vs ``consensus_points`` when given
    (e.g. κ on achieved 0/1 but the difference in checklist points), else on the scores
    themselves: the per-candidate sum of (examiner − consensus) over pairs both scored,
    averaged over candidates (``units``; default: all one candidate).
    """
    points = scores if points is None else points
    consensus_points = consensus if consensus_points is None else consensus_points
    n = len(scores)
    if not (len(consensus) == len(points) == len(consensus_points) == n):
        raise ValueError("scores, consensus en punten moeten even lang zijn")
    units = list(units) if units is not None else [None] * n
    if len(units) != n:
        raise ValueError("units moet even lang zijn als scores")
    kappa = weighted_kappa(scores, consensus, labels=labels)
    per_unit: dict[Hashable, float] = defaultdict(float)
    n_items = 0
    for s, c, u in zip(points, consensus_points, units):
        if is_missing(s) or is_missing(c):
            continue
        per_unit[u] += float(s) - float(c)
        n_items += 1
    if not per_unit:
        return ExaminerComparison(examiner, kappa, None, 0, 0, UNKNOWN, threshold)
    mean = sum(per_unit.values()) / len(per_unit)
    return ExaminerComparison(examiner, kappa, mean, n_items, len(per_unit), leniency_label(mean, threshold), threshold)


def fail_detection_rate(
    examiner_verdicts: Sequence[str | None],
    consensus_verdicts: Sequence[str | None],
    name: str = "gezakt herkend",
) -> Statistic:
    """Share of (examiner, candidate) verdicts that say *gezakt* where the consensus does.

    Paired sequences, one entry per examiner verdict; anything other than geslaagd/gezakt
    (onvolledig, None) is not a judgement and is left out.
    """
    if len(examiner_verdicts) != len(consensus_verdicts):
        raise ValueError("beide reeksen moeten even lang zijn")
    if all(is_missing(c) for c in consensus_verdicts) or not consensus_verdicts:
        return Statistic.undefined(name, NO_CONSENSUS, 0, percent=True)
    judged = [e for e, c in zip(examiner_verdicts, consensus_verdicts) if _v(c) == GEZAKT and _v(e) in (GESLAAGD, GEZAKT)]
    if not judged:
        has_fail = any(_v(c) == GEZAKT for c in consensus_verdicts)
        return Statistic.undefined(name, TOO_FEW_RATINGS if has_fail else NO_CONSENSUS_FAIL, 0, percent=True)
    hits = sum(_v(e) == GEZAKT for e in judged)
    return Statistic(name, hits / len(judged), len(judged), percent=True)


def _v(value: Any) -> str | None:
    if is_missing(value):
        return None
    return str(getattr(value, "value", value))
