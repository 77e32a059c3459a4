"""`make bench`: personal experiments on simulated runners (issue 15), with the issue's targets.

Each case runs RUNNERS simulated runners (tests/sim/experiment_runners.py: 85 % of on days
and 95 % of off days kept, 15 % of mornings missing, AR(1) pain with entry noise, the
effect carrying over with a half-life of a day) through the real pipeline and counts the
verdicts, and how often the 90 % interval covers the runner's true per-plan effect (the
planted change averaged over the analysed on days minus the off days: with 85 % / 95 %
adherence and the carry-over, a planted 2 points is about 1.45 points per plan).

The runners kept the diary for the 30 days before the start (85 % of mornings), which the
statistics use for the day-to-day correlations; `--no-diary` runs the same runners without
it (the experiment days alone, the method before the diary was used), for comparison.

Two seed sets: `--select` runs the seeds the method and the verdict rule were chosen on;
the default runs fresh confirmation seeds, never used for choosing. The targets:

- no effect: "helped" or "worse" in at most 5 %;
- a 1-point effect: "not clear yet" more often than a false "no difference";
- the randomisation test's p uniform under no effect (exact over the 8 orders);
- the planner's expected power (core.experiment_result.EXPECTED_POWER) within 3 standard
  errors of what the runners show, for the default design and the suggested one;
- a planted 2-point benefit: "helped" in at least 80 % with the design the planner suggests
  (SUGGESTED_DESIGN). The issue asks 80 % of the default 3 pairs of 7 days too; that is out
  of reach honestly (even with the true correlation known, see the README): it is printed
  as a known shortfall and still fails the run, because the issue's target is not met.

Exits 1 when a target is missed: the figures are reported as they are, never tuned to one
seed.
"""

from __future__ import annotations

import math
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.sim

from tests.sim.experiment_runners import simulate, simulate_with_truth

from backstride.core.experiment_result import (
    EXPECTED_POWER,
    POWER_EFFECT,
    SUGGESTED_DESIGN,
    build_result,
)
from backstride.core.experiment_stats import analysed, estimate, t_quantile
from backstride.core.experiments import ON, experiment_days

RUNNERS = 400
SELECTION = 0  # the seeds the method and the rule were chosen on: 0, 1, ...
CONFIRMATION = 100_000  # fresh seeds, for the figures quoted
SIZES = (0.0, 1.0, 2.0)
PHIS = (0.9, 0.6)  # the project's runner model, and a faster-changing back
VERDICTS = ("helped", "no_difference", "worse", "unclear")
PRESTART = {"diary": True}  # --no-diary: runners without the pre-start diary


def _arrays(seed: int, size: float, phi: float) -> tuple[np.ndarray, ...]:
    experiment, log = simulate(seed, size, phi=phi, prestart=PRESTART["diary"])
    days = analysed(experiment_days(experiment, log, experiment.plan.end + timedelta(days=2)))
    y = np.array([d.outcome for d in days], dtype=float)
    x = np.array([d.arm == ON for d in days], dtype=float)
    t = np.array([(d.day - days[0].day).days for d in days], dtype=float)
    pair = np.array([d.pair for d in days])
    return y, x, t, pair


def _phase_means(y: np.ndarray, x: np.ndarray, pair: np.ndarray) -> tuple[float, float, int]:
    diffs = [
        y[(pair == k) & (x == 1)].mean() - y[(pair == k) & (x == 0)].mean()
        for k in np.unique(pair)
        if ((pair == k) & (x == 1)).any() and ((pair == k) & (x == 0)).any()
    ]
    d = np.array(diffs)
    return float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d))), len(d) - 1


def _ar1(y: np.ndarray, x: np.ndarray, t: np.ndarray) -> tuple[float, float, int]:
    design = np.column_stack([np.ones_like(y), x, t - t.mean()])
    resid = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    step = np.diff(t) == 1
    rho = float((resid[1:] * resid[:-1])[step].sum() / max((resid**2).sum() * step.mean(), 1e-9))
    rho = min(max(rho, 0.0), 0.95)
    r = rho ** np.diff(t)
    scale = np.sqrt(1 - r**2)
    ys = np.concatenate([[y[0]], (y[1:] - r * y[:-1]) / scale])
    xs = np.vstack([design[0], (design[1:] - r[:, None] * design[:-1]) / scale[:, None]])
    beta = np.linalg.lstsq(xs, ys, rcond=None)[0]
    df = len(y) - 3
    cov = ((ys - xs @ beta) ** 2).sum() / df * np.linalg.inv(xs.T @ xs)
    return float(beta[1]), math.sqrt(cov[1, 1]), df


def compare_methods(first: int, runners: int) -> None:
    print(f"method comparison, {runners} runners per case (3 pairs of 7 days)")
    for phi in PHIS:
        for name in ("phase means", "AR(1) regression", "REML, 50 % region (chosen)"):
            covered = helped = 0
            for seed in range(first, first + runners):
                for size in (0.0, 2.0):
                    y, x, t, pair = _arrays(seed, size, phi)
                    if name == "phase means":
                        effect, se, df = _phase_means(y, x, pair)
                        low90 = effect - t_quantile(0.95, df) * se
                        high90 = effect + t_quantile(0.95, df) * se
                        high95 = effect + t_quantile(0.975, df) * se
                    elif name.startswith("AR(1)"):
                        effect, se, df = _ar1(y, x, t)
                        low90 = effect - t_quantile(0.95, df) * se
                        high90 = effect + t_quantile(0.95, df) * se
                        high95 = effect + t_quantile(0.975, df) * se
                    else:
                        est = estimate(y, x, t)
                        assert est is not None
                        low90, high90 = est.interval(0.90)
                        high95 = est.interval(0.95)[1]
                    if size == 0.0:
                        covered += low90 <= 0 <= high90
                    else:
                        helped += high95 < 0
            print(
                f"  AR {phi}: {name:<28} 90 % interval covers 0 with no effect: "
                f"{covered / runners:.1%}; 2-point benefit found: {helped / runners:.1%}"
            )


def design_rate(first: int, runners: int, pairs: int, phase_days: int, phi: float) -> float:
    found = 0
    for seed in range(first, first + runners):
        experiment, log = simulate(
            seed,
            POWER_EFFECT,
            pairs=pairs,
            phase_days=phase_days,
            phi=phi,
            prestart=PRESTART["diary"],
        )
        result = build_result(experiment, log, experiment.plan.end + timedelta(days=2))
        found += result.verdict == "helped"
    return found / runners


def run_case(first: int, phi: float, size: float) -> tuple[Counter[str], float, list[float]]:
    counts: Counter[str] = Counter()
    covered = 0
    ps: list[float] = []
    for seed in range(first, first + RUNNERS):
        experiment, log, truth = simulate_with_truth(
            seed, size, phi=phi, prestart=PRESTART["diary"]
        )
        result = build_result(experiment, log, experiment.plan.end + timedelta(days=2))
        counts[result.verdict] += 1
        used = analysed(result.days)
        on = [truth[d.day] for d in used if d.arm == ON]
        off = [truth[d.day] for d in used if d.arm != ON]
        true_effect = sum(on) / len(on) - sum(off) / len(off)
        interval = result.plan_result.interval
        covered += interval is not None and interval[0] <= true_effect <= interval[1]
        if result.p is not None:
            ps.append(result.p)
    return counts, covered / RUNNERS, ps


def main(argv: list[str]) -> int:
    first = SELECTION if "--select" in argv else CONFIRMATION
    PRESTART["diary"] = "--no-diary" not in argv
    started = time.perf_counter()
    missed, short = [], []
    rates: dict[tuple[float, float], Counter[str]] = {}
    uniform: list[float] = []
    seeds = "selection" if first == SELECTION else "confirmation"
    diary = "with" if PRESTART["diary"] else "without"
    print(
        f"{seeds} seeds {first}-{first + RUNNERS - 1}, {RUNNERS} runners per case, "
        f"{diary} the pre-start diary"
    )
    print(f"{'AR':>4} {'effect':>6} " + " ".join(f"{v:>13}" for v in VERDICTS) + "  coverage")
    for phi in PHIS:
        for size in SIZES:
            counts, coverage, ps = run_case(first, phi, size)
            rates[(phi, size)] = counts
            if size == 0.0 and phi == PHIS[0]:
                uniform = ps
            cells = " ".join(f"{counts[v] / RUNNERS:>13.1%}" for v in VERDICTS)
            print(f"{phi:>4} {size:>6g} {cells}  {coverage:>8.1%}")
    for phi in PHIS:
        helped = rates[(phi, 2.0)]["helped"] / RUNNERS
        false = (rates[(phi, 0.0)]["helped"] + rates[(phi, 0.0)]["worse"]) / RUNNERS
        one = rates[(phi, 1.0)]
        print(
            f"targets, AR {phi}: helped at 2 points {helped:.1%} (issue: >= 80 %); helped or "
            f"worse with no effect {false:.1%} (<= 5 %); at 1 point not clear "
            f"{one['unclear']} vs no difference {one['no_difference']} (more)"
        )
        if helped < 0.80:
            short.append(f"AR {phi}: helped at 2 points {helped:.1%} < 80 % with 3 pairs of 7")
        if false > 0.05:
            missed.append(f"AR {phi}: helped or worse with no effect {false:.1%} > 5 %")
        if one["unclear"] <= one["no_difference"]:
            missed.append(f"AR {phi}: at 1 point, not clear yet no more often than no difference")
    values = np.array(uniform)
    for level in (0.25, 0.5, 0.75):
        share = float(np.mean(values <= level + 1e-9))
        sd = math.sqrt(level * (1 - level) / len(values))
        print(f"randomisation p <= {level}: {share:.1%} (exact: {level:.0%})")
        if abs(share - level) > 3 * sd:
            missed.append(f"p <= {level} in {share:.1%}, not {level:.0%}")
    for pairs, phase_days in sorted({(3, 7), SUGGESTED_DESIGN}):
        for phi, expected in zip(PHIS, EXPECTED_POWER[(pairs, phase_days)], strict=True):
            if (pairs, phase_days) == (3, 7):
                rate = rates[(phi, 2.0)]["helped"] / RUNNERS
            else:
                rate = design_rate(first, RUNNERS, pairs, phase_days, phi)
            sd = math.sqrt(expected * (1 - expected) / RUNNERS)
            print(
                f"{pairs} pairs of {phase_days} days, AR {phi}: 2-point benefit found "
                f"{rate:.1%}; the planner says {expected:.0%}"
            )
            if abs(rate - expected) > 3 * sd:
                missed.append(f"{pairs}x{phase_days} AR {phi}: power {rate:.1%}, table {expected}")
            if (pairs, phase_days) == SUGGESTED_DESIGN and rate < 0.80:
                missed.append(f"suggested {pairs}x{phase_days}, AR {phi}: {rate:.1%} < 80 %")
    compare_methods(first, RUNNERS // 2)
    print(f"{time.perf_counter() - started:.0f} s")
    for line in short:
        print(f"known shortfall (README, Experiments): {line}")
    for line in missed:
        print(f"missed target: {line}")
    return 1 if missed or short else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
