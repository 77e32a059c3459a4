"""Short titles and numbers for findings, as the Insights list shows them.

The analysis writes one full sentence per finding (``Finding.summary``) and gives its parts
as fields (subject, counts, needed, raised), so nothing here takes a sentence apart.
No Qt and no numpy here: the page imports this before the analysis is loaded
(``core.analysis.constants`` is plain Python).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backstride.core.analysis.constants import CURRENT_DAYS, MIN_DAYS_PER_GROUP, SIGNIFICANT_Q
from backstride.core.units import DistanceUnit

if TYPE_CHECKING:
    from backstride.core.analysis import Finding

TITLES: dict[str, str] = {
    # factors (core.analysis.factors.FACTORS)
    "descent": "Descent",
    "long_run": "Runs longer than your recent longest",
    "pace": "Faster pace than usual",
    "surges": "Pace surges",
    "warmup": "Warm-up skipped or short",
    "core": "No core work",
    "duration": "Long runs (time)",
    "cadence": "Low cadence",
    "vertical_oscillation": "High vertical oscillation",
    "surface": "Surface",
    "shoe_distance": "Shoe distance",
    "sleep": "Sleep",
    "sitting": "Sitting",
    "weight": "Weight trend",
    "load_ratio": "Load ratio",
    # alerts (core.analysis.alerts.ALERT_ORDER)
    "red_flag": "Possible red flag in your diary",
    "pain_worsening": "Pain getting worse",
    "pain_persisting": "Pain lasting more than 72 hours after a run",
    "pain_during_runs": "Pain above 5 during runs",
    "load_spike": "Training load spike",
    # load context (core.analysis.alerts.load_context)
    "weekly_distance": "Weekly distance",
    "longest_run": "Latest run against your longest",
    "monotony": "Training monotony",
    # the diary itself
    "pain": "Pain diary",
}
LOAD_TITLES = {"load_ratio": "Load ratio (acute:chronic)"}
PATTERNS_HEADING = f"Patterns (q < {SIGNIFICANT_Q:g}), strongest first"
NO_PATTERN = f"No factor stands out from chance (all q ≥ {SIGNIFICANT_Q:g})"
MINIMUM_TEXT = (
    f"A factor is compared once it has at least {MIN_DAYS_PER_GROUP} days with it and "
    f"{MIN_DAYS_PER_GROUP} without"
)
EARLIER_HEADING = f"Raised earlier (not in the last {CURRENT_DAYS} days)"


def title(f: Finding) -> str:
    """A short name for the finding, specific enough to tell two of one factor apart."""
    if f.kind == "association" and f.subject:
        return f.subject[:1].upper() + f.subject[1:]
    if f.kind == "load" and f.factor in LOAD_TITLES:
        return LOAD_TITLES[f.factor]
    return TITLES.get(f.factor, f.factor.replace("_", " ").capitalize())


def without_action(f: Finding) -> str:
    """An alert's summary without its trailing "Action: ..." (shown on its own)."""
    tail = f" Action: {f.action}"
    if f.action and f.summary.endswith(tail):
        return f.summary[: -len(tail)]
    return f.summary


def _signed(x: float) -> str:
    return f"{x:+.1f}".replace("-", "−")


def effect_text(f: Finding) -> str:
    """An association's effect in pain points with its 90 % interval; empty otherwise."""
    if f.kind != "association" or f.effect is None:
        return ""
    text = _signed(f.effect)
    if f.interval is not None:
        text += f" ({_signed(f.interval[0])} to {_signed(f.interval[1])})"
    return text


def counts_text(f: Finding) -> str:
    if f.kind == "association" and f.n_exposed is not None and f.n_unexposed is not None:
        return f"{f.n_exposed} vs {f.n_unexposed}"
    if f.kind == "alert" and f.n_exposed:
        return _plural(f.n_exposed, "day")
    return ""


def q_text(f: Finding) -> str:
    return "" if f.q is None else f"{f.q:.2g}"


def numbers_text(f: Finding) -> str:
    """The statistics of an association in one line, for the detail panel."""
    if f.kind != "association" or f.effect is None:
        return ""
    parts = [f"difference {effect_text(f)} pain points (exposed minus unexposed, 90 % interval)"]
    parts.append(f"n = {f.n_exposed} vs {f.n_unexposed} days")
    if f.lag:
        lag = "the next morning" if f.lag == "next morning" else "later that day"
        parts.append(f"pain {lag}, {f.outcome}" if f.outcome else f"pain {lag}")
    if f.p is not None:
        parts.append(f"block-permutation p = {f.p:.2g}")
    if f.q is not None:
        parts.append(f"Benjamini-Hochberg q = {f.q:.2g}")
    return "; ".join(parts)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def second_line(f: Finding, unit: DistanceUnit) -> str:
    """The numbers under a finding's title in the list: size, lag, counts, q."""
    if f.kind == "association":
        lag = "the next morning" if f.lag == "next morning" else "later that day"
        return f"{effect_text(f)} {lag} · n = {f.n_exposed} vs {f.n_unexposed} · q = {q_text(f)}"
    if f.kind == "alert":
        if not f.current and f.raised is not None:
            return f"raised {f.raised.day} {f.raised:%b %Y} · not in the last {CURRENT_DAYS} days"
        days = f"{_plural(len(f.days), 'day')} flagged · " if f.days else ""
        return f"{days}select for what to do"
    if f.kind == "load" and f.effect is not None:
        if f.factor == "weekly_distance":
            return f"{unit.distance(f.effect * 1000.0, 1)} a week lately"
        if f.factor == "longest_run":
            return f"latest run {f.effect:+.0f} % against your longest of 30 days"
        if f.factor == "load_ratio":
            return f"latest {f.effect:.2f} (context, not a prediction)"
        return f"latest {f.effect:.1f}"
    if f.kind == "insufficient":
        more = f.more_needed
        if more is not None:
            return (
                f"{f.n_exposed} vs {f.n_unexposed} days so far; the comparison needs "
                f"{f.needed} of each ({sum(more)} more)"
            )
        return "nothing to compare yet: select to see what to log"
    return ""
