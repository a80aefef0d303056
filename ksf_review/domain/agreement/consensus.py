"""The consensus form's starting value per item: the examiners' majority, or nothing on a tie.

A tie (one *behaald*, one *niet behaald*) used to fall back to *behaald* — that silently made
the consensus lenient and so every examiner look strict against it. On a tie, or with no
scores at all, the coördinator decides: the item starts empty.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable


def proposed_consensus(ratings: Iterable[str | None]) -> str | None:
    """The one most frequent score among ``ratings`` (empty ones ignored); None on a tie or none."""
    counts = Counter(r for r in ratings if r).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]
