"""Backups and durability on a 10-year demo runner (issue 9).

- A backup of the 10-year database: time (median of 5) and size against the data file.
- Start-up with the daily backup due against start-up with daily backups off, alternating
  in one run (fresh process, offscreen, to first paint; and the whole process, which waits
  for the backup before it exits). Target: first paint within 5 %.
- synchronous=FULL against NORMAL: 200 diary entries saved one transaction each.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

RUNS = 7


def make_demo(folder: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "backstride", "--data-dir", str(folder), "demo", "--days", "3650"],
        check=True,
        capture_output=True,
    )


def time_backups(folder: Path) -> tuple[float, int, int]:
    from backstride.store.backup import make_backup
    from backstride.store.database import open_store

    store = open_store(folder)
    times, size = [], 0
    try:
        for i in range(5):
            target = folder / f"bench-{i}"
            start = time.perf_counter()
            made = make_backup(store, target, "manual")
            times.append(time.perf_counter() - start)
            size = made.size
            shutil.rmtree(target)
    finally:
        store.close()
    return statistics.median(times), size, (folder / "backstride.sqlite3").stat().st_size


def start_once(folder: Path, daily: bool) -> tuple[float, float]:
    from backstride.store.settings import update_settings

    shutil.rmtree(folder / "backups", ignore_errors=True)
    update_settings(folder, daily_backup=daily)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "backstride", "--data-dir", str(folder), "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    ).stdout
    wall = (time.perf_counter() - start) * 1000
    made = list((folder / "backups").glob("*.sqlite3")) if (folder / "backups").is_dir() else []
    assert bool(made) == daily, "the daily backup did not behave as set"
    painted = float(out.split("started in ", 1)[1].split(" ms", 1)[0])
    return painted, wall


def time_writes(folder: Path, synchronous: str) -> float:
    from backstride.core.models import PainEntry
    from backstride.store.database import open_store
    from backstride.store.pain import add_pain_entry

    store = open_store(folder)
    try:
        store.conn.execute(f"PRAGMA synchronous = {synchronous}")
        start = time.perf_counter()
        for i in range(200):
            add_pain_entry(store, PainEntry(day=date(2026, 1, 1), intensity=i % 11))
        return (time.perf_counter() - start) / 200 * 1000
    finally:
        store.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        make_demo(folder)
        seconds, size, db_size = time_backups(folder)
        print(
            f"backup of a 10-year demo database: {seconds * 1000:.0f} ms (median of 5), "
            f"{size / 1e6:.1f} MB (data file {db_size / 1e6:.1f} MB)"
        )
        on: list[tuple[float, float]] = []
        off: list[tuple[float, float]] = []
        start_once(folder, True)  # warm-up
        for _ in range(RUNS):
            on.append(start_once(folder, True))
            off.append(start_once(folder, False))
        paint_on = statistics.median(p for p, _ in on)
        paint_off = statistics.median(p for p, _ in off)
        wall_on = statistics.median(w for _, w in on)
        wall_off = statistics.median(w for _, w in off)
        ratio = paint_on / paint_off
        print(
            f"start-up to first paint, daily backup due: {paint_on:.0f} ms; backups off: "
            f"{paint_off:.0f} ms; ratio {ratio:.3f} (target <= 1.05)"
        )
        print(
            f"whole process (waits for the backup before exit): {wall_on:.0f} ms vs "
            f"{wall_off:.0f} ms"
        )
        full = statistics.median(time_writes(folder, "FULL") for _ in range(3))
        normal = statistics.median(time_writes(folder, "NORMAL") for _ in range(3))
        print(f"one diary entry saved: synchronous=FULL {full:.2f} ms, NORMAL {normal:.2f} ms")
    return 0 if ratio <= 1.05 else 1


if __name__ == "__main__":
    raise SystemExit(main())
