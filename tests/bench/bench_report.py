"""`backstride report` on 10 years of demo data, end to end in a fresh process.

Targets (issue 13): a 12-week report at most 1 s; a full year with the diary appendix at
most 3 s. Each figure is the median of several runs of the command (interpreter start,
imports, opening the data file, reading every row up to the period's end, the analysis,
the PDF with its embedded font, the owner-only write). Exits 1 when a target is missed.

Run: .venv/bin/python tests/bench/bench_report.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

END = date(2025, 12, 31)
YEARS = 10
REPEATS = 5
CASES = (
    ("12 weeks", ["--weeks", "12"], 1.0),
    ("52 weeks with the appendix", ["--weeks", "52", "--appendix"], 3.0),
)


def main() -> int:
    from backstride.core.demo import generate_demo
    from backstride.store.database import open_store
    from backstride.store.demo import fill_demo

    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        store = open_store(folder)
        fill_demo(store, generate_demo(YEARS * 365, seed=0, end=END), "bench")
        store.close()
        for name, extra, target in CASES:
            times = []
            for _ in range(REPEATS):
                out = Path(tmp) / "report.pdf"
                argv = ["--data-dir", str(folder), "report", "-o", str(out), "--to", str(END)]
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "backstride", *argv, *extra],
                    check=True,
                    capture_output=True,
                )
                times.append(time.perf_counter() - started)
            median = statistics.median(times)
            ok = median <= target
            missed |= not ok
            print(
                f"{name} from {YEARS} years: median {median * 1000:.0f} ms "
                f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; target "
                f"{target:g} s) {'ok' if ok else 'MISSED'}"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
