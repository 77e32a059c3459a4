"""``analyze``: one runner's diary and training log in, findings and chart series out.

Pure and deterministic: the same dataset, period, permutations and seed give the same
Analysis. Records before the period give history (the longest run of the previous 30
days, the chronic load, typical pace) but only days inside it are compared.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np

from backstride.core.analysis.alerts import AlertInput, alerts, load_context
from backstride.core.analysis.constants import (
    ALERT_ORDER,
    DEFAULT_PERMUTATIONS,
    FACTORS,
    LAGS,
    MIN_DAYS_PER_GROUP,
    MIN_PERMUTATIONS,
)
from backstride.core.analysis.daily import build_daily
from backstride.core.analysis.factors import (
    Absent,
    Exposure,
    build_exposures,
    build_habits,
)
from backstride.core.analysis.findings import Analysis, Finding, PeriodSeries
from backstride.core.analysis.load import build_load, build_runs, build_weekly
from backstride.core.analysis.outcomes import Outcome, build_outcomes
from backstride.core.analysis.stats import Comparison, benjamini_hochberg, compare
from backstride.core.analysis.timeline import Timeline, rolling_mean
from backstride.core.analysis.wording import (
    association_summary,
    insufficient_summary,
    outcome_phrase,
)
from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.limits import EARLIEST_DAY
from backstride.core.models import Dataset
from backstride.core.units import KM, DistanceUnit

MAX_DAYS = 20 * 366  # twenty years compared at once; earlier records are history only
RUN_FACTORS = frozenset(
    {
        "descent",
        "long_run",
        "pace",
        "surges",
        "warmup",
        "duration",
        "cadence",
        "vertical_oscillation",
        "surface",
        "shoe_distance",
        "load_ratio",
    }
)


def analyze(
    dataset: Dataset,
    start: date | None = None,
    end: date | None = None,
    *,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
    unit: DistanceUnit = KM,
) -> Analysis:
    """Analyse the days from ``start`` to ``end`` (default: all the data); the texts give
    distances in ``unit``."""
    if permutations < MIN_PERMUTATIONS:
        raise ValueError(f"permutations must be at least {MIN_PERMUTATIONS} (got {permutations}).")
    if start is not None and end is not None and start > end:
        raise ValidationError(
            [
                FieldProblem(
                    "from",
                    f"The period starts ({start.isoformat()}) after it ends "
                    f"({end.isoformat()}); swap the two dates.",
                )
            ]
        )
    # Records from before the date limits cannot be stored any more, but an older data
    # file may hold one; a single entry dated 0001-01-01 must not stretch every series
    # over two thousand years.
    dataset = replace(
        dataset,
        pain=tuple(e for e in dataset.pain if e.day >= EARLIEST_DAY),
        runs=tuple(r for r in dataset.runs if r.day >= EARLIEST_DAY),
        habits=tuple(h for h in dataset.habits if h.day >= EARLIEST_DAY),
    )
    days = (
        [e.day for e in dataset.pain]
        + [r.day for r in dataset.runs]
        + [h.day for h in dataset.habits]
    )
    if not days:
        return _empty(permutations, NOTHING_LOGGED)
    first_data, last_data = min(days), max(days)
    # The period is clamped to the data: days beyond it hold nothing to compare, and a
    # period such as 0001-01-01 to 9999-12-31 would cost gigabytes.
    period_from = first_data if start is None else max(start, first_data)
    period_to = last_data if end is None else min(end, last_data)
    if period_from > period_to:
        # The period asked for (a missing end is the given one: that end's own day).
        asked = (start or period_to, end or period_from)
        return _empty(
            permutations,
            f"Nothing logged from {asked[0].isoformat()} to {asked[1].isoformat()}: your "
            f"diary and training log run from {first_data.isoformat()} to "
            f"{last_data.isoformat()}; choose a period within them.",
            asked,
        )
    # At most MAX_DAYS days are compared (the latest), which bounds time and memory
    # whatever the data span.
    period_from = max(period_from, period_to - timedelta(days=MAX_DAYS - 1))
    tl = Timeline(first_data, (period_to - first_data).days + 1)
    s, e = tl.index(period_from), tl.length

    daily = build_daily(dataset.pain, tl)
    runs = build_runs(dataset.runs, tl)
    load = build_load(runs, tl)
    habits = build_habits(dataset.habits, tl)
    exposures = build_exposures(tl, s, e, runs, habits, load)

    outcomes = build_outcomes(daily, s, e)

    findings: list[Finding] = []
    period_entries = [p for p in dataset.pain if period_from <= p.day <= period_to]
    alert_input = AlertInput(tl, s, e, daily, period_entries, runs, load, unit)
    # Current alerts first, then those raised earlier, each in ALERT_ORDER.
    findings += sorted(
        alerts(alert_input), key=lambda f: (not f.current, ALERT_ORDER.index(f.factor))
    )
    findings += _associations(tl, s, exposures, outcomes, permutations, seed)
    weekly = build_weekly(tl, s, e, load, runs, daily.worst)
    findings += load_context(alert_input, weekly, load.unit)
    findings += _insufficient(exposures, outcomes, s, e, runs_in_period=_runs_in(runs.day, s, e))
    if not period_entries:
        findings.append(
            _short(
                "pain",
                "No pain entries in this period: log your pain each morning on waking "
                "(0 when you have none) so it can be compared with your training.",
                None,
            )
        )
    worst = daily.worst[s:e]
    series = PeriodSeries(
        days=tl.days(s, e),
        worst=worst,
        least=daily.least[s:e],
        morning=daily.morning[s:e],
        later=daily.later[s:e],
        average7=rolling_mean(daily.worst, 7, 4)[s:e],
        pain_free=worst == 0,
        run_km=load.km[s:e],
        load=load.load[s:e],
        load_ratio=load.acwr[s:e],
    )
    return Analysis(
        period_from=period_from,
        period_to=period_to,
        findings=tuple(findings),
        series=series,
        weekly=weekly,
        load_unit=load.unit,
        permutations=permutations,
    )


def _runs_in(day: np.ndarray, s: int, e: int) -> int:
    return int(((day >= s) & (day < e)).sum())


def _outcome(x: Exposure, outcome: Outcome) -> np.ndarray:
    """The outcome series an exposure is compared on (outcomes.py says why)."""
    return outcome.adjusted if x.training else outcome.detrended


def _counts(x: Exposure, y: np.ndarray, s: int, e: int) -> tuple[int, int]:
    present = ~np.isnan(y)
    return (
        int((x.exposed[s:e] & present).sum()),
        int((x.unexposed[s:e] & present).sum()),
    )


def _associations(
    tl: Timeline,
    s: int,
    exposures: list[Exposure | Absent],
    outcomes: dict[str, Outcome],
    permutations: int,
    seed: int,
) -> list[Finding]:
    e = tl.length
    tested: list[tuple[Exposure, str, Comparison]] = []
    ran = np.zeros(e - s, dtype=bool)
    for x in exposures:
        if isinstance(x, Exposure) and x.per_run:
            ran |= x.exposed[s:e] | x.unexposed[s:e]
    run_days = np.flatnonzero(ran)
    for lag_no, lag in enumerate(LAGS):
        chosen = [
            x
            for x in exposures
            if isinstance(x, Exposure)
            and min(_counts(x, _outcome(x, outcomes[lag]), s, e)) >= MIN_DAYS_PER_GROUP
        ]
        # Run factors compare run days with run days, so their null distribution draws
        # outcomes from run days only: the series is reduced to the days with runs. Each
        # group shares one outcome series (adjusted for that morning, or not).
        for group, (per_run, training) in enumerate(((True, True), (False, True), (False, False))):
            mine = [x for x in chosen if x.per_run == per_run and x.training == training]
            if not mine:
                continue
            y = _outcome(mine[0], outcomes[lag])
            keep = run_days if per_run else slice(None)
            rng = np.random.default_rng([seed, lag_no, group])
            results = compare(
                y[keep],
                [x.exposed[s:e][keep] for x in mine],
                [x.unexposed[s:e][keep] for x in mine],
                permutations,
                rng,
            )
            tested += [(x, lag, c) for x, c in zip(mine, results, strict=True)]
    qs = benjamini_hochberg([c.p for _, _, c in tested])
    calendar = tl.days()
    out: list[Finding] = []
    for (x, lag, c), q in zip(tested, qs, strict=True):
        y = _outcome(x, outcomes[lag])
        exposed_days = np.flatnonzero(x.exposed[s:e] & ~np.isnan(y)) + s
        out.append(
            Finding(
                factor=x.factor,
                kind="association",
                effect=c.effect,
                interval=(c.low, c.high),
                p=c.p,
                q=q,
                n_exposed=c.n_exposed,
                n_unexposed=c.n_unexposed,
                lag=lag,
                summary=association_summary(x, lag, c, q),
                days=tuple(calendar[i] for i in exposed_days.tolist()),
                subject=x.subject,
                comparator=x.comparator,
                exposure=x.key,
                threshold=x.threshold,
                outcome=outcome_phrase(x, lag),
                needed=MIN_DAYS_PER_GROUP,
            )
        )
    # Strongest first: most convincing (q, then p), then the larger difference.
    out.sort(key=lambda f: (f.q, f.p, -abs(f.effect or 0.0), f.factor, f.lag or ""))
    return out


def _insufficient(
    exposures: list[Exposure | Absent],
    outcomes: dict[str, Outcome],
    s: int,
    e: int,
    runs_in_period: int,
) -> list[Finding]:
    out: list[Finding] = []
    for factor in FACTORS:
        mine = [x for x in exposures if x.factor == factor]
        absent = [x for x in mine if isinstance(x, Absent)]
        present = [x for x in mine if isinstance(x, Exposure)]
        if absent and not present:
            if runs_in_period == 0 and factor in RUN_FACTORS:
                message = "No runs in this period: log or import your runs so this can be tested."
            else:
                message = absent[0].message
            out.append(_short(factor, message, None))
            continue
        best: tuple[int, int] | None = None
        best_x: Exposure | None = None
        enough = False
        for x in present:
            for lag in LAGS:
                n1, n0 = _counts(x, _outcome(x, outcomes[lag]), s, e)
                if min(n1, n0) >= MIN_DAYS_PER_GROUP:
                    enough = True
                if lag == LAGS[0] and (best is None or min(n1, n0) > min(best)):
                    best, best_x = (n1, n0), x
        if enough or best is None or best_x is None:
            continue
        out.append(
            _short(
                factor,
                insufficient_summary(best_x, best[0], best[1], MIN_DAYS_PER_GROUP),
                best,
                best_x,
            )
        )
    return out


def _short(
    factor: str, summary: str, counts: tuple[int, int] | None, x: Exposure | None = None
) -> Finding:
    return Finding(
        factor=factor,
        kind="insufficient",
        effect=None,
        interval=None,
        p=None,
        q=None,
        n_exposed=None if counts is None else counts[0],
        n_unexposed=None if counts is None else counts[1],
        lag=None if counts is None else LAGS[0],
        summary=summary,
        subject="" if x is None else x.subject,
        comparator="" if x is None else x.comparator,
        exposure="" if x is None else x.key,
        threshold=None if x is None else x.threshold,
        outcome="" if x is None else outcome_phrase(x, LAGS[0]),
        needed=None if counts is None else MIN_DAYS_PER_GROUP,
    )


NOTHING_LOGGED = (
    "Nothing logged yet: log your pain each morning on waking (0 when you have none) "
    "and your runs, and patterns will show here after a few weeks."
)


def _empty(
    permutations: int, message: str, period: tuple[date, date] | tuple[None, None] = (None, None)
) -> Analysis:
    tl = Timeline(date(1970, 1, 1), 0)
    empty = np.zeros(0)
    runs = build_runs((), tl)
    load = build_load(runs, tl)
    return Analysis(
        period_from=period[0],
        period_to=period[1],
        findings=(Finding("pain", "insufficient", None, None, None, None, 0, None, None, message),),
        series=PeriodSeries((), empty, empty, empty, empty, empty, empty == 0, empty, empty, empty),
        weekly=build_weekly(tl, 0, 0, load, runs, empty),
        load_unit=load.unit,
        permutations=permutations,
    )
