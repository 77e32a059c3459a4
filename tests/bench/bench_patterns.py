"""Honest patterns (issue 12): false-pattern rates, power and alert rates on simulated runners.

The runners are tests/sim/runners.py (steady null, reverse causation, natural recovery,
seasonal, weeks-long autocorrelation, sparse logging; planted descent, warm-up and core
effects of 1 and 2 points; a planted sustained worsening). Every figure is a rate over
many runners, with the analysis exactly as the app runs it (2000 permutations). Targets:

- runner-level false-pattern rate (any association at q < 0.1) <= 10 % in each null
  scenario at 120 and 365 days (200 runners each; 60 days is quoted too);
- power for a planted 2-point descent or warm-up effect >= 85 % at 120 days and >= 95 %
  at 365 (40 runners each), and what allowing for the morning before the run cost;
- each alert current for <= 5 % of steady runners over 120 days, any alert <= 10 %;
  a planted sustained 3-point worsening over 2 weeks alerted in >= 90 % (current at the
  end of the period; worsening_bound prints what the best test could do on these runners).

Seeds: the methods were chosen on seeds 0-299 (``--seeds 0``); the default is a fresh
set (5000 onwards), so the figures quoted are a confirmation, not the fit. Under the
complete null Benjamini-Hochberg at q < 0.1 lets through up to 10 % of runners by design
(exactly 10 % for independent tests), so the false-pattern target sits at the method's
nominal level: 200 runners give a standard error of about 2 points, 40 about 5.

Exits 1 when any target is missed; the figures are printed either way.

Run: .venv/bin/python tests/bench/bench_patterns.py [--seeds N] [--quick]
(about 2 minutes; --quick: a quarter of the runners, for exploring)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.sim

import numpy as np
from tests.sim.runners import (
    NOISE_SD,
    SCENARIOS,
    WANDER_PHI,
    WORSENING_END_BEFORE,
    WORSENING_RAMP_DAYS,
    simulate,
)

import backstride.core.analysis.alerts as alert_rules
from backstride.core.analysis import (
    ALERT_ORDER,
    Analysis,
    analyze,
    engine,
)
from backstride.core.analysis.outcomes import Outcome

DAYS = (60, 120, 365)
NULL_RUNNERS = {60: 100, 120: 200, 365: 200}
POWER_RUNNERS = 40
WORSENING_RUNNERS = 200
ALERT_PERMUTATIONS = 99  # alerts do not depend on the permutation tests
FALSE_PATTERN_TARGET = 0.10
POWER_TARGET = {120: 0.85, 365: 0.95}
EACH_ALERT_TARGET = 0.05
ANY_ALERT_TARGET = 0.10
WORSENING_TARGET = 0.90
CONFIRMATION_SEEDS = 5000  # the methods were chosen on seeds 0-299
POWER_OFFSET = 1000  # planted runners use other seeds than the null ones
TRADE_OFF_SDS = (1.25, 1.5, 1.75, 2.0, 2.5)  # the worsening threshold's trade-off curve
BOUND_RUNS = 10000  # simulated diaries for the oracle bound


def _rate(hits: int, n: int) -> str:
    return f"{hits}/{n} = {hits / n:.0%}"


def _found(a: Analysis, factor: str) -> bool:
    """The planted factor shows as a pattern in the planted direction (pain higher)."""
    return any(f.factor == factor and (f.effect or 0.0) > 0 for f in a.patterns)


def _unadjusted(build: Callable[..., dict[str, Outcome]]) -> Callable[..., dict[str, Outcome]]:
    """The same outcomes without allowing for the morning before the run (for its cost)."""

    def outcomes(*args: object) -> dict[str, Outcome]:
        return {lag: Outcome(lag, o.detrended, o.detrended) for lag, o in build(*args).items()}

    return outcomes


def _least_q(a: Analysis, factor: str | None = None) -> float:
    """The smallest q of the associations (of ``factor`` in the planted direction)."""
    qs = [
        f.q
        for f in a.of_kind("association")
        if f.q is not None and (factor is None or (f.factor == factor and (f.effect or 0.0) > 0))
    ]
    return min(qs, default=1.0)


def _current(a: Analysis) -> set[str]:
    return {f.factor for f in a.of_kind("alert") if f.current}


def _shape(onset: int, length: int) -> np.ndarray:
    """The planted worsening per point: ramping from ``onset`` over the ramp days, then in full."""
    ramp = (np.arange(length) - onset) / WORSENING_RAMP_DAYS
    out: np.ndarray = np.clip(ramp, 0.0, 1.0)
    return out


def worsening_bound(days: int, size: float = 3.0, alpha: float = 0.05) -> tuple[float, float]:
    """The best any detector can do on the steady runner's pain, under the simulator's own
    model with its parameters known (AR(1) wander, entry noise plus rounding, Gaussian), on
    a diary more complete than the simulated one (both entries every day), the runner's
    level unknown (estimated with the rest, as generalised least squares does).

    Returns the detection rate at ``alpha`` false alerts of (1) the Neyman-Pearson test that
    also knows when the worsening began, the most powerful there is, and (2) the
    likelihood-ratio scan that does not (every onset and plateau of 0-21 days) and, like the
    alert, counts it current when it fires on any of the last CURRENT_DAYS days, each day
    seeing only the diary up to it."""
    current_days = 14
    rng = np.random.default_rng(12)
    t = np.arange(days)
    wander = WANDER_PHI ** np.abs(t[:, None] - t[None, :])
    noise = (NOISE_SD**2 + 1.0 / 12.0) / 2.0  # the day's two entries averaged
    lower = np.linalg.cholesky(wander)
    onset = days - WORSENING_END_BEFORE - WORSENING_RAMP_DAYS
    null = rng.standard_normal((BOUND_RUNS, days)) @ lower.T
    null += np.sqrt(noise) * rng.standard_normal((BOUND_RUNS, days))
    worse = rng.standard_normal((BOUND_RUNS, days)) @ lower.T
    worse += np.sqrt(noise) * rng.standard_normal((BOUND_RUNS, days))
    worse += size * _shape(onset, days)
    scan0 = np.full(BOUND_RUNS, -np.inf)
    scan1 = np.full(BOUND_RUNS, -np.inf)
    known0 = known1 = np.zeros(BOUND_RUNS)
    for last in range(days - current_days, days):
        n = last + 1
        inverse = np.linalg.inv(wander[:n, :n] + noise * np.eye(n))
        ones = inverse.sum(axis=0)
        gls = inverse - np.outer(ones, ones) / ones.sum()  # the level unknown
        plateaus = range(0, 22)
        shapes = np.stack([_shape(last - WORSENING_RAMP_DAYS + 1 - p, n) for p in plateaus], 1)
        weights = gls @ shapes
        weights /= np.sqrt((shapes * weights).sum(axis=0))
        z0, z1 = null[:, :n] @ weights, worse[:, :n] @ weights
        scan0, scan1 = np.maximum(scan0, z0.max(axis=1)), np.maximum(scan1, z1.max(axis=1))
        if last == days - 1:
            truth = plateaus.index(WORSENING_END_BEFORE)
            known0, known1 = z0[:, truth], z1[:, truth]
    return (
        float(np.mean(known1 > np.quantile(known0, 1 - alpha))),
        float(np.mean(scan1 > np.quantile(scan0, 1 - alpha))),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=CONFIRMATION_SEEDS, help="first seed")
    parser.add_argument("--quick", action="store_true", help="a quarter of the runners")
    args = parser.parse_args()
    first = args.seeds
    scale = 4 if args.quick else 1
    missed: list[str] = []
    null_q: list[float] = []  # the least q of each null runner at 120 and 365 days
    power_q: list[float] = []  # the planted factor's least q, 2 points, 120 days
    t0 = time.perf_counter()
    kind = "the seeds the methods were chosen on" if first < 300 else "fresh: a confirmation"
    print(f"Seeds from {first} ({kind})")

    print(
        "\nNull runners: any association at q < 0.1; alerts current (evidence in the last 14 days)"
    )
    print(
        f"  {'':>9} {'scenario':<15} {'false patterns':>14}  {'verdict':<10} {'tests p<.05':>11} "
        + " ".join(f"{a[:12]:>12}" for a in ALERT_ORDER)
        + f" {'any alert':>10}  most common factors"
    )
    for days in DAYS:
        n = NULL_RUNNERS[days] // scale
        for scenario in SCENARIOS:
            found: Counter[str] = Counter()
            fired: Counter[str] = Counter()
            hits = any_alert = tests = small = 0
            for seed in range(first, first + n):
                a = analyze(simulate(scenario, days, seed))
                hits += bool(a.patterns)
                tested = a.of_kind("association")
                tests += len(tested)
                small += sum((f.p or 1.0) < 0.05 for f in tested)
                if days in POWER_TARGET:
                    null_q.append(_least_q(a))
                found.update({f.factor for f in a.patterns})
                current = _current(a)
                fired.update(current)
                any_alert += bool(current)
            common = ", ".join(f"{k} {v}" for k, v in found.most_common(3))
            verdict = ""
            if days in POWER_TARGET:
                ok = hits / n <= FALSE_PATTERN_TARGET
                verdict = "ok" if ok else "MISSED"
                if not ok:
                    missed.append(f"false patterns {scenario} {days} d")
            if scenario == "steady" and days == 120:
                for factor in ALERT_ORDER:
                    if fired[factor] / n > EACH_ALERT_TARGET:
                        missed.append(f"alert {factor} ({_rate(fired[factor], n)})")
                if any_alert / n > ANY_ALERT_TARGET:
                    missed.append(f"any alert ({_rate(any_alert, n)})")
            cells = " ".join(f"{fired[f] / n:>12.1%}" for f in ALERT_ORDER)
            print(
                f"  {days:>4} days {scenario:<15} {_rate(hits, n):>14}  {verdict:<10} "
                f"{small / max(tests, 1):>11.1%} {cells} "
                f"{any_alert / n:>10.1%}  {common}"
            )
    print(
        "  targets at 120 and 365 days: false patterns <= 10 %; "
        "steady, 120 days: each alert <= 5 %, any <= 10 %"
    )
    pooled = sum(q < 0.1 for q in null_q)
    print(
        f"  pooled over the null scenarios at 120 and 365 days: {_rate(pooled, len(null_q))}; "
        "one cell of 200 runners has a standard error of about 2 points at 10 %, and "
        "'tests p<.05' (5 % expected) shows each test's own calibration"
    )

    print("\nPower: runners whose planted effect is found (q < 0.1, pain higher)")
    build = engine.build_outcomes
    n = POWER_RUNNERS // scale
    seeds = range(first + POWER_OFFSET, first + POWER_OFFSET + n)
    for effect in ("descent", "warmup", "core"):
        for size in (1.0, 2.0):
            for days in DAYS:
                data = [simulate("steady", days, s, effect=effect, size=size) for s in seeds]
                found_in = [analyze(d) for d in data]
                hits = sum(_found(a, effect) for a in found_in)
                if size == 2.0 and days == 120 and effect != "core":
                    power_q += [_least_q(a, effect) for a in found_in]
                line = f"  {effect:<8} {size:g} point{'s' if size != 1 else ' '}, {days:>3} days: "
                line += f"{_rate(hits, n):>12}"
                if size == 2.0 and effect != "core":
                    if days in POWER_TARGET:
                        ok = hits / n >= POWER_TARGET[days]
                        line += "  ok" if ok else f"  MISSED (target >= {POWER_TARGET[days]:.0%})"
                        if not ok:
                            missed.append(f"power {effect} {days} d")
                    engine.build_outcomes = _unadjusted(build)
                    try:
                        plain = sum(_found(analyze(d), effect) for d in data)
                    finally:
                        engine.build_outcomes = build
                    line += f"; without allowing for the morning before: {_rate(plain, n)}"
                print(line)

    print(
        "\nTrade-off of the pattern threshold (the app uses q < 0.1): null runners of every"
        " scenario at 120 and 365 days with any association below it, and 2-point descent"
        " and warm-up effects found at 120 days"
    )
    for cut in (0.1, 0.08, 0.05, 0.02):
        nulls = sum(q < cut for q in null_q)
        found_at = sum(q < cut for q in power_q)
        print(
            f"  q < {cut:<4g}: false patterns {_rate(nulls, len(null_q)):>15}, "
            f"power {_rate(found_at, len(power_q))}"
        )

    print("\nPlanted sustained 3-point worsening over 2 weeks: pain_worsening current")
    n = WORSENING_RUNNERS // scale
    chosen = alert_rules.TYPICAL_SDS
    for days in DAYS:
        hits = 0
        for seed in range(first, first + n):
            a = analyze(
                simulate("steady", days, seed, worsening=3.0), permutations=ALERT_PERMUTATIONS
            )
            hits += "pain_worsening" in _current(a)
        line = f"  {days:>3} days: {_rate(hits, n)}"
        if days == 120:
            ok = hits / n >= WORSENING_TARGET
            line += "  ok" if ok else "  MISSED (target >= 90 %; the bound is below)"
            if not ok:
                missed.append(f"worsening alerted ({_rate(hits, n)})")
        print(line)
    print(
        "  at 5 % false alerts with the simulator's model known (worsening_bound): the "
        "Neyman-Pearson test that knows when it began (no test does better) / the "
        "likelihood-ratio scan that does not, current for 14 days"
    )
    for days in DAYS:
        known, scan = worsening_bound(days)
        print(f"    {days:>3} days: {known:.1%} / {scan:.1%}")
    print(f"  trade-off over 120 days (threshold in the runner's typical SDs; chosen {chosen:g}):")
    n = NULL_RUNNERS[120] // scale
    try:
        for sds in TRADE_OFF_SDS:
            alert_rules.TYPICAL_SDS = sds
            null = sum(
                "pain_worsening"
                in _current(analyze(simulate("steady", 120, s), permutations=ALERT_PERMUTATIONS))
                for s in range(first, first + n)
            )
            planted = sum(
                "pain_worsening"
                in _current(
                    analyze(
                        simulate("steady", 120, s, worsening=3.0), permutations=ALERT_PERMUTATIONS
                    )
                )
                for s in range(first, first + n)
            )
            print(
                f"    {sds:>4g} SDs: steady runners {_rate(null, n):>13}, "
                f"planted worsening {_rate(planted, n)}"
            )
    finally:
        alert_rules.TYPICAL_SDS = chosen
    print(f"\n{time.perf_counter() - t0:.0f} s")
    if missed:
        print("missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
