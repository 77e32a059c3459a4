"""`analyze` on 10 and 20 years of demo data (about 2,000 and 4,000 runs).

Targets (issues 6 and 12): at most 1 s end to end for 10 years; peak memory of the whole
command at most 100 MiB for 20 years (the permutation sums are built in chunks, never as
whole permutations x days matrices); the analysis at most 8 times the time of reading the
same rows from SQLite, at 10 and at 20 years. Figures, each the median of several runs:
- `backstride analyze` end to end: a fresh process (interpreter start, imports, opening
  the data file, reading every row, the analysis with 2000 permutations, printing), and
  its peak resident memory (ru_maxrss);
- reading the same rows from SQLite only (`load_dataset`, in this process);
- the analysis alone on data already in memory.
Exits 1 when a target is missed.

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

TARGET_S = 1.0  # 10 years end to end
TARGET_MIB = 100.0  # 20 years, peak resident memory of the command
TARGET_RATIO = 8.0  # the analysis against reading the same rows
REPEATS = 5
CLI_REPEATS = 5
YEARS = (10, 20)
END = date(2025, 12, 31)
# Runs the command in this interpreter and reports its peak resident memory (KiB on Linux).
PEAK = (
    "import resource, sys\n"
    "from backstride.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _figures(times: list[float]) -> str:
    return f"median {_ms(statistics.median(times))} (min {_ms(min(times))}, max {_ms(max(times))})"


def main() -> int:
    failed = []
    for years in YEARS:
        failed += _bench(years)
    if failed:
        print("missed: " + "; ".join(failed))
    return 1 if failed else 0


def _bench(years: int) -> list[str]:
    from backstride.core.analysis import DEFAULT_PERMUTATIONS, analyze
    from backstride.core.demo import generate_demo
    from backstride.store.database import open_store
    from backstride.store.dataset import load_dataset
    from backstride.store.demo import fill_demo

    failed = []
    t0 = time.perf_counter()
    data = generate_demo(years * 365, seed=0, end=END)
    generated = time.perf_counter() - t0
    print(
        f"{years} years of demo data: {len(data.runs)} runs, {len(data.pain)} pain entries, "
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
        read = statistics.median(reads)
        print(f"  read the same rows from SQLite (open + load_dataset): {_figures(reads)}")

        # The analysis alone, on data in memory.
        analyze(stored)  # warm-up: first-call imports and allocations
        alone = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            result = analyze(stored)
            alone.append(time.perf_counter() - t0)
        ratio = statistics.median(alone) / read
        print(
            f"  analyze alone, {DEFAULT_PERMUTATIONS} permutations: {_figures(alone)} "
            f"({len(result.findings)} findings), {ratio:.1f} x reading - target "
            f"{TARGET_RATIO:g} x"
        )
        if ratio > TARGET_RATIO:
            failed.append(f"{years} years: analysis {ratio:.1f} x reading")

        # End to end: what a user waits for at the command line, and its peak memory.
        argv = ["--data-dir", str(folder), "analyze"]
        command = [sys.executable, "-c", PEAK, *argv]
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        subprocess.run(command, check=True, capture_output=True, env=env)  # warm the disk cache
        ends, peaks = [], []
        for _ in range(CLI_REPEATS):
            t0 = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            ends.append(time.perf_counter() - t0)
            if done.returncode != 0:
                print(f"backstride analyze failed: {done.stderr.strip()}")
                return [f"{years} years: analyze failed"]
            peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
        median = statistics.median(ends)
        peak = max(peaks)
        line = f"  backstride analyze end to end (fresh process): {_figures(ends)}"
        if years == 10:
            line += f" - target {_ms(TARGET_S)}"
            if median > TARGET_S:
                failed.append(f"10 years end to end {_ms(median)}")
        print(line + f"; {median / read:.1f} x reading")
        line = f"  peak resident memory of the command: {peak:.0f} MiB"
        if years == 20:
            line += f" - target {TARGET_MIB:g} MiB"
            if peak > TARGET_MIB:
                failed.append(f"20 years {peak:.0f} MiB")
        print(line)
    return failed


if __name__ == "__main__":
    sys.exit(main())
