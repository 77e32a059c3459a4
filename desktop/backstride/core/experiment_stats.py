"""The verdict of a personal experiment: effect, interval, randomisation test, plain words.

Method, chosen by simulation (`tests/bench/bench_experiments.py`: 3 pairs of 7-day phases,
AR(1) pain with entry noise, 85 % adherence): a regression of the day's pain on the arm
(on = 1, off = 0) and a linear trend, with errors that are an AR(1) wander plus day-to-day
noise, fitted by restricted maximum likelihood (REML) over a small grid of the two
correlation parameters. Pain today resembles pain yesterday, so days are not independent,
and 3 pairs say little about how slowly it drifts: so the standard error is the largest
over every correlation the data do not rule out (the 50 % likelihood region), not only the
best-fitting one. Over 400 fresh runners per case this 90 % interval covered the true
effect in 92-94 % (the README's table): calibrated, slightly on the safe side. The best fit
alone covered 83-88 %, too sure of itself; a 25 % region or a likelihood-weighted average
over the grid covered nearer 90 % but then said "helped" or "worse" by chance in 5-7.5 % of
runners with no effect, over the issue's 5 %. Phase means paired by pair (t on 2 degrees
of freedom) found little, and a plain AR(1) regression (Prais-Winsten) covered only about
80 % (bench_experiments).

The diary before the start: 3 pairs are few days to learn how pain drifts from, and a
runner has usually kept the diary before starting. When at least MIN_PRIOR_DAYS of the 30
days before the start have an outcome, the two correlation parameters and the noise
variance are fitted by REML on those days and the experiment's jointly, as one AR(1)-plus-
noise series (the pre-start days have a level of their own, so a change in level at the
start is not read as the change's effect, and no arm or trend); the effect and its standard
error then come from the experiment days alone at those parameters, the standard error
again the largest over the likelihood region (here the 63 % region, PRIOR_REGION_DROP: the
50 % one said "helped" or "worse" by chance in 5.2 % of selection runners at AR 0.6). Over
400 fresh runners per case (3 pairs of 7 days) a planted 2-point benefit was found in
58.5 % / 45.8 % at AR 0.9 / 0.6 (52.5 % / 43.8 % from the experiment days alone), with no
effect "helped" or "worse" in 2.5 % / 2.2 %, and the 90 % interval covered in 92-94.5 %.
With fewer pre-start days, the experiment days alone, as above.

The randomisation test recomputes the same estimate for every order the design could have
produced (each pair on-off or off-on: 2^pairs orders, the baseline fixed), so under "the
change does nothing" its p-value is exactly uniform over those orders. With 3 pairs the
smallest two-sided p is 2/8 = 0.25: p is reported, and the verdict rests on the interval.

Verdicts: the rule is documented in core.experiment_result (helped or worse on the 95 %
interval, no difference on the 90 % interval within the smallest change scaled by the
adherence contrast).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import NormalDist
from typing import TYPE_CHECKING

from backstride.core.analysis.constants import INTERVAL, MIN_DAYS_PER_GROUP  # 5 days a side
from backstride.core.experiments import (
    MIC_PERCENT,
    OFF,
    ON,
    Experiment,
    ExperimentDay,
)

if TYPE_CHECKING:
    import numpy as np

DECISION = 0.95
HELPED, NO_DIFFERENCE, WORSE, UNCLEAR = "helped", "no_difference", "worse", "unclear"
# The REML grid: the wander's day-to-day correlation and its share of the variance.
GRID = tuple(
    (phi, share)
    for phi in (0.0, 0.3, 0.5, 0.65, 0.75, 0.85, 0.9, 0.95, 0.98)
    for share in ((0.0,) if phi == 0.0 else (0.25, 0.5, 0.75, 1.0))
)
# The 50 % likelihood region of the two correlation parameters: chi-square(2) 0.50 / 2.
REGION_DROP = 0.693
# With the pre-start diary: the 63 % region (chi-square(2) 0.63 / 2), chosen on the
# selection seeds (the 50 % one said "helped" or "worse" by chance in 5.2 % at AR 0.6).
PRIOR_REGION_DROP = 1.0
# Fewer pre-start outcome days than this: the correlations from the experiment days alone.
MIN_PRIOR_DAYS = 14


def t_quantile(p: float, df: int) -> float:
    """The p-quantile (p > 0.5) of Student's t with integer df (exact series, bisection)."""
    if df > 200:
        return NormalDist().inv_cdf(p)

    def central(t: float) -> float:  # P(|T| < t), Abramowitz & Stegun 26.7.3-4
        theta = math.atan(t / math.sqrt(df))
        c2, s = math.cos(theta) ** 2, math.sin(theta)
        term = total = 1.0
        if df % 2:
            for k in range(1, (df - 3) // 2 + 1):
                term *= 2 * k / (2 * k + 1) * c2
                total += term
            tail = s * math.cos(theta) * total if df > 1 else 0.0
            return 2 / math.pi * (theta + tail)
        for k in range(1, (df - 2) // 2 + 1):
            term *= (2 * k - 1) / (2 * k) * c2
            total += term
        return s * total

    lo, hi = 0.0, 1000.0
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if central(mid) < 2 * p - 1 else (lo, mid)
    return (lo + hi) / 2


@dataclass(frozen=True, slots=True)
class Estimate:
    effect: float
    se: float
    df: int

    def interval(self, level: float) -> tuple[float, float]:
        half = t_quantile(0.5 + level / 2, self.df) * self.se
        return (self.effect - half, self.effect + half)


def estimate(
    y: np.ndarray,
    x: np.ndarray,
    t: np.ndarray,
    prior: tuple[np.ndarray, np.ndarray] | None = None,
) -> Estimate | None:
    """The arm's effect by REML regression with AR(1)-plus-noise errors; its standard error
    is the largest over the correlations in the 50 % likelihood region (see the docstring).

    ``prior`` (outcomes, days relative to the first of ``t``, before it): the diary before
    the start. With at least MIN_PRIOR_DAYS of them, the correlation parameters and the
    noise variance are fitted on the pre-start and the experiment days jointly (one
    AR(1)-plus-noise series; the pre-start days with their own level and no arm), the
    effect and its standard error come from the experiment days alone at those parameters,
    the region is PRIOR_REGION_DROP's, and the t keeps the experiment's degrees of freedom
    (on the safe side)."""
    import numpy as np

    n = len(y)
    design = np.column_stack([np.ones(n), x, t - t.mean()])
    q = design.shape[1]
    if n - q < 2 or np.linalg.matrix_rank(design) < q:
        return None
    if float(np.ptp(y)) == 0.0:  # every day the same pain: nothing varies to compare
        return Estimate(0.0, 0.0, n - q)
    if prior is None or len(prior[0]) < MIN_PRIOR_DAYS:
        joint_y, joint_t, joint_design = y, t, design
    else:
        m = len(prior[0])
        joint_y = np.concatenate([prior[0], y])
        joint_t = np.concatenate([prior[1], t])
        joint_design = np.zeros((m + n, q + 1))
        joint_design[:m, q] = 1.0  # the pre-start level
        joint_design[m:, :q] = design
    big_n, big_q = joint_design.shape
    lags = np.abs(joint_t[:, None] - joint_t[None, :])
    big_eye = np.eye(big_n)
    fits = []  # (REML log-likelihood, effect, se) at each grid point
    for phi, share in GRID:
        cov = share * phi**lags + (1 - share) * big_eye + 1e-9 * big_eye
        chol = np.linalg.cholesky(cov)
        xs = np.linalg.solve(chol, joint_design)
        ys = np.linalg.solve(chol, joint_y)
        xtx = xs.T @ xs
        inv = np.linalg.inv(xtx)
        beta = inv @ xs.T @ ys
        rss = max(float(((ys - xs @ beta) ** 2).sum()), 1e-12)
        loglik = -0.5 * (
            (big_n - big_q) * math.log(rss / (big_n - big_q))
            + 2 * float(np.log(np.diag(chol)).sum())
            + float(np.linalg.slogdet(xtx)[1])
        )
        scale = rss / (big_n - big_q)
        if big_n > n:  # the effect from the experiment days alone
            chol = np.linalg.cholesky(cov[big_n - n :, big_n - n :])
            xs = np.linalg.solve(chol, design)
            inv = np.linalg.inv(xs.T @ xs)
            beta = inv @ xs.T @ np.linalg.solve(chol, y)
        fits.append((loglik, float(beta[1]), math.sqrt(scale * float(inv[1, 1]))))
    best = max(fits)
    drop = PRIOR_REGION_DROP if big_n > n else REGION_DROP
    se = max(f[2] for f in fits if f[0] >= best[0] - drop)
    return Estimate(best[1], se, n - q)


@dataclass(frozen=True, slots=True)
class Comparison:
    effect: float | None
    interval: tuple[float, float] | None  # 90 %
    decision: tuple[float, float] | None  # 95 %
    n_on: int
    n_off: int


def _compare(
    days: Sequence[ExperimentDay],
    arm_of: dict[int, float],
    prior: Sequence[tuple[date, float]] = (),
) -> Comparison:
    import numpy as np

    rows = [(d.outcome, arm_of[i], (d.day - days[0].day).days) for i, d in enumerate(days)]
    n_on = sum(1 for _, x, _ in rows if x == 1.0)
    n_off = len(rows) - n_on
    if n_on < MIN_DAYS_PER_GROUP or n_off < MIN_DAYS_PER_GROUP:
        return Comparison(None, None, None, n_on, n_off)
    y = np.array([r[0] for r in rows], dtype=float)
    x = np.array([r[1] for r in rows], dtype=float)
    t = np.array([r[2] for r in rows], dtype=float)
    before = [(value, float((day - days[0].day).days)) for day, value in prior]
    est = estimate(
        y,
        x,
        t,
        (np.array([b[0] for b in before]), np.array([b[1] for b in before])) if before else None,
    )
    if est is None:
        return Comparison(None, None, None, n_on, n_off)
    return Comparison(est.effect, est.interval(INTERVAL), est.interval(DECISION), n_on, n_off)


def analysed(days: Sequence[ExperimentDay]) -> list[ExperimentDay]:
    """The days of the primary comparison: on or off, past the wash-out, with an outcome."""
    return [d for d in days if d.arm in (ON, OFF) and not d.washout and d.outcome is not None]


def per_plan(days: Sequence[ExperimentDay], prior: Sequence[tuple[date, float]] = ()) -> Comparison:
    """On minus off by plan; ``prior``: the pre-start diary's (day, outcome), for the
    correlations (estimate)."""
    used = analysed(days)
    return _compare(used, {i: float(d.arm == ON) for i, d in enumerate(used)}, prior)


def as_done(days: Sequence[ExperimentDay], prior: Sequence[tuple[date, float]] = ()) -> Comparison:
    """Days by what was done: a day that broke the plan counts in the other arm, a day whose
    adherence is unknown is left out. Not randomised: shown beside the per-plan result."""
    used = [d for d in analysed(days) if d.kept is not None or not d.applies]
    arm = {i: float((d.arm == ON) == (d.kept is not False)) for i, d in enumerate(used)}
    return _compare(used, arm, prior)


def pairs_compared(days: Sequence[ExperimentDay]) -> list[int]:
    """The pairs with days in the comparison: the randomisation test permutes these."""
    return sorted({d.pair for d in analysed(days) if d.pair is not None})


def randomisation_p(days: Sequence[ExperimentDay]) -> float | None:
    """Two-sided p over every order of the pairs that have analysed days (exact)."""
    used = analysed(days)
    pairs = pairs_compared(days)
    observed = per_plan(days).effect
    if observed is None or not pairs:
        return None
    stats = []
    for flips in itertools.product((False, True), repeat=len(pairs)):
        flipped = {p for p, f in zip(pairs, flips, strict=True) if f}
        arm = {i: float((d.arm == ON) != (d.pair in flipped)) for i, d in enumerate(used)}
        effect = _compare(used, arm).effect
        stats.append(math.inf if effect is None else abs(effect))
    # A tolerance, so the mirror order's equal |effect| counts despite rounding.
    at_least = sum(1 for s in stats if s >= abs(observed) - 1e-9)
    return at_least / len(stats)


def smallest_change(experiment: Experiment, days: Sequence[ExperimentDay]) -> float:
    """In points: the plan's, or MIC_PERCENT of the mean pain on off days."""
    mic = experiment.plan.mic_points
    if mic is not None:
        return mic
    off = [d.outcome for d in analysed(days) if d.arm == OFF and d.outcome is not None]
    level = sum(off) / len(off) if off else 0.0
    return max(0.5, round(level * MIC_PERCENT / 100, 1))


def adherence_contrast(shares: dict[str, float | None]) -> float:
    """How much more often the change was done in "on" phases than in "off" ones: the share
    of on days kept minus the share of off days on which it was done anyway (1 - the off
    days kept). Unknown adherence counts as kept (1.0)."""
    on = shares.get(ON)
    off = shares.get(OFF)
    on = 1.0 if on is None else on
    off = 1.0 if off is None else off
    return min(1.0, max(0.0, on + off - 1.0))


def verdict(comparison: Comparison, mic: float, contrast: float = 1.0) -> str:
    """The rule (module docstring, "Verdicts"): helped or worse on the 95 % interval, no
    difference on the 90 % interval within the smallest change scaled by adherence."""
    if comparison.decision is None or comparison.interval is None:
        return UNCLEAR
    low, high = comparison.decision
    if high < 0:
        return HELPED
    if low > 0:
        return WORSE
    margin = mic * contrast
    low90, high90 = comparison.interval
    if -margin < low90 and high90 < margin:
        return NO_DIFFERENCE
    return UNCLEAR
