"""Plain sentences for findings: what was compared, how big, how sure, with the counts."""

from __future__ import annotations

from backstride.core.analysis.constants import SIGNIFICANT_Q
from backstride.core.analysis.factors import Exposure
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


def outcome_phrase(x: Exposure, lag: str) -> str:
    """What the pain was compared against (outcomes.py), as the sentence says it."""
    if x.training:
        before = "the run" if x.per_run else "it"
        return (
            f"allowing for how your back was before {before} (your pain on waking that "
            "day) and for your level over the 8 weeks around it"
        )
    return "allowing for your level over the 8 weeks around it"


def association_summary(x: Exposure, lag: str, c: Comparison, q: float) -> str:
    lead, other = _when(x, lag)
    size = abs(c.effect)
    if round(size, 1) == 0:
        body = f"{lead} your pain averaged about the same as {other}"
    else:
        direction = "higher" if c.effect > 0 else "lower"
        body = f"{lead} your pain averaged {_count(size)} {direction} than {other}"
    counts = f"(n = {c.n_exposed} vs {c.n_unexposed}; 90 % interval {c.low:+.1f} to {c.high:+.1f})"
    if q < SIGNIFICANT_Q:
        verdict = (
            f"Unlikely to be chance alone (q = {q:.2g}), but an association in your diary, "
            "not proof of a cause."
        )
    else:
        verdict = f"This could well be chance (q = {q:.2g})."
    return f"{body}, {outcome_phrase(x, lag)} {counts}. {verdict}"


def _count(points: float) -> str:
    return f"{points:.1f} point{'' if round(points, 1) == 1 else 's'}"


def plural(n: int, noun: str) -> str:
    """ "1 morning", "2 mornings": numbers agree with their nouns."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def insufficient_summary(x: Exposure, n_exposed: int, n_unexposed: int, minimum: int) -> str:
    """Not enough days to compare yet: how many more the comparison needs, on each side.
    It never asks for the exposure itself (a longer run than usual is what Garmin-RUNSAFE
    linked to injury): those days come with the runner's usual training."""
    logged = "on waking that day and the next" if x.training else "on waking the next day"
    more = []
    if n_exposed < minimum:
        more.append(f"{minimum - n_exposed} more after {x.subject}")
    if n_unexposed < minimum:
        more.append(f"{minimum - n_unexposed} more after {x.comparator}")
    return (
        f"Not enough data yet to compare {x.subject} with {x.comparator}: "
        f"{plural(n_exposed, 'morning')} after them and {n_unexposed} after "
        f"{x.comparator} have your pain logged {logged}. The comparison needs at least "
        f"{minimum} of each ({' and '.join(more)}); they come with your usual training, so "
        "there is nothing to change for it: keep logging your pain on waking."
    )
