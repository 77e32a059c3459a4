"""`analyze` on 10 years of demo data (about 2,000 runs, 5,000 pain entries).

Target (issue 6): at most 1 s end to end. Three figures, each the median of several runs:
- `backstride analyze` end to end: a fresh process (interpreter start, imports, opening
  the data file, reading every row, the analysis with 2000 permutations, printing);
- reading the same rows from SQLite only (`load_dataset`, in this process);
- the analysis alone on data already in memory.
Exits 1 when the end-to-end median misses the target.

Run: .venv/bin/python tests/bench/bench_analyze.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGET_S = 1.0
REPEATS = 7
CLI_REPEATS = 5
DAYS = 3650
END = date(2025, 12, 31)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _figures(times: list[float]) -> str:
    return f"median {_ms(statistics.median(times))} (min {_ms(min(times))}, max {_ms(max(times))})"


def main() -> int:
    from backstride.core.analysis import DEFAULT_PERMUTATIONS, analyze
    from backstride.core.demo import generate_demo
    from backstride.store.database import open_store
    from backstride.store.dataset import load_dataset
    from backstride.store.demo import fill_demo

    t0 = time.perf_counter()
    data = generate_demo(DAYS, seed=0, end=END)
    generated = time.perf_counter() - t0
    print(
        f"demo data: {len(data.runs)} runs, {len(data.pain)} pain entries, "
        f"{len(data.habits)} habit days, generated in {_ms(generated)}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(folder)
        try:
            fill_demo(store, data, "benchmark")
        finally:
            store.close()

        # Reading only: open the file and read every row the analysis needs.
        reads = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            store = open_store(folder)
            try:
                stored = load_dataset(store)
            finally:
                store.close()
            reads.append(time.perf_counter() - t0)
        print(
            f"read the same rows from SQLite (open + load_dataset: {len(stored.runs)} runs, "
            f"{len(stored.pain)} pain entries, {len(stored.habits)} habit days): "
            f"{_figures(reads)}"
        )

        # The analysis alone, on data in memory.
        analyze(stored)  # warm-up: first-call imports and allocations
        alone = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            result = analyze(stored)
            alone.append(time.perf_counter() - t0)
        print(
            f"analyze alone, {DEFAULT_PERMUTATIONS} permutations: {_figures(alone)} "
            f"({len(result.findings)} findings)"
        )

        # End to end: what a user waits for at the command line.
        command = [sys.executable, "-m", "backstride", "--data-dir", str(folder), "analyze"]
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        subprocess.run(command, check=True, capture_output=True, env=env)  # warm the disk cache
        ends = []
        for _ in range(CLI_REPEATS):
            t0 = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            ends.append(time.perf_counter() - t0)
            if done.returncode != 0:
                print(f"backstride analyze failed: {done.stderr.strip()}")
                return 1
        median = statistics.median(ends)
        print(
            f"backstride analyze, 10 years, end to end (fresh process): {_figures(ends)} "
            f"- target {_ms(TARGET_S)}; reading the rows alone is "
            f"{statistics.median(reads) / median:.0%} of it"
        )
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
