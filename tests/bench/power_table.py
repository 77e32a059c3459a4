"""Simulate the planner's expected-power table (core.experiment_result.EXPECTED_POWER).

For every design the planner offers (2-4 pairs of 5-14-day phases), the share of simulated
runners in whom a planted 2-point benefit is found "helped", at AR(1) correlation 0.9 and
0.6, with the app's own statistics (the pre-start diary included). 300 runners per design,
seeds 20000-20299, on every core. Prints the table to paste into experiment_result.py.

    .venv/bin/python tests/bench/power_table.py
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_experiments import PHIS, design_rate

FIRST_SEED = 20000
RUNNERS = 300
DESIGNS = [(pairs, days) for pairs in (2, 3, 4) for days in range(5, 15)]


def rates(design: tuple[int, int]) -> tuple[tuple[int, int], tuple[float, ...]]:
    pairs, days = design
    return design, tuple(design_rate(FIRST_SEED, RUNNERS, pairs, days, phi) for phi in PHIS)


def main() -> int:
    with ProcessPoolExecutor() as pool:
        table = dict(pool.map(rates, DESIGNS))
    print("EXPECTED_POWER: dict[tuple[int, int], tuple[float, float]] = {")
    for design in DESIGNS:
        cells = ", ".join(f"{rate:.2f}" for rate in table[design])
        print(f"    {design}: ({cells}),")
    print("}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
