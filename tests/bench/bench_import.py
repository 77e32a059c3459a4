"""A whole running history: 2,000 distinct one-hour FIT runs imported end to end.

The runs are generated (`fitgen`: each its own start, route, pace and heart rate, a
record every second, the watch's session totals), so every one is saved: the whole path
a user's import takes (`import_activity_files` into a fresh store: hash, decode, split
into sessions, the track metrics and the 10-s profile, the duplicate check, the save).
It is timed with one worker (everything in one process) and with one per core, each in
a fresh process so its peak memory is its own, and compared with fitdecode alone
decoding the same files on one core as the importer calls it (`processor=None`). That
baseline is measured on every 10th file, half before and half after the imports, so a
busy machine weighs on both alike; its time for all the files is the per-file mean x N.

Targets (issue 16): the 2,000 files in at most 60 s on this machine's cores, at most 0.25x
fitdecode's time, a peak of at most 300 MB in the importing process, and flat memory (the
second half of the batch adds at most 20 MB).

Run: .venv/bin/python tests/bench/bench_import.py [files]
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fitdecode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.fitgen import run_fit  # noqa: E402

FILES = 2000
BASELINE_EVERY = 10
TIME_TARGET_S = 60.0
RATIO_TARGET = 0.25
MEMORY_TARGET_MB = 300.0
GROWTH_TARGET_MB = 20.0


def rss_mb() -> float:
    """This process's resident memory now (Linux), else its peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1024**2
    except OSError:
        return peak_mb(resource.RUSAGE_SELF)


def peak_mb(who: int) -> float:
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024**2  # kB on Linux, bytes on macOS
    return resource.getrusage(who).ru_maxrss * scale


def fitdecode_alone(path: Path) -> None:
    reader = fitdecode.FitReader(
        path.read_bytes(),
        processor=None,
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    for _ in reader:
        pass
    reader.close()


def child(folder: Path, workers: int) -> None:
    """One import in this fresh process; prints its figures as JSON."""
    from backstride.importing import import_activity_files
    from backstride.store.database import open_store

    paths = sorted((folder / "runs").glob("*.fit"))
    store = open_store(folder / f"data-{workers}")
    marks: dict[int, float] = {}

    def progress(done: int, total: int, label: str) -> None:
        if done in (total // 2, total):
            marks[done] = rss_mb()

    start = time.perf_counter()
    summary = import_activity_files(store, paths, progress, workers=workers)
    seconds = time.perf_counter() - start
    store.close()
    half, end = marks[len(paths) // 2], marks[len(paths)]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "imported": summary.count("imported"),
                "failed": summary.count("failed"),
                "peak_mb": peak_mb(resource.RUSAGE_SELF),
                "worker_peak_mb": peak_mb(resource.RUSAGE_CHILDREN),
                "growth_mb": end - half,
            }
        )
    )


def run_child(folder: Path, workers: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(folder), str(workers)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main(count: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = folder / "runs"
        runs.mkdir()
        t0 = time.perf_counter()
        for i in range(count):
            (runs / f"run-{i:05d}.fit").write_bytes(run_fit(i)[0])
        paths = sorted(runs.glob("*.fit"))
        size_kb = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        print(
            f"generated {count} one-hour FIT runs ({size_kb:.0f} KB each) in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        sample = paths[::BASELINE_EVERY]
        half = len(sample) // 2
        fitdecode_alone(sample[0])  # imports and caches warm, outside the measurement

        base_s = 0.0
        t1 = time.perf_counter()
        for path in sample[:half]:
            fitdecode_alone(path)
        base_s += time.perf_counter() - t1
        one = run_child(folder, 1)
        every = run_child(folder, cores)
        t2 = time.perf_counter()
        for path in sample[half:]:
            fitdecode_alone(path)
        base_s += time.perf_counter() - t2

    base_all_s = base_s / len(sample) * count
    print(
        f"fitdecode alone, 1 core: {1000 * base_s / len(sample):6.1f} ms per file "
        f"(on {len(sample)} of the files) = {base_all_s:6.1f} s for all {count}"
    )
    ok = True
    for name, result in (("import, 1 worker", one), (f"import, {cores} workers", every)):
        ratio = result["seconds"] / base_all_s
        print(
            f"{name:18s}: {result['seconds']:6.1f} s = {count / result['seconds']:5.1f} files/s, "
            f"{ratio:.2f}x fitdecode; {result['imported']:.0f} imported, "
            f"{result['failed']:.0f} failed; peak {result['peak_mb']:.0f} MB "
            f"(largest worker {result['worker_peak_mb']:.0f} MB), "
            f"second half +{result['growth_mb']:.1f} MB"
        )
        ok = ok and result["imported"] == count and result["failed"] == 0
        ok = ok and result["peak_mb"] <= MEMORY_TARGET_MB
        ok = ok and result["growth_mb"] <= GROWTH_TARGET_MB
    scale = count / FILES
    ok = ok and every["seconds"] <= TIME_TARGET_S * scale
    ok = ok and every["seconds"] / base_all_s <= RATIO_TARGET
    print(
        f"targets: <= {TIME_TARGET_S * scale:.0f} s and <= {RATIO_TARGET}x on {cores} cores, "
        f"<= {MEMORY_TARGET_MB:.0f} MB, second half <= +{GROWTH_TARGET_MB:.0f} MB"
    )
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), int(sys.argv[3]))
        raise SystemExit(0)
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else FILES))
