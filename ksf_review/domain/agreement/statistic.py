"""The one result type every agreement statistic returns, with its Dutch display.

A statistic that cannot be computed (no variation, too few units or raters) is reported as
``value=None`` with a Dutch ``reason`` — never as 0 or NaN — so the UI can say *why* there
is no number instead of showing a misleading one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Dutch reasons for an undefined statistic (shown to coördinatoren as-is).
NO_VARIATION = "onvoldoende variatie"
TOO_FEW_RATINGS = "te weinig beoordelingen"
TOO_FEW_RATERS = "te weinig beoordelaars"
TOO_FEW_UNITS = "te weinig eenheden (minimaal 2)"
NO_CONSENSUS = "geen consensus vastgesteld"
NO_CONSENSUS_FAIL = "de consensus heeft geen gezakte kandidaat"
NO_MATCHES = "geen overlappende markeringen"


def partial_consensus(done: int, total: int) -> str:
    """The reason while the consensus is still being set (it is a reference only when complete)."""
    return f"consensus nog niet compleet ({done} van {total} toetstermen)"


def format_number(value: float, decimals: int = 2) -> str:
    """Dutch decimal comma: 0.715 → '0,72'; a minus sign stays ASCII for copy/paste."""
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", ",")


def format_percent(value: float) -> str:
    """A share 0..1 as a Dutch whole percentage: 0.8333 → '83%'."""
    return f"{round(value * 100):d}%"


@dataclass(frozen=True)
class Statistic:
    """One agreement figure.

    ``name`` is the symbol shown in the UI (α, AC1, ICC(2,1), κw, …); ``n`` is the number of
    units the figure rests on (units rated by at least two raters, or pairs compared);
    ``percent`` marks shares (percent agreement, detection rate) that display as a percentage.
    """

    name: str
    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    reason: str | None = None
    percent: bool = False
    ci_level: float = 0.95

    def __post_init__(self):
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError("een statistiek zonder waarde krijgt value=None en een reden")
        if self.value is None and not self.reason:
            raise ValueError("een ongedefinieerde statistiek heeft een reden nodig")

    @classmethod
    def undefined(cls, name: str, reason: str, n: int = 0, percent: bool = False) -> "Statistic":
        return cls(name=name, value=None, n=n, reason=reason, percent=percent)

    @property
    def defined(self) -> bool:
        return self.value is not None

    @property
    def has_ci(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None

    def _fmt(self, v: float) -> str:
        return format_percent(v) if self.percent else format_number(v)

    def display(self) -> str:
        """E.g. 'α = 0,72 (95%-BI 0,51–0,88; n = 18)' or 'α niet te berekenen: onvoldoende variatie (n = 18)'."""
        if self.value is None:
            return f"{self.name} niet te berekenen: {self.reason} (n = {self.n})"
        if self.has_ci:
            return (
                f"{self.name} = {self._fmt(self.value)} "
                f"({round(self.ci_level * 100):d}%-BI {self._fmt(self.ci_low)}–{self._fmt(self.ci_high)}; n = {self.n})"
            )
        return f"{self.name} = {self._fmt(self.value)} (n = {self.n})"

    def __str__(self) -> str:
        return self.display()
