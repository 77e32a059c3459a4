"""Plain sentences for findings: what was compared, how big, how sure, with the counts."""

from __future__ import annotations

from backstride.core.analysis.factors import Exposure
from backstride.core.analysis.findings import SIGNIFICANT_Q
from backstride.core.analysis.stats import Comparison


def _when(x: Exposure, lag: str) -> tuple[str, str]:
    """How the exposed and unexposed outcome days are named for this lag."""
    if lag == "next morning":
        return f"On mornings after {x.subject}", f"after {x.comparator}"
    if x.per_run:
        return (
            f"Later on the days of {x.subject} (after the run, in the evening or at night)",
            f"on days of {x.comparator}",
        )
    return f"In the evenings of {x.subject}", f"on {x.comparator}"


def association_summary(x: Exposure, lag: str, c: Comparison, q: float) -> str:
    lead, other = _when(x, lag)
    size = abs(c.effect)
    if round(size, 1) == 0:
        body = f"{lead} your pain averaged about the same as {other}"
    else:
        direction = "higher" if c.effect > 0 else "lower"
        points = "point" if round(size, 1) == 1 else "points"
        body = f"{lead} your pain averaged {size:.1f} {points} {direction} than {other}"
    counts = f"(n = {c.n_exposed} vs {c.n_unexposed}; 90 % interval {c.low:+.1f} to {c.high:+.1f})"
    if q < SIGNIFICANT_Q:
        verdict = (
            f"Unlikely to be chance alone (q = {q:.2g}), but an association in your diary, "
            "not proof of a cause."
        )
    else:
        verdict = f"This could well be chance (q = {q:.2g})."
    return f"{body} {counts}. {verdict}"


def _mornings(n: int) -> str:
    return f"{n} more morning{'s' if n > 1 else ''}"


def insufficient_summary(x: Exposure, n_exposed: int, n_unexposed: int, minimum: int) -> str:
    needs = []
    if n_exposed < minimum:
        needs.append(f"{_mornings(minimum - n_exposed)} after {x.subject}")
    if n_unexposed < minimum:
        needs.append(f"{_mornings(minimum - n_unexposed)} after {x.comparator}")
    return (
        f"Not enough data yet on {x.subject}: {n_exposed} logged mornings after them and "
        f"{n_unexposed} after {x.comparator}. Needs {' and '.join(needs)} "
        f"(at least {minimum} of each, with your pain logged on waking)."
    )
