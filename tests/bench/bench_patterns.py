"""Honest patterns (issue 12): false-pattern rates, power and alert rates on simulated runners.

The runners are tests/sim/runners.py (steady null, reverse causation, natural recovery,
seasonal, weeks-long autocorrelation, sparse logging; planted descent, warm-up and core
effects of 1 and 2 points; a planted sustained worsening). Every figure is a rate over
many runners, with the analysis exactly as the app runs it (2000 permutations). Targets:

- runner-level false-pattern rate (any association at q < 0.1) <= 10 % in each null
  scenario at 120 and 365 days (100 runners each; 60 days is quoted too);
- power for a planted 2-point descent or warm-up effect >= 85 % at 120 days and >= 95 %
  at 365 (40 runners each), and what allowing for the morning before the run cost;
- each alert current for <= 5 % of steady runners over 120 days, any alert <= 10 %;
  a planted sustained 3-point worsening over 2 weeks alerted in >= 90 %.
Exits 1 when any target is missed; the figures are printed either way.

Run: .venv/bin/python tests/bench/bench_patterns.py (about a minute)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.sim

from tests.sim.runners import SCENARIOS, simulate

from backstride.core.analysis import (
    ALERT_ORDER,
    Analysis,
    analyze,
    engine,
)
from backstride.core.analysis.outcomes import Outcome

NULL_RUNNERS = {60: 40, 120: 100, 365: 100}
POWER_RUNNERS = 40
ALERT_RUNNERS = 100
WORSENING_RUNNERS = 60
ALERT_PERMUTATIONS = 99  # alerts do not depend on the permutation tests
FALSE_PATTERN_TARGET = 0.10
POWER_TARGET = {120: 0.85, 365: 0.95}
EACH_ALERT_TARGET = 0.05
ANY_ALERT_TARGET = 0.10
WORSENING_TARGET = 0.90
POWER_SEED = 1000  # planted runners use other seeds than the null ones


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


def main() -> int:
    missed: list[str] = []
    t0 = time.perf_counter()

    print("False-pattern rate: runners with any association at q < 0.1, nothing planted")
    for days, n in NULL_RUNNERS.items():
        for scenario in SCENARIOS:
            found: Counter[str] = Counter()
            hits = 0
            for seed in range(n):
                patterns = analyze(simulate(scenario, days, seed)).patterns
                hits += bool(patterns)
                found.update({f.factor for f in patterns})
            common = ", ".join(f"{k} {v}" for k, v in found.most_common(3))
            verdict = ""
            if days in POWER_TARGET:
                ok = hits / n <= FALSE_PATTERN_TARGET
                verdict = "ok" if ok else "MISSED (target <= 10 %)"
                if not ok:
                    missed.append(f"false patterns {scenario} {days} d")
            print(f"  {days:>3} days  {scenario:<15} {_rate(hits, n):>12}  {verdict:<24} {common}")

    print("\nPower: runners whose planted effect is found (q < 0.1, pain higher)")
    build = engine.build_outcomes
    for effect in ("descent", "warmup", "core"):
        for size in (1.0, 2.0):
            for days in POWER_TARGET:
                n = POWER_RUNNERS
                seeds = range(POWER_SEED, POWER_SEED + n)
                data = [simulate("steady", days, s, effect=effect, size=size) for s in seeds]
                hits = sum(_found(analyze(d), effect) for d in data)
                line = f"  {effect:<8} {size:g} point{'s' if size != 1 else ''}, {days:>3} days: "
                line += f"{_rate(hits, n):>12}"
                if size == 2.0 and effect != "core":
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

    print("\nAlerts on steady runners over 120 days (current: evidence in the last 14 days)")
    n = ALERT_RUNNERS
    current: Counter[str] = Counter()
    ever: Counter[str] = Counter()
    any_current = any_ever = 0
    for seed in range(n):
        alerts = analyze(simulate("steady", 120, seed), permutations=ALERT_PERMUTATIONS)
        found = alerts.of_kind("alert")
        current.update(f.factor for f in found if f.current)
        ever.update(f.factor for f in found)
        any_current += any(f.current for f in found)
        any_ever += bool(found)
    for factor in ALERT_ORDER:
        ok = current[factor] / n <= EACH_ALERT_TARGET
        if not ok:
            missed.append(f"alert {factor}")
        print(
            f"  {factor:<17} current {_rate(current[factor], n):>12}  "
            f"{'ok' if ok else 'MISSED (target <= 5 %)':<22} raised at any time "
            f"{_rate(ever[factor], n)}"
        )
    ok = any_current / n <= ANY_ALERT_TARGET
    if not ok:
        missed.append("any alert")
    print(
        f"  {'any alert':<17} current {_rate(any_current, n):>12}  "
        f"{'ok' if ok else 'MISSED (target <= 10 %)':<22} raised at any time {_rate(any_ever, n)}"
    )
    n = WORSENING_RUNNERS
    hits = 0
    for seed in range(n):
        a = analyze(simulate("steady", 120, seed, worsening=3.0), permutations=ALERT_PERMUTATIONS)
        hits += any(f.factor == "pain_worsening" and f.current for f in a.of_kind("alert"))
    ok = hits / n >= WORSENING_TARGET
    if not ok:
        missed.append("worsening alerted")
    print(
        f"  planted 3-point worsening over 2 weeks alerted: {_rate(hits, n)}  "
        f"{'ok' if ok else 'MISSED (target >= 90 %)'}"
    )
    print(f"\n{time.perf_counter() - t0:.0f} s")
    if missed:
        print("missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
