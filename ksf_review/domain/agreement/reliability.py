"""Inter-rater reliability coefficients over a raters × units matrix.

Thin, tested wrappers around maintained packages — ``krippendorff`` (α), ``irrCAC``
(Gwet's AC1), ``pingouin`` (ICC) and ``scikit-learn`` (weighted κ) — that accept plain data
with missing ratings (None/NaN) and turn every degenerate case into a ``Statistic`` with a
Dutch reason instead of a NaN or an exception. The heavy packages are imported lazily so
importing the domain stays cheap.

Matrix convention (as in Krippendorff 2011): one row per rater, one column per unit
(a unit is whatever all raters judged: an item of one candidate, a candidate's verdict …).
A unit counts towards ``n`` when at least two raters rated it ("pairable").
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np

from .statistic import (
    NO_VARIATION,
    TOO_FEW_RATERS,
    TOO_FEW_RATINGS,
    TOO_FEW_UNITS,
    Statistic,
)

DEFAULT_SEED = 20240607
DEFAULT_BOOTSTRAP_DRAWS = 1000
MIN_VALID_DRAWS_SHARE = 0.5  # fewer defined bootstrap draws than this → no interval


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA all mean 'not rated'."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return False


def as_matrix(data: Any) -> np.ndarray:
    """Raters × units as a 2-D object array with None for every missing rating."""
    if hasattr(data, "to_numpy"):
        data = data.to_numpy(dtype=object)
    rows = [list(r) for r in data]
    if rows and len({len(r) for r in rows}) != 1:
        raise ValueError("alle beoordelaars moeten evenveel eenheden hebben (gebruik None voor ontbrekend)")
    out = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            out[i, j] = None if is_missing(v) else (v.item() if isinstance(v, np.generic) else v)
    return out


def _raters_with_data(m: np.ndarray) -> int:
    return int(sum(any(v is not None for v in row) for row in m))


def _value_counts(m: np.ndarray, domain: Sequence[Any]) -> np.ndarray:
    """Units × values count matrix (how many raters gave value v to unit u)."""
    index = {v: i for i, v in enumerate(domain)}
    counts = np.zeros((m.shape[1], len(domain)), dtype=int)
    for row in m:
        for u, v in enumerate(row):
            if v is not None:
                if v not in index:
                    raise ValueError(f"waarde {v!r} hoort niet bij de toegestane waarden {list(domain)}")
                counts[u, index[v]] += 1
    return counts


def _observed(m: np.ndarray) -> list[Any]:
    return sorted({v for v in m.ravel() if v is not None})


def _pairable_check(name: str, m: np.ndarray, percent: bool = False) -> Statistic | None:
    """The common 'can this be computed at all' checks, in the order a user would fix them."""
    if _raters_with_data(m) < 2:
        return Statistic.undefined(name, TOO_FEW_RATERS, 0, percent)
    per_unit = np.array([sum(v is not None for v in m[:, u]) for u in range(m.shape[1])], dtype=int)
    n = int((per_unit >= 2).sum())
    if n == 0:
        return Statistic.undefined(name, TOO_FEW_RATINGS, 0, percent)
    return None


def krippendorff_alpha(
    data: Any,
    level: str = "ordinal",
    value_domain: Sequence[Any] | None = None,
    n_boot: int = 0,
    seed: int = DEFAULT_SEED,
    ci_level: float = 0.95,
    name: str = "α",
) -> Statistic:
    """Krippendorff's α for a raters × units matrix with missing values.

    ``level`` is nominal/ordinal/interval/ratio. Values may be numbers or (for nominal, or
    with an ordered ``value_domain``) labels. ``n_boot`` > 0 adds a percentile bootstrap
    interval that resamples *units* with replacement (fixed ``seed``, so the same data always
    give the same interval); draws without variation are skipped, and with fewer than half of
    the draws defined no interval is given. Undefined (value None) with fewer than two
    pairable units or when all pairable values are identical.
    """
    import krippendorff

    m = as_matrix(data)
    failed = _pairable_check(name, m)
    if failed:
        return failed
    if value_domain is None:
        domain = _observed(m)
        if level != "nominal" and not all(isinstance(v, (int, float)) for v in domain):
            raise ValueError("labels zonder volgorde: geef value_domain op of gebruik level='nominal'")
    else:
        domain = list(value_domain)
    counts = _value_counts(m, domain)
    pairable = counts[counts.sum(axis=1) >= 2]
    n = len(pairable)
    if n < 2:
        return Statistic.undefined(name, TOO_FEW_UNITS, n)
    if int((pairable.sum(axis=0) > 0).sum()) < 2:
        return Statistic.undefined(name, NO_VARIATION, n)
    # Nominal and ordinal distances only need the order of the values; interval/ratio the values.
    kd_domain = np.asarray(domain, dtype=float) if level in ("interval", "ratio") else np.arange(len(domain))

    def _alpha(vc: np.ndarray) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(krippendorff.alpha(value_counts=vc, value_domain=kd_domain, level_of_measurement=level))

    value = _alpha(pairable)
    if not math.isfinite(value):
        return Statistic.undefined(name, NO_VARIATION, n)
    lo = hi = None
    if n_boot > 0:
        rng = np.random.default_rng(seed)
        draws = []
        for idx in rng.integers(0, n, size=(n_boot, n)):
            vc = pairable[idx]
            if int((vc.sum(axis=0) > 0).sum()) < 2:
                continue
            a = _alpha(vc)
            if math.isfinite(a):
                draws.append(a)
        if len(draws) >= MIN_VALID_DRAWS_SHARE * n_boot:
            tail = (1 - ci_level) / 2
            lo, hi = (float(q) for q in np.quantile(draws, [tail, 1 - tail]))
    return Statistic(name, value, n, lo, hi, ci_level=ci_level)


def percent_agreement(data: Any, name: str = "overeenstemming") -> Statistic:
    """Share of agreeing rater pairs per unit, averaged over units rated at least twice.

    With two raters this is the plain share of units they agree on; with more raters it is
    the pairwise observed agreement p_a of Fleiss/Gwet (equal to irrCAC's ``pa``).
    """
    m = as_matrix(data)
    failed = _pairable_check(name, m, percent=True)
    if failed:
        return failed
    counts = _value_counts(m, _observed(m))
    totals = counts.sum(axis=1)
    rated = totals >= 2
    agree = (counts[rated] * (counts[rated] - 1)).sum(axis=1) / (totals[rated] * (totals[rated] - 1))
    return Statistic(name, float(agree.mean()), int(rated.sum()), percent=True)


def gwet_ac1(
    data: Any,
    categories: Sequence[Any] | None = None,
    ci_level: float = 0.95,
    name: str = "AC1",
) -> Statistic:
    """Gwet's AC1 (irrCAC) for categorical ratings, with its analytic confidence interval.

    Pass the full list of ``categories`` the raters could choose from (e.g. geslaagd/gezakt):
    AC1 then stays defined — and equals 1 — when everyone agrees on one category, which is
    exactly the high-agreement case where κ breaks down. Without ``categories`` only the
    observed values count, and a single observed value is 'onvoldoende variatie'.
    Needs at least two units rated by at least two raters.
    """
    import pandas as pd
    from irrCAC.raw import CAC

    m = as_matrix(data)
    failed = _pairable_check(name, m)
    if failed:
        return failed
    cats = list(categories) if categories is not None else _observed(m)
    counts = _value_counts(m, cats)
    n = int((counts.sum(axis=1) >= 2).sum())
    if n < 2:
        return Statistic.undefined(name, TOO_FEW_UNITS, n)
    if len(cats) < 2:
        return Statistic.undefined(name, NO_VARIATION, n)
    code = {c: float(i) for i, c in enumerate(cats)}
    frame = pd.DataFrame(
        [[np.nan if v is None else code[v] for v in m[:, u]] for u in range(m.shape[1])],
        dtype=float,
    )
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        est = CAC(frame, categories=list(code.values()), confidence_level=ci_level, digits=12).gwet()["est"]
    value = float(est["coefficient_value"])
    if not math.isfinite(value):
        return Statistic.undefined(name, NO_VARIATION, n)
    lo, hi = (float(x) for x in est["confidence_interval"])
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo = hi = None
    else:
        lo, hi = max(-1.0, lo), min(1.0, hi)
    return Statistic(name, value, n, lo, hi, ci_level=ci_level)


def icc_absolute(data: Any, name: str = "ICC(2,1)") -> Statistic:
    """ICC(2,1): two-way random effects, absolute agreement, single rater (Shrout & Fleiss 1979).

    Computed by ``pingouin.intraclass_corr`` (row 'ICC(A,1)', called 'ICC2' in older
    pingouin) with its 95% interval. Numeric raters × units matrix; units with a missing
    rating are dropped (listwise, as pingouin requires complete data).
    """
    m = as_matrix(data)
    if _raters_with_data(m) < 2:
        return Statistic.undefined(name, TOO_FEW_RATERS, 0)
    complete = [u for u in range(m.shape[1]) if all(v is not None for v in m[:, u])]
    n = len(complete)
    if n == 0:
        return Statistic.undefined(name, TOO_FEW_RATINGS, 0)
    if n < 2:
        return Statistic.undefined(name, TOO_FEW_UNITS, n)
    values = np.array([[float(m[r, u]) for u in complete] for r in range(m.shape[0])])
    if np.ptp(values) == 0:
        return Statistic.undefined(name, NO_VARIATION, n)

    import pandas as pd
    import pingouin

    long = pd.DataFrame(
        [(u, r, values[r, j]) for r in range(values.shape[0]) for j, u in enumerate(complete)],
        columns=["unit", "rater", "score"],
    )
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        table = pingouin.intraclass_corr(long, targets="unit", raters="rater", ratings="score")
    row = table[table["Type"].isin(["ICC(A,1)", "ICC2"])].iloc[0]
    value = float(row["ICC"])
    if not math.isfinite(value):
        return Statistic.undefined(name, NO_VARIATION, n)
    ci = row["CI95"] if "CI95" in row.index else row["CI95%"]
    lo, hi = (float(x) for x in ci)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo = hi = None
    return Statistic(name, value, n, lo, hi)


def weighted_kappa(
    a: Sequence[Any],
    b: Sequence[Any],
    labels: Sequence[Any] | None = None,
    name: str = "κw",
) -> Statistic:
    """Quadratic-weighted Cohen's κ (scikit-learn) between two paired rating sequences.

    Pairs with a missing side are dropped. Weights follow the position of each value in the
    sorted ``labels`` (default: the observed values), so pass all possible scores when some
    are unused. Undefined with fewer than two pairs or when both sides use one same value.
    """
    if len(a) != len(b):
        raise ValueError("beide reeksen moeten even lang zijn")
    pairs = [(x, y) for x, y in zip(a, b) if not is_missing(x) and not is_missing(y)]
    n = len(pairs)
    if n < 2:
        return Statistic.undefined(name, TOO_FEW_RATINGS, n)
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    if len(set(xs) | set(ys)) < 2:
        return Statistic.undefined(name, NO_VARIATION, n)
    from sklearn.metrics import cohen_kappa_score

    lab = sorted(set(labels) if labels is not None else set(xs) | set(ys))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        value = float(cohen_kappa_score(xs, ys, labels=lab, weights="quadratic"))
    if not math.isfinite(value):
        return Statistic.undefined(name, NO_VARIATION, n)
    return Statistic(name, value, n)
