"""Agreement coefficients against published worked examples, plus the undefined cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ksf_review.domain.agreement import (
    ALIGNED,
    LENIENT,
    NO_VARIATION,
    STRICT,
    TOO_FEW_RATERS,
    TOO_FEW_RATINGS,
    TOO_FEW_UNITS,
    Statistic,
    compare_with_consensus,
    fail_detection_rate,
    gwet_ac1,
    icc_absolute,
    krippendorff_alpha,
    leniency_label,
    percent_agreement,
    weighted_kappa,
)

N = None
# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability". Annenberg School for
# Communication, Departmental Papers (ASC), University of Pennsylvania — the worked example
# with 4 observers × 12 units and missing values (section C/D). Published: nominal α = 0.743,
# interval α = 0.849; ordinal α = 0.815 and ratio α = 0.797 as reproduced from the same paper
# (p. 8) in the `krippendorff` package's own docstring examples.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# irrCAC's raw_4raters data set (Gwet, K. L. (2014). Handbook of Inter-Rater Reliability,
# 4th ed.; the example of the R and Python irrCAC packages: `gwet.ac1.raw(cac.raw4raters)` /
# `CAC(raw_4raters()).gwet()`): AC1 = 0.77544, 95% CI (0.46081, 1), p_a = 0.81818.
# Rows are raters, columns the 12 units.
GWET_RAW_4RATERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, N],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
# reliability. Psychological Bulletin 86(2), 420–428, Table 2: 6 targets × 4 judges.
# Published ICC(2,1) = .29 (and ICC(1,1) = .17, ICC(3,1) = .71). Rows: judges, columns: targets.
SHROUT_FLEISS_1979 = [
    [9, 6, 8, 7, 10, 6],
    [2, 1, 4, 1, 5, 2],
    [5, 3, 6, 2, 6, 4],
    [8, 2, 8, 6, 9, 7],
]


# ---------------------------------------------------------------- Krippendorff's α


@pytest.mark.parametrize("level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_alpha_matches_krippendorff_2011_worked_example(level, expected):
    """Krippendorff (2011), 'Computing Krippendorff's Alpha-Reliability': 4 observers × 12 units."""
    result = krippendorff_alpha(KRIPPENDORFF_2011, level=level)
    assert round(result.value, 3) == expected
    assert result.n == 11  # unit 12 has a single value: not pairable
    assert result.reason is None


def test_alpha_accepts_nan_and_labels_with_ordered_domain():
    labels = {1: "zeer laag", 2: "laag", 3: "midden", 4: "hoog", 5: "zeer hoog"}
    data = [[labels[v] if v is not None else float("nan") for v in row] for row in KRIPPENDORFF_2011]
    ordinal = krippendorff_alpha(data, level="ordinal", value_domain=list(labels.values()))
    nominal = krippendorff_alpha(data, level="nominal")
    assert round(ordinal.value, 3) == 0.815
    assert round(nominal.value, 3) == 0.743


def test_alpha_bootstrap_interval_is_reproducible_and_brackets_the_estimate():
    a = krippendorff_alpha(KRIPPENDORFF_2011, level="ordinal", n_boot=200, seed=7)
    b = krippendorff_alpha(KRIPPENDORFF_2011, level="ordinal", n_boot=200, seed=7)
    assert a == b
    assert a.ci_low < a.value <= a.ci_high <= 1.0
    assert krippendorff_alpha(KRIPPENDORFF_2011, n_boot=0).ci_low is None


def test_alpha_bootstrap_resamples_units_so_more_units_narrow_the_interval():
    small = krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_boot=300, seed=1)
    big_data = [row * 6 for row in KRIPPENDORFF_2011]  # same pattern, 6× the units
    big = krippendorff_alpha(big_data, level="interval", n_boot=300, seed=1)
    assert big.value == pytest.approx(small.value, abs=0.02)
    assert (big.ci_high - big.ci_low) < (small.ci_high - small.ci_low)


def test_alpha_without_variation_is_undefined_not_zero():
    result = krippendorff_alpha([[1, 1, 1, N], [1, 1, N, 1], [1, 1, 1, 1]], n_boot=50)
    assert result.value is None
    assert result.reason == NO_VARIATION
    assert result.n == 4
    assert "niet te berekenen: onvoldoende variatie" in result.display()


def test_alpha_needs_two_raters_and_two_pairable_units():
    assert krippendorff_alpha([[0, 1, 2]]).reason == TOO_FEW_RATERS
    assert krippendorff_alpha([[0, 1, N], [N, N, 2]]).reason == TOO_FEW_RATINGS
    one_unit = krippendorff_alpha([[0, N], [2, 1]])
    assert one_unit.value is None and one_unit.reason == TOO_FEW_UNITS and one_unit.n == 1


def test_alpha_rejects_values_outside_the_domain():
    with pytest.raises(ValueError):
        krippendorff_alpha([[0, 1], [0, 3]], value_domain=[0, 1, 2])


# ---------------------------------------------------------------- percent agreement and AC1


def test_gwet_ac1_matches_irrcac_published_example():
    """Gwet (2014) / irrCAC `raw_4raters`: AC1 = 0.77544, 95% CI 0.46081–1, p_a = 0.81818."""
    result = gwet_ac1(GWET_RAW_4RATERS)
    assert result.value == pytest.approx(0.77544, abs=5e-6)
    assert result.ci_low == pytest.approx(0.46081, abs=5e-6)
    assert result.ci_high == 1.0
    assert result.n == 11
    assert result.display() == "AC1 = 0,78 (95%-BI 0,46–1,00; n = 11)"


def test_percent_agreement_equals_gwet_observed_agreement():
    """Pairwise observed agreement p_a of the same example: 0.81818 (9/11)."""
    result = percent_agreement(GWET_RAW_4RATERS)
    assert result.value == pytest.approx(0.81818, abs=5e-6)
    assert result.display() == "overeenstemming = 82% (n = 11)"


def test_percent_agreement_two_raters_is_share_of_equal_units():
    result = percent_agreement([["geslaagd", "gezakt", "gezakt", N], ["geslaagd", "geslaagd", "gezakt", "gezakt"]])
    assert result.value == pytest.approx(2 / 3)
    assert result.n == 3


def test_ac1_with_declared_categories_is_one_under_unanimity():
    """AC1's point over κ: unanimous 'geslaagd' is perfect agreement, not undefined."""
    data = [["geslaagd"] * 3, ["geslaagd"] * 3]
    assert gwet_ac1(data, categories=["geslaagd", "gezakt"]).value == pytest.approx(1.0)
    undefined = gwet_ac1(data)  # only one category known
    assert undefined.value is None and undefined.reason == NO_VARIATION


def test_ac1_tolerates_missing_ratings_and_needs_two_units():
    assert gwet_ac1([["a", N, "b"], ["a", "b", N]]).reason == TOO_FEW_UNITS
    assert gwet_ac1([["a", N], [N, "b"]]).reason == TOO_FEW_RATINGS
    assert gwet_ac1([["a", "b"]]).reason == TOO_FEW_RATERS


# ---------------------------------------------------------------- ICC(2,1)


def test_icc21_matches_shrout_fleiss_1979():
    """Shrout & Fleiss (1979) Table 2 (6 targets × 4 judges): ICC(2,1) = .29."""
    result = icc_absolute(SHROUT_FLEISS_1979)
    assert round(result.value, 2) == 0.29
    assert result.value == pytest.approx(0.2898, abs=1e-4)
    assert result.n == 6
    assert result.ci_low is not None and result.ci_low < result.value < result.ci_high
    assert result.display().startswith("ICC(2,1) = 0,29 (95%-BI ")


def test_icc_drops_incomplete_units_and_reports_degenerate_cases():
    with_gap = [row + [N if i == 0 else 5] for i, row in enumerate(SHROUT_FLEISS_1979)]
    assert icc_absolute(with_gap).value == pytest.approx(icc_absolute(SHROUT_FLEISS_1979).value)
    assert icc_absolute([[20, 20, 20], [20, 20, 20]]).reason == NO_VARIATION
    assert icc_absolute([[20, N], [19, 18]]).reason == TOO_FEW_UNITS
    assert icc_absolute([[20, 21]]).reason == TOO_FEW_RATERS


# ---------------------------------------------------------------- weighted κ


def _expand(table):
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return a, b


def test_quadratic_kappa_matches_gwet_abstractors_table():
    """Gwet (2014) `cont3x3abstractors` (100 pregnancies, 2 abstractors): R irrCAC
    `kappa2.table(cont3x3abstractors, weights = quadratic.weights(1:3))` = 0.8921569."""
    a, b = _expand([[13, 0, 0], [0, 20, 7], [0, 4, 56]])
    result = weighted_kappa(a, b)
    assert result.value == pytest.approx(0.8921569, abs=1e-7)
    assert result.n == 100


def test_quadratic_kappa_hand_checked_tiny_case():
    """a=(0,2,1,2), b=(0,2,2,2): observed Σw·O = 1, expected Σw·E = 6 → κw = 1 − 1/6."""
    result = weighted_kappa([0, 2, 1, 2], [0, 2, 2, 2], labels=[0, 1, 2])
    assert result.value == pytest.approx(5 / 6)


def test_kappa_drops_missing_pairs_and_is_undefined_without_variation():
    assert weighted_kappa([0, 2, N, 1, 2], [0, 2, 2, N, 2]).n == 3
    same = weighted_kappa([2, 2, 2], [2, 2, 2])
    assert same.value is None and same.reason == NO_VARIATION
    assert weighted_kappa([1, N], [1, 1]).reason == TOO_FEW_RATINGS


# ---------------------------------------------------------------- examiner vs consensus


@pytest.mark.parametrize(
    "diff, label", [(1.0, LENIENT), (2.5, LENIENT), (0.99, ALIGNED), (0.0, ALIGNED), (-1.0, STRICT), (None, "onbekend")]
)
def test_leniency_label_uses_one_point_threshold(diff, label):
    assert leniency_label(diff) == label


def test_lenient_examiner_gives_more_points_than_consensus():
    consensus = [2, 0, 1, 0, 2, 1]
    lenient = [2, 2, 1, 1, 2, 1]  # +3 points on this candidate
    result = compare_with_consensus("Els", lenient, consensus)
    assert result.mean_difference == 3
    assert result.label == LENIENT
    assert result.kappa.defined and result.kappa.value < 1
    assert "mild (+3,0 punten per kandidaat" in result.display()


def test_strict_examiner_averaged_per_candidate():
    consensus = [2, 1, 2, 1]
    strict = [0, 1, 2, 0]  # candidate A −2, candidate B −1 → −1.5 per candidate
    result = compare_with_consensus("Piet", strict, consensus, units=["A", "A", "B", "B"], labels=[0, 1, 2])
    assert result.mean_difference == pytest.approx(-1.5)
    assert result.label == STRICT
    assert result.n_units == 2 and result.n_items == 4


def test_examiner_identical_to_constant_consensus_is_in_line_with_undefined_kappa():
    result = compare_with_consensus("Ans", [1, 1, 1], [1, 1, 1])
    assert result.label == ALIGNED
    assert result.kappa.value is None and result.kappa.reason == NO_VARIATION


def test_threshold_is_a_parameter():
    assert compare_with_consensus("X", [1, 1], [1, 0], threshold=0.5).label == LENIENT


# ---------------------------------------------------------------- fail detection


def test_fail_detection_counts_only_judged_verdicts_where_consensus_failed():
    examiner = ["gezakt", "geslaagd", "onvolledig", "gezakt", "geslaagd"]
    consensus = ["gezakt", "gezakt", "gezakt", "geslaagd", "geslaagd"]
    result = fail_detection_rate(examiner, consensus)
    assert result.value == pytest.approx(0.5)
    assert result.n == 2
    assert result.display() == "gezakt herkend = 50% (n = 2)"


def test_fail_detection_undefined_without_failed_consensus():
    assert fail_detection_rate(["gezakt"], ["geslaagd"]).value is None
    assert "geen gezakte kandidaat" in fail_detection_rate(["gezakt"], ["geslaagd"]).reason
    assert fail_detection_rate(["gezakt"], [None]).reason == "geen consensus vastgesteld"


# ---------------------------------------------------------------- the Statistic itself


def test_display_uses_dutch_decimal_comma_and_interval():
    s = Statistic("α", 0.7213, 18, 0.5089, 0.8791)
    assert s.display() == "α = 0,72 (95%-BI 0,51–0,88; n = 18)"
    assert Statistic("κw", -0.123, 5).display() == "κw = -0,12 (n = 5)"
    assert Statistic("overeenstemming", 0.8333, 6, percent=True).display() == "overeenstemming = 83% (n = 6)"


def test_statistic_refuses_nan_and_silent_undefined():
    with pytest.raises(ValueError):
        Statistic("α", math.nan, 3)
    with pytest.raises(ValueError):
        Statistic("α", None, 3)
    with pytest.raises(ValueError):
        Statistic("α", float(np.inf), 3)


def test_every_undefined_result_has_none_value_and_reason():
    results = [
        krippendorff_alpha([[1, 1], [1, 1]]),
        gwet_ac1([["a"], ["a"]]),
        icc_absolute([[1], [1]]),
        weighted_kappa([1], [1]),
        percent_agreement([[1, N], [N, 1]]),
    ]
    for r in results:
        assert r.value is None and r.reason and not r.defined


def test_alpha_refuses_to_guess_the_order_of_labels():
    with pytest.raises(ValueError, match="value_domain"):
        krippendorff_alpha([["laag", "hoog"], ["laag", "laag"]], level="ordinal")
