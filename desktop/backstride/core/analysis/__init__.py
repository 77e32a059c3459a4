"""Training load and pain patterns in one runner's data (issues 6 and 12): pure and
deterministic.

The analysis imports numpy, so its names load on first use (PEP 562): importing this
package, or ``constants`` from it, costs nothing at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from backstride.core.analysis.constants import (
    ALERT_ORDER,
    CURRENT_DAYS,
    DEFAULT_PERMUTATIONS,
    FACTORS,
    KINDS,
    LAGS,
    MIN_DAYS_PER_GROUP,
    SIGNIFICANT_Q,
)

if TYPE_CHECKING:
    from backstride.core.analysis.engine import analyze
    from backstride.core.analysis.findings import Analysis, Finding, PeriodSeries
    from backstride.core.analysis.load import HIGH_RATIO, SWEET_SPOT, WeeklyLoad, runsafe_band
    from backstride.core.analysis.text import CAVEATS, Caveat, render_text

_LAZY = {
    "analyze": "engine",
    "Analysis": "findings",
    "Finding": "findings",
    "PeriodSeries": "findings",
    "HIGH_RATIO": "load",
    "SWEET_SPOT": "load",
    "WeeklyLoad": "load",
    "runsafe_band": "load",
    "CAVEATS": "text",
    "Caveat": "text",
    "render_text": "text",
}

__all__ = [
    "ALERT_ORDER",
    "CAVEATS",
    "CURRENT_DAYS",
    "DEFAULT_PERMUTATIONS",
    "FACTORS",
    "HIGH_RATIO",
    "KINDS",
    "LAGS",
    "MIN_DAYS_PER_GROUP",
    "SIGNIFICANT_Q",
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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
