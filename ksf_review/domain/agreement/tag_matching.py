"""Which passages did examiners tag alike? Matching tags of different examiners by time.

Within one conversation, the tags of every pair of examiners are matched one-to-one when
their time ranges overlap with IoU ≥ a threshold (default 0.3), by an optimal assignment
(``scipy.optimize.linear_sum_assignment``). Among admissible pairs the assignment prefers
the same item, then the same polarity, then the larger overlap — the pairing a person
would make when one passage carries several tags. Matched pairs then give agreement on the
item *with its sign* — a 3.1+ against a 3.1− is a disagreement on that passage — and, for
pairs on the same item, on the polarity alone; tags left unmatched are passages only one
examiner saw. ``tag_clusters`` gives the timeline view: per item, the passages and
how many examiners tagged each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable, Mapping

import numpy as np

from ..tags import TagData
from .reliability import krippendorff_alpha, percent_agreement
from .statistic import NO_MATCHES, Statistic

DEFAULT_IOU_THRESHOLD = 0.3
_SAME_ITEM_BONUS = 1.0  # larger than any IoU: same item always wins among admissible pairs
_SAME_POLARITY_BONUS = 0.01


@dataclass(frozen=True)
class TagMatch:
    a: TagData
    b: TagData
    iou: float

    @property
    def same_item(self) -> bool:
        return self.a.item == self.b.item


@dataclass(frozen=True)
class TagMatching:
    matches: tuple[TagMatch, ...]
    unmatched: Mapping[str, tuple[TagData, ...]]  # examiner → tags no other examiner matched
    item_agreement: Statistic
    polarity_agreement: Statistic  # among matched pairs on the same item
    item_alpha: Statistic  # Krippendorff α (nominal) on the items of matched pairs
    iou_threshold: float = DEFAULT_IOU_THRESHOLD

    @property
    def n_matched(self) -> int:
        return len(self.matches)


@dataclass(frozen=True)
class TagCluster:
    """One passage on the timeline: overlapping tags for the same item, by any examiners."""

    item: str
    start: float
    end: float
    tags: tuple[TagData, ...] = field(default=())

    @property
    def examiners(self) -> tuple[str, ...]:
        return tuple(sorted({t.examiner for t in self.tags}))

    @property
    def n_examiners(self) -> int:
        return len(self.examiners)

    @property
    def shared(self) -> bool:
        return self.n_examiners >= 2

    @property
    def polarities(self) -> tuple[str, ...]:
        return tuple(sorted({t.polarity.value for t in self.tags}))

    @property
    def conflicting(self) -> bool:
        """Examiners tagged the passage for the same item with opposite signs (+ and −)."""
        return len(self.polarities) > 1


def _signed(t: TagData) -> str:
    """'3.1+' / '3.1-': what two examiners must share to agree on a passage."""
    return f"{t.item}{t.polarity.value}"


def _by_examiner(tags: Iterable[TagData]) -> dict[str, list[TagData]]:
    out: dict[str, list[TagData]] = defaultdict(list)
    for t in tags:
        out[t.examiner].append(t)
    return {e: sorted(ts, key=lambda t: (t.start, t.end, t.item)) for e, ts in sorted(out.items())}


def _match_pair(xs: list[TagData], ys: list[TagData], threshold: float) -> list[TagMatch]:
    from scipy.optimize import linear_sum_assignment

    if not xs or not ys:
        return []
    iou = np.array([[x.range.iou(y.range) for y in ys] for x in xs])
    ok = iou >= threshold
    if not ok.any():
        return []
    same_item = np.array([[x.item == y.item for y in ys] for x in xs])
    same_pol = np.array([[x.polarity == y.polarity for y in ys] for x in xs])
    score = np.where(ok, iou + _SAME_ITEM_BONUS * same_item + _SAME_POLARITY_BONUS * same_pol, 0.0)
    rows, cols = linear_sum_assignment(score, maximize=True)
    return [TagMatch(xs[r], ys[c], float(iou[r, c])) for r, c in zip(rows, cols) if ok[r, c]]


def match_tags(tags: Iterable[TagData], iou_threshold: float = DEFAULT_IOU_THRESHOLD) -> TagMatching:
    """Match the tags of one conversation across examiners (``TagData.examiner``)."""
    groups = _by_examiner(tags)
    matches: list[TagMatch] = []
    for ea, eb in combinations(groups, 2):
        matches.extend(_match_pair(groups[ea], groups[eb], iou_threshold))
    matched_ids = {id(m.a) for m in matches} | {id(m.b) for m in matches}
    unmatched = {e: tuple(t for t in ts if id(t) not in matched_ids) for e, ts in groups.items()}

    if matches:
        pairs = [[_signed(m.a) for m in matches], [_signed(m.b) for m in matches]]
        item_agreement = percent_agreement(pairs, name="overeenstemming toetsterm")
        item_alpha = krippendorff_alpha(pairs, level="nominal", name="α toetsterm")
    else:
        item_agreement = Statistic.undefined("overeenstemming toetsterm", NO_MATCHES, 0, percent=True)
        item_alpha = Statistic.undefined("α toetsterm", NO_MATCHES, 0)
    same = [m for m in matches if m.same_item]
    if same:
        polarity_agreement = percent_agreement(
            [[m.a.polarity.value for m in same], [m.b.polarity.value for m in same]],
            name="overeenstemming polariteit",
        )
    else:
        polarity_agreement = Statistic.undefined("overeenstemming polariteit", NO_MATCHES, 0, percent=True)
    return TagMatching(
        matches=tuple(sorted(matches, key=lambda m: (min(m.a.start, m.b.start), m.a.examiner, m.b.examiner))),
        unmatched=unmatched,
        item_agreement=item_agreement,
        polarity_agreement=polarity_agreement,
        item_alpha=item_alpha,
        iou_threshold=iou_threshold,
    )


def tag_clusters(tags: Iterable[TagData], iou_threshold: float = 0.0) -> list[TagCluster]:
    """Group tags per item into passages: two tags of the same item join when their ranges
    overlap (strictly) with IoU ≥ ``iou_threshold`` (default: any overlap), transitively.

    Every tag lands in exactly one cluster; ``cluster.shared`` marks passages that two or
    more examiners tagged, the rest were seen by one examiner only.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    per_item: dict[str, list[TagData]] = defaultdict(list)
    for t in tags:
        per_item[t.item].append(t)
    clusters: list[TagCluster] = []
    for item, ts in per_item.items():
        n = len(ts)
        link = np.zeros((n, n), dtype=bool)
        for i, j in combinations(range(n), 2):
            a, b = ts[i].range, ts[j].range
            if a.overlap(b) > 0 and a.iou(b) >= iou_threshold:
                link[i, j] = True
        _, labels = connected_components(csr_matrix(link), directed=False)
        for label in np.unique(labels):
            members = sorted((ts[k] for k in np.flatnonzero(labels == label)), key=lambda t: (t.start, t.examiner))
            clusters.append(TagCluster(item, min(t.start for t in members), max(t.end for t in members), tuple(members)))
    return sorted(clusters, key=lambda c: (c.start, c.item, c.end))
