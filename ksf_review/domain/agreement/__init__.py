"""Agreement statistics for calibration sessions (several examiners score the same exam blind).

- ``statistic``: the ``Statistic`` result (value/CI/n or a Dutch reason) and Dutch formatting.
- ``reliability``: Krippendorff's α (+ bootstrap CI), percent agreement, Gwet's AC1,
  ICC(2,1), quadratic-weighted κ — over a raters × units matrix with missing ratings.
- ``bias``: each examiner against the consensus (κ, mild/streng), fail detection rate.
- ``tag_matching``: matching examiners' tags by time overlap; passage clusters for a timeline.
- ``consensus``: the consensus form's starting value (majority; empty on a tie).
- ``session``: ``summarise_session`` and the heat-map frame from a plain score table.
"""

from .bias import (
    ALIGNED,
    LENIENCY_THRESHOLD_POINTS,
    LENIENT,
    STRICT,
    ExaminerComparison,
    compare_with_consensus,
    fail_detection_rate,
    leniency_label,
)
from .consensus import proposed_consensus
from .reliability import gwet_ac1, icc_absolute, krippendorff_alpha, percent_agreement, weighted_kappa
from .session import ItemAgreement, SessionStats, heatmap_frame, heatmap_matrix, heatmap_value, points_for, summarise_session
from .statistic import NO_VARIATION, TOO_FEW_RATERS, TOO_FEW_RATINGS, TOO_FEW_UNITS, Statistic
from .tag_matching import TagCluster, TagMatch, TagMatching, match_tags, tag_clusters

__all__ = [
    "ALIGNED",
    "LENIENCY_THRESHOLD_POINTS",
    "LENIENT",
    "NO_VARIATION",
    "STRICT",
    "TOO_FEW_RATERS",
    "TOO_FEW_RATINGS",
    "TOO_FEW_UNITS",
    "ExaminerComparison",
    "ItemAgreement",
    "SessionStats",
    "Statistic",
    "TagCluster",
    "TagMatch",
    "TagMatching",
    "compare_with_consensus",
    "fail_detection_rate",
    "gwet_ac1",
    "heatmap_frame",
    "heatmap_matrix",
    "heatmap_value",
    "icc_absolute",
    "krippendorff_alpha",
    "leniency_label",
    "match_tags",
    "percent_agreement",
    "points_for",
    "proposed_consensus",
    "summarise_session",
    "tag_clusters",
    "weighted_kappa",
]
