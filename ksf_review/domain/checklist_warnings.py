"""Warnings before an exam is finalised: what an examiner should look at once more.

These do not decide the verdict (verdict.py does); they point at gaps an auditor would ask
about: too few conversations, unscored items, scores without evidence, and situations
(emotion, AVG, Bel-Me-Niet) that never occurred, so n.v.t. or an extra conversation is due.
"""

from __future__ import annotations

from typing import Mapping

from .rubric import Rubric
from .verdict import MIN_CONVERSATIONS, NvtPolicy, ScoreStatus

#: situations that may not occur in three conversations, by toetsterm (no article: "Er is geen …")
SITUATIONS = {
    "1.3": "gesprek met emotie (toetsterm 1.3)",
    "3.1": "verzoek om informatie onder het AVG-protocol (toetsterm 3.1)",
    "3.2": "Bel-Me-Niet- of niet-meer-bellen-situatie (toetsterm 3.2)",
}


def finalise_warnings(
    rubric: Rubric,
    statuses: Mapping[str, tuple[str | None, str]],
    evidence_counts: Mapping[str, int],
    conversations: int,
    policy: NvtPolicy | str = NvtPolicy.COUNTS_AS_ACHIEVED,
) -> list[str]:
    """`statuses`: item → (status or None, n.v.t. reason); `evidence_counts`: item → number of tags."""
    policy = NvtPolicy(policy)
    out: list[str] = []
    if conversations < MIN_CONVERSATIONS:
        out.append(f"Er zijn {conversations} gesprek(ken); minimaal {MIN_CONVERSATIONS} nodig. Voeg een gesprek toe.")
    unscored = [it.code for it in rubric.items if not statuses.get(it.code, (None, ""))[0]]
    if unscored:
        out.append(f"Nog niet gescoord: {', '.join(unscored)}.")
    for it in rubric.items:
        status, reason = statuses.get(it.code, (None, ""))
        if status == ScoreStatus.NVT.value and not reason.strip():
            out.append(f"Toetsterm {it.code} staat op n.v.t. zonder reden.")
        elif status in (ScoreStatus.BEHAALD.value, ScoreStatus.NIET_BEHAALD.value) and not evidence_counts.get(it.code):
            out.append(f"Toetsterm {it.code} is gescoord ({ScoreStatus(status).label}) zonder bewijs-markering.")
    for toetsterm, description in SITUATIONS.items():
        codes = [it.code for it in rubric.items if it.toetsterm == toetsterm]
        if codes and not any(evidence_counts.get(c) for c in codes):
            nvt = (
                "n.v.t. met reden telt als behaald"
                if policy is NvtPolicy.COUNTS_AS_ACHIEVED
                else "n.v.t. telt bij dit examen als niet behaald"
            )
            out.append(
                f"Er is geen {description} waargenomen. Overweeg een extra gesprek toe te voegen; "
                f"anders kan de toetsterm n.v.t. met een reden ({nvt})."
            )
    return out
