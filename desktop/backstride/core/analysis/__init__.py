"""Training load and pain patterns in one runner's data (issue 6): pure and deterministic.

Imports numpy; import this package only when an analysis runs.
"""

from __future__ import annotations

from backstride.core.analysis.engine import DEFAULT_PERMUTATIONS, LAGS, MIN_DAYS_PER_GROUP, analyze
from backstride.core.analysis.factors import FACTORS
from backstride.core.analysis.findings import KINDS, Analysis, Finding, PeriodSeries
from backstride.core.analysis.load import HIGH_RATIO, SWEET_SPOT, WeeklyLoad, runsafe_band
from backstride.core.analysis.text import CAVEATS, Caveat, render_text

__all__ = [
    "CAVEATS",
    "DEFAULT_PERMUTATIONS",
    "FACTORS",
    "HIGH_RATIO",
    "KINDS",
    "LAGS",
    "MIN_DAYS_PER_GROUP",
    "SWEET_SPOT",
    "Analysis",
    "Caveat",
    "Finding",
    "PeriodSeries",
    "WeeklyLoad",
    "analyze",
    "render_text",
    "runsafe_band",
]
