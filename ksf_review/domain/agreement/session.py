"""A calibration session in one call: item, verdict and examiner agreement from a score table.

Input is a plain table of checklist scores, one row per (examiner, item) — plus an optional
``unit`` column when the session covers several candidates, and an optional ``reason``
column for n.v.t. reasons. How scores become numbers:

* **achieved** (for α and κ): 1 when the item counts as achieved — *behaald*, or *n.v.t.*
  under the default n.v.t.-policy — and 0 otherwise (*niet behaald*, or *n.v.t.* under the
  "telt als niet behaald" policy); unscored = missing. α is ordinal on this (for a binary
  scale ordinal = nominal = interval) and κ is quadratic-weighted on it (= Cohen's κ for
  two values; the weights matter once a rubric has graded items). Deliberately *not* item
  points (0/1/2) across items: mixing 1- and 2-point items puts between-item differences
  into the expected disagreement, so examiners judging at random would still score
  α ≈ 0.17 and κ ≈ 0.20 on the default checklist (measured by simulation); on 0/1 chance
  gives ≈ 0. Points enter where they mean something:
* **item points** (for the mean difference vs the consensus, totals and the heat map):
  *behaald* = the item's points, *niet behaald* = 0, *n.v.t.* = per policy (default: full
  points), unscored = missing.
* **item status** (for percent agreement per item and the critical items): the raw choice
  behaald / niet behaald / n.v.t. as a category, so "n.v.t." vs "behaald" is a disagreement.
* **verdict** per examiner: ``compute_verdict(rubric, scores, conversations, policy)`` with
  the session's rubric (given by the caller) and three conversations unless told otherwise. An *onvolledig* verdict
  (any rubric item unscored) is not a judgement and is left out of the pass/fail statistics.
  Without a ``reason`` column an n.v.t. score is assumed to have carried its (required)
  reason; with the column, an empty reason makes the verdict onvolledig as in the exam.
* **total** per examiner: the sum of the item points over ``items``, only when every one of
  them is scored (else missing, and ICC(2,1) leaves that candidate out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Hashable, Mapping, Sequence

import pandas as pd

from ..rubric import Rubric
from ..verdict import ItemScore, NvtPolicy, ScoreStatus, VerdictStatus, compute_verdict
from .bias import ExaminerComparison, compare_with_consensus, fail_detection_rate
from .reliability import (
    DEFAULT_BOOTSTRAP_DRAWS,
    DEFAULT_SEED,
    gwet_ac1,
    icc_absolute,
    is_missing,
    krippendorff_alpha,
    percent_agreement,
)
from .statistic import TOO_FEW_RATINGS, Statistic

SINGLE_UNIT = ""  # unit label when the table has no 'unit' column (one candidate)
SCORE_CATEGORIES = tuple(s.value for s in ScoreStatus)  # behaald, niet_behaald, nvt
VERDICT_CATEGORIES = (VerdictStatus.GESLAAGD.value, VerdictStatus.GEZAKT.value)
ASSUMED_NVT_REASON = "n.v.t. (reden vastgelegd bij het scoren)"
DEFAULT_CONVERSATIONS = 3


@dataclass(frozen=True)
class ItemAgreement:
    item: str
    alpha: Statistic  # α on achieved (0/1) across candidates (needs ≥ 2 candidates)
    agreement: Statistic  # pairwise percent agreement on the status


@dataclass(frozen=True)
class SessionStats:
    items: tuple[ItemAgreement, ...]
    overall_alpha: Statistic
    examiners: tuple[ExaminerComparison, ...]
    verdict_agreement: Statistic
    verdict_ac1: Statistic
    critical_agreement: Statistic
    critical_ac1: Statistic
    fail_detection: Statistic
    total_icc: Statistic
    verdicts: Mapping[tuple[Hashable, str], str]  # (unit, examiner) → geslaagd/gezakt/onvolledig
    totals: Mapping[tuple[Hashable, str], int | None]
    consensus_verdicts: Mapping[Hashable, str]
    consensus_totals: Mapping[Hashable, int | None]

    def item(self, code: str) -> ItemAgreement:
        for it in self.items:
            if it.item == code:
                return it
        raise KeyError(code)


# ---------------------------------------------------------------- normalising the input


def _status(value: Any) -> str | None:
    if is_missing(value):
        return None
    return ItemScore.parse(getattr(value, "value", value)).status.value


def points_for(status: str | None, points: int, policy: NvtPolicy | str = NvtPolicy.COUNTS_AS_ACHIEVED) -> int | None:
    """Points an item status earns (see module docstring); None when unscored."""
    if status is None:
        return None
    if status == ScoreStatus.BEHAALD.value:
        return points
    if status == ScoreStatus.NVT.value:
        return points if NvtPolicy(policy) is NvtPolicy.COUNTS_AS_ACHIEVED else 0
    return 0


def _normalise_ratings(ratings: pd.DataFrame, items: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in ("examiner", "item", "status") if c not in ratings.columns]
    if missing:
        raise ValueError(f"scoretabel mist kolom(men): {', '.join(missing)}")
    df = pd.DataFrame(
        {
            "unit": ratings["unit"] if "unit" in ratings.columns else SINGLE_UNIT,
            "examiner": ratings["examiner"].astype(str),
            "item": ratings["item"].astype(str),
            "status": [_status(v) for v in ratings["status"]],
            "reason": ([("" if is_missing(r) else str(r).strip()) for r in ratings["reason"]] if "reason" in ratings.columns else None),
        }
    )
    df = df[df["item"].isin(list(items))]
    dupes = df[df.duplicated(["unit", "examiner", "item"], keep=False)]
    if not dupes.empty:
        first = dupes.iloc[0]
        raise ValueError(f"dubbele score voor examinator {first['examiner']}, item {first['item']}")
    return df.reset_index(drop=True)


def _normalise_consensus(consensus: Mapping | None, units: list[Hashable]) -> dict[Hashable, dict[str, ItemScore]]:
    """Accept {item: score} (one candidate) or {unit: {item: score}}."""
    if not consensus:
        return {}
    nested = all(isinstance(v, Mapping) and "status" not in v for v in consensus.values())
    if not nested:
        if len(units) > 1:
            raise ValueError("bij meerdere kandidaten hoort een consensus per kandidaat: {unit: {item: score}}")
        consensus = {units[0] if units else SINGLE_UNIT: consensus}
    return {
        u: {str(i): ItemScore.parse(getattr(v, "value", v)) for i, v in scores.items() if not is_missing(v)}
        for u, scores in consensus.items()
    }


def _verdict(rubric: Rubric, statuses: Mapping[str, tuple[str | None, str]], conversations: int, policy) -> tuple[str, int]:
    scores = {
        item: {"status": status, "reason": reason}
        for item, (status, reason) in statuses.items()
        if status is not None and rubric.has_item(item)
    }
    v = compute_verdict(rubric, scores, conversations=conversations, policy=policy)
    return v.status.value, v.total


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _total(points: Sequence[int | None]) -> int | None:
    return None if any(p is None for p in points) else int(sum(points))


# ---------------------------------------------------------------- the long frame


def heatmap_frame(
    ratings: pd.DataFrame,
    consensus: Mapping | None,
    items: Sequence[str],
    item_points: Mapping[str, int],
    policy: NvtPolicy | str = NvtPolicy.COUNTS_AS_ACHIEVED,
) -> pd.DataFrame:
    """One row per unit × examiner × item (unscored included), ready for a heat map.

    Columns: unit, examiner, item, status, reason, points, max_points, consensus_status,
    consensus_reason, consensus_points, deviation (points − consensus points: positive =
    milder than the consensus; NaN where either side is unscored), achieved and
    consensus_achieved (1/0, see the module docstring). ``item`` is an ordered categorical in
    the order of ``items``. Use ``heatmap_matrix`` for the examiner × item grid.
    """
    df = _normalise_ratings(ratings, items)
    units = list(dict.fromkeys(df["unit"])) or [SINGLE_UNIT]
    examiners = sorted(set(df["examiner"]))
    cons = _normalise_consensus(consensus, units)
    have_reason = "reason" in ratings.columns
    lookup = {(r.unit, r.examiner, r.item): (r.status, r.reason) for r in df.itertuples()}
    rows = []
    for u in units:
        for e in examiners:
            for it in items:
                status, reason = lookup.get((u, e, it), (None, None))
                if status == ScoreStatus.NVT.value and not have_reason:
                    reason = ASSUMED_NVT_REASON
                c = cons.get(u, {}).get(it)
                pts = points_for(status, item_points[it], policy)
                cpts = points_for(c.status.value if c else None, item_points[it], policy)
                rows.append(
                    {
                        "unit": u,
                        "examiner": e,
                        "item": it,
                        "status": status,
                        "reason": reason or "",
                        "points": pts,
                        "max_points": item_points[it],
                        "consensus_status": c.status.value if c else None,
                        "consensus_reason": (c.reason or ASSUMED_NVT_REASON) if c and c.status is ScoreStatus.NVT else "",
                        "consensus_points": cpts,
                        "deviation": (pts - cpts) if pts is not None and cpts is not None else None,
                        "achieved": None if pts is None else int(pts > 0),
                        "consensus_achieved": None if cpts is None else int(cpts > 0),
                    }
                )
    out = pd.DataFrame(
        rows,
        columns=[
            "unit",
            "examiner",
            "item",
            "status",
            "reason",
            "points",
            "max_points",
            "consensus_status",
            "consensus_reason",
            "consensus_points",
            "deviation",
            "achieved",
            "consensus_achieved",
        ],
    )
    for col in ("points", "consensus_points", "deviation", "achieved", "consensus_achieved"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    out["item"] = pd.Categorical(out["item"], categories=list(items), ordered=True)
    return out


def heatmap_value(frame: pd.DataFrame) -> str:
    """What the heat map shows: the deviation from the consensus once there is one for every item
    (a partial consensus is no reference yet, its deviations are empty), else the points."""
    return "deviation" if not frame.empty and frame["deviation"].notna().any() else "points"


def heatmap_matrix(frame: pd.DataFrame, value: str = "deviation") -> pd.DataFrame:
    """Examiner × item grid of ``value`` (mean over candidates), items in checklist order."""
    return frame.pivot_table(index="examiner", columns="item", values=value, aggfunc="mean", observed=False, dropna=False)


# ---------------------------------------------------------------- the summary


def summarise_session(
    ratings: pd.DataFrame,
    consensus: Mapping | None,
    items: Sequence[str],
    item_points: Mapping[str, int],
    *,
    rubric: Rubric,
    conversations: int = DEFAULT_CONVERSATIONS,
    policy: NvtPolicy | str = NvtPolicy.COUNTS_AS_ACHIEVED,
    n_boot: int = DEFAULT_BOOTSTRAP_DRAWS,
    seed: int = DEFAULT_SEED,
    leniency_threshold: float = 1.0,
) -> SessionStats:
    """All calibration statistics for one session (see the module docstring for the rules)."""
    policy = NvtPolicy(policy)
    items = list(items)
    frame = heatmap_frame(ratings, consensus, items, item_points, policy)
    units = list(dict.fromkeys(frame["unit"]))
    examiners = sorted(set(frame["examiner"]))
    cell = {(r.unit, r.examiner, r.item): r for r in frame.itertuples()}

    def grid(attr: str, cols: list[tuple[Hashable, str]]) -> list[list[Any]]:
        out = []
        for e in examiners:
            row = []
            for u, it in cols:
                v = getattr(cell[(u, e, it)], attr)
                row.append(None if is_missing(v) else (v if attr == "status" else int(v)))
            out.append(row)
        return out

    binary = [0, 1]

    per_item = []
    for it in items:
        cols = [(u, it) for u in units]
        per_item.append(
            ItemAgreement(
                item=it,
                alpha=krippendorff_alpha(grid("achieved", cols), level="ordinal", value_domain=binary),
                agreement=percent_agreement(grid("status", cols)),
            )
        )
    all_cols = [(u, it) for u in units for it in items]
    overall = krippendorff_alpha(grid("achieved", all_cols), level="ordinal", value_domain=binary, n_boot=n_boot, seed=seed)

    # verdicts and totals per examiner, and for the consensus
    verdicts: dict[tuple[Hashable, str], str] = {}
    totals: dict[tuple[Hashable, str], int | None] = {}
    for u in units:
        for e in examiners:
            rows = [cell[(u, e, it)] for it in items]
            verdicts[(u, e)], _ = _verdict(rubric, {r.item: (r.status, r.reason) for r in rows}, conversations, policy)
            totals[(u, e)] = _total([_int(r.points) for r in rows])
    consensus_verdicts: dict[Hashable, str] = {}
    consensus_totals: dict[Hashable, int | None] = {}
    has_consensus = frame["consensus_status"].notna().any()
    if has_consensus:
        first = examiners[0] if examiners else None
        for u in units:
            rows = [cell[(u, first, it)] for it in items] if first is not None else []
            consensus_verdicts[u], _ = _verdict(
                rubric, {r.item: (r.consensus_status, r.consensus_reason) for r in rows}, conversations, policy
            )
            consensus_totals[u] = _total([_int(r.consensus_points) for r in rows])

    def judged(v: str | None) -> str | None:
        return v if v in VERDICT_CATEGORIES else None

    verdict_grid = [[judged(verdicts[(u, e)]) for u in units] for e in examiners]
    verdict_agreement = percent_agreement(verdict_grid, name="overeenstemming uitslag")
    verdict_ac1 = gwet_ac1(verdict_grid, categories=VERDICT_CATEGORIES, name="AC1 uitslag")

    critical = [it.code for it in rubric.items if it.code in items and rubric.eindterm(it.eindterm).critical]
    if critical:
        crit_cols = [(u, it) for u in units for it in critical]
        critical_agreement = percent_agreement(grid("status", crit_cols), name="overeenstemming kritische toetstermen")
        critical_ac1 = gwet_ac1(grid("status", crit_cols), categories=SCORE_CATEGORIES, name="AC1 kritische toetstermen")
    else:
        critical_agreement = Statistic.undefined("overeenstemming kritische toetstermen", TOO_FEW_RATINGS, 0, percent=True)
        critical_ac1 = Statistic.undefined("AC1 kritische toetstermen", TOO_FEW_RATINGS, 0)

    pairs = [(verdicts[(u, e)], consensus_verdicts.get(u)) for u in units for e in examiners]
    fail_detection = fail_detection_rate([p[0] for p in pairs], [p[1] for p in pairs])

    total_icc = icc_absolute([[totals[(u, e)] for u in units] for e in examiners])

    comparisons: list[ExaminerComparison] = []
    if has_consensus:
        for e in examiners:
            rows = [cell[(u, e, it)] for u, it in all_cols]
            comparisons.append(
                compare_with_consensus(
                    e,
                    [_int(r.achieved) for r in rows],
                    [_int(r.consensus_achieved) for r in rows],
                    units=[r.unit for r in rows],
                    labels=binary,
                    threshold=leniency_threshold,
                    points=[_int(r.points) for r in rows],
                    consensus_points=[_int(r.consensus_points) for r in rows],
                )
            )

    return SessionStats(
        items=tuple(per_item),
        overall_alpha=overall,
        examiners=tuple(comparisons),
        verdict_agreement=verdict_agreement,
        verdict_ac1=verdict_ac1,
        critical_agreement=critical_agreement,
        critical_ac1=critical_ac1,
        fail_detection=fail_detection,
        total_icc=total_icc,
        verdicts=verdicts,
        totals=totals,
        consensus_verdicts=consensus_verdicts,
        consensus_totals=consensus_totals,
    )
