"""What the analysis returns: findings, and the series the charts draw."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from backstride.core.analysis.constants import SIGNIFICANT_Q
from backstride.core.analysis.load import WeeklyLoad
from backstride.core.analysis.timeline import BoolArray, FloatArray

Kind = Literal["association", "alert", "load", "insufficient"]  # constants.KINDS


def _num(x: float | None, digits: int) -> float | None:
    if x is None or math.isnan(x):
        return None
    return round(float(x), digits)


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding, with everything a reader needs as fields: the GUI, the report and the
    JSON never take a sentence apart."""

    factor: str  # a factor id (e.g. "descent"), an alert id or a load measure
    kind: Kind
    effect: float | None  # pain points (exposed minus unexposed); the value for "load"
    interval: tuple[float, float] | None  # 90 % interval of the effect
    p: float | None  # block-permutation p-value, two-sided
    q: float | None  # Benjamini-Hochberg q across every association tested
    n_exposed: int | None  # associations: days compared in each group; alerts: days flagged
    n_unexposed: int | None
    lag: str | None  # "next morning", "same evening"
    summary: str  # one plain sentence (or two), including the action for alerts
    days: tuple[date, ...] = ()  # the exposed or flagged days behind it
    action: str = ""  # alerts: what to do, also part of the summary
    subject: str = ""  # associations, insufficient: the exposed group, "runs without a warm-up"
    comparator: str = ""  # what it is compared with: "other runs"
    exposure: str = ""  # which of a factor's exposures: "descent", "descent_per_km"
    threshold: float | None = None  # the cut the subject states (m, %, min, h, ...)
    outcome: str = ""  # the pain compared, as a phrase: "allowing for that morning's pain ..."
    needed: int | None = None  # days needed in each group (insufficient and associations)
    raised: date | None = None  # alerts: the latest day of their evidence
    current: bool = True  # alerts: evidence within the last CURRENT_DAYS days of the period

    @property
    def significant(self) -> bool:
        return self.kind == "association" and self.q is not None and self.q < SIGNIFICANT_Q

    @property
    def more_needed(self) -> tuple[int, int] | None:
        """Insufficient: how many more days each group needs (exposed, unexposed)."""
        if self.needed is None or self.n_exposed is None or self.n_unexposed is None:
            return None
        return max(0, self.needed - self.n_exposed), max(0, self.needed - self.n_unexposed)

    def to_json(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "kind": self.kind,
            "effect": _num(self.effect, 2),
            "interval": None
            if self.interval is None
            else [_num(self.interval[0], 2), _num(self.interval[1], 2)],
            "p": _num(self.p, 4),
            "q": _num(self.q, 4),
            "n_exposed": self.n_exposed,
            "n_unexposed": self.n_unexposed,
            "lag": self.lag,
            "summary": self.summary,
            "subject": self.subject or None,
            "comparator": self.comparator or None,
            "exposure": self.exposure or None,
            "threshold": _num(self.threshold, 3),
            "outcome": self.outcome or None,
            "needed": self.needed,
            "action": self.action or None,
            "raised": None if self.raised is None else self.raised.isoformat(),
            "current": self.current if self.kind == "alert" else None,
        }


@dataclass(frozen=True, slots=True, eq=False)
class PeriodSeries:
    """Daily values over the period, one per day in ``days``; NaN where missing."""

    days: tuple[date, ...]
    worst: FloatArray  # worst pain of the day
    least: FloatArray  # least pain of the day (with worst: the daily range band)
    morning: FloatArray  # on-waking pain
    later: FloatArray  # pain after a run, in the evening or at night
    average7: FloatArray  # 7-day mean of the daily worst (needs 4 diary days)
    pain_free: BoolArray  # a diary day whose worst pain is 0
    run_km: FloatArray  # distance run that day (0 on days without runs)
    load: FloatArray  # session load that day
    load_ratio: FloatArray  # EWMA acute:chronic ratio (context, not a prediction)

    def points(self, name: str) -> tuple[tuple[date, float], ...]:
        """(day, value) pairs of one series, missing days left out (for charts)."""
        values = getattr(self, name)
        return tuple((d, float(v)) for d, v in zip(self.days, values, strict=True) if v == v)


@dataclass(frozen=True, slots=True, eq=False)
class Analysis:
    period_from: date | None  # None only for an empty diary with no period given
    period_to: date | None
    findings: tuple[Finding, ...]  # alerts, associations strongest first, load, insufficient
    series: PeriodSeries
    weekly: WeeklyLoad
    load_unit: str  # "RPE x min" (Foster session load) or "min"
    permutations: int

    def of_kind(self, kind: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == kind)

    @property
    def patterns(self) -> tuple[Finding, ...]:
        """Associations that pass the false discovery rate (q < 0.1), strongest first."""
        return tuple(f for f in self.findings if f.significant)

    def to_json(self) -> dict[str, Any]:
        return {
            "period": {
                "from": None if self.period_from is None else self.period_from.isoformat(),
                "to": None if self.period_to is None else self.period_to.isoformat(),
            },
            "findings": [f.to_json() for f in self.findings],
        }
