"""Names and numbers the analysis shares with its readers (the GUI, the CLI, the report).

Plain Python, no numpy: the Insights page words its lists and empty states with these
before the analysis is loaded, and start-up never pays for numpy.
"""

from __future__ import annotations

DEFAULT_PERMUTATIONS = 2000
MIN_PERMUTATIONS = 99
# Single-case design standards ask for at least 5 points per phase (clinical.md section 5).
MIN_DAYS_PER_GROUP = 5
SIGNIFICANT_Q = 0.1  # false discovery rate at which an association counts as a pattern
INTERVAL = 0.90  # the confidence of every interval shown (findings and experiments)
LAGS: tuple[str, ...] = ("next morning", "same evening")
KINDS: tuple[str, ...] = ("alert", "association", "load", "insufficient")
FACTORS: tuple[str, ...] = (
    "descent",
    "long_run",
    "pace",
    "surges",
    "warmup",
    "core",
    "duration",
    "cadence",
    "vertical_oscillation",
    "surface",
    "shoe_distance",
    "sleep",
    "sitting",
    "weight",
    "load_ratio",
)
ALERT_ORDER: tuple[str, ...] = (
    "red_flag",
    "pain_worsening",
    "pain_persisting",
    "pain_during_runs",
    "load_spike",
)
# An alert is current while its evidence is in the last 14 days of the period; older ones
# are listed as raised earlier, so "ease your training back" is never weeks out of date.
CURRENT_DAYS = 14
