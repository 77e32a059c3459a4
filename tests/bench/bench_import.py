"""Importing 200 copies of a real FIT run against fitdecode alone reading the same files.

Both are measured in the same run, file by file in turn (fitdecode, then our import of
the same copy), so both see the same machine state. Our import is the whole path a user's
import takes (`import_activity_files` into a temporary store): hash, decode, split into
sessions, all track metrics and the 10-s profile, the duplicate check and the save. The
copies are identical, so the first is saved and the other 199 are found to be duplicates,
after being read in full like any file.
Targets (issue 4): at most 1.3x fitdecode's time; peak memory (max RSS) grows by at most
50 MB over the batch.

Run: .venv/bin/python tests/bench/bench_import.py
"""

from __future__ import annotations

import gc
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import fitdecode

from backstride.importing import ImportSummary, import_activity_files
from backstride.store.database import open_store

COPIES = 200
TIME_TARGET = 1.3
MEMORY_TARGET_MB = 50.0
SOURCE = Path(__file__).resolve().parents[1] / "data" / "fit" / "activity-small-fenix2-run.fit"


def max_rss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def fitdecode_alone(path: Path) -> int:
    frames = 0
    with fitdecode.FitReader(str(path)) as fit:
        for _ in fit:
            frames += 1
    return frames


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i in range(COPIES):
            copy = Path(folder) / f"run-{i:03d}.fit"
            shutil.copyfile(SOURCE, copy)
            paths.append(copy)
        store = open_store(Path(folder) / "data")
        # Warm up both (imports, caches) on one extra copy, outside the measurement.
        fitdecode_alone(paths[0])
        import_activity_files(open_store(Path(folder) / "warm-up"), [paths[0]])
        gc.collect()

        summaries: list[ImportSummary] = []
        base_s = ours_s = 0.0
        rss_before = max_rss_mb()
        for path in paths:
            t0 = time.perf_counter()
            fitdecode_alone(path)
            t1 = time.perf_counter()
            summaries.append(import_activity_files(store, [path]))
            t2 = time.perf_counter()
            base_s += t1 - t0
            ours_s += t2 - t1
        growth_mb = max_rss_mb() - rss_before
        store.close()

    statuses = [o.status for s in summaries for o in s.outcomes]
    ratio = ours_s / base_s
    print(f"files: {COPIES} copies of {SOURCE.name} ({SOURCE.stat().st_size / 1024:.0f} KB)")
    print(f"fitdecode alone:  {base_s:7.2f} s  ({1000 * base_s / COPIES:6.1f} ms per file)")
    print(f"backstride import:{ours_s:7.2f} s  ({1000 * ours_s / COPIES:6.1f} ms per file)")
    print(f"ratio: {ratio:.2f}x (target <= {TIME_TARGET}x)")
    print(f"peak memory growth: {growth_mb:.1f} MB (target <= {MEMORY_TARGET_MB:.0f} MB)")
    print(
        f"outcomes: {statuses.count('imported')} imported, {statuses.count('duplicate')} duplicate"
    )
    ok = (
        ratio <= TIME_TARGET
        and growth_mb <= MEMORY_TARGET_MB
        and statuses.count("imported") == 1
        and statuses.count("duplicate") == COPIES - 1
    )
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
