"""`analyze` on 10 years of demo data (about 2,000 runs, 5,000 pain entries).

Target (issue 6): at most 1 s end to end. This measures the analysis alone on data
already in memory (the median of several runs, default 2000 permutations); the time to
read the same rows from SQLite is to be measured beside it once the store can hold runs.
Exits 1 when the target is missed.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date

TARGET_S = 1.0
REPEATS = 7


def main() -> int:
    from backstride.core.analysis import DEFAULT_PERMUTATIONS, analyze
    from backstride.core.demo import generate_demo

    t0 = time.perf_counter()
    data = generate_demo(3650, seed=0, end=date(2025, 12, 31))
    generated = time.perf_counter() - t0
    print(
        f"demo data: {len(data.runs)} runs, {len(data.pain)} pain entries, "
        f"{len(data.habits)} habit days, generated in {generated * 1000:.0f} ms"
    )
    analyze(data)  # warm-up: first-call imports and allocations
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        result = analyze(data)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(
        f"analyze, 10 years, {DEFAULT_PERMUTATIONS} permutations: median {median * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; {len(result.findings)} "
        f"findings) - target {TARGET_S * 1000:.0f} ms"
    )
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
