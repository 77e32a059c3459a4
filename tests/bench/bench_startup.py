"""Start-up with a 10-year diary (about 5,000 entries) against a bare PySide6 window.

Both are measured the same way in the same run: a fresh process, offscreen, from process
start to the window's first paint, in turn (pair by pair). Target (issue 14): at most 1.5x
the bare window, for the app run from the checkout and for the app `make dist` builds.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
from datetime import date, time, timedelta
from pathlib import Path
from time import perf_counter

BARE_WINDOW = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
from backstride.uptime import process_uptime_ms

class First(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print(f"started in {process_uptime_ms():.0f} ms", flush=True)
            QTimer.singleShot(0, app.quit)
            o.removeEventFilter(self)
        return False

app = QApplication(sys.argv)
w = QMainWindow()
w.resize(1180, 760)
f = First()
w.installEventFilter(f)
w.show()
app.exec()
"""

RUNS = 11
TARGET = 1.5  # issue 14: at most 1.5x the bare window, also for the built app


def fill_diary(data_dir: Path, years: int = 10) -> int:
    from backstride.core.models import PainEntry
    from backstride.core.vocab import QUALITIES, REGIONS, TIMINGS
    from backstride.store.database import open_store
    from backstride.store.pain import import_pain_entries

    rng = random.Random(1)
    today = date.today()
    entries = []
    for n in range(years * 365):
        day = today - timedelta(days=n)
        if rng.random() < 0.15:
            continue  # missed days
        for _ in range(rng.choice((1, 1, 1, 2, 2))):
            entries.append(
                PainEntry(
                    day=day,
                    time=time(rng.randrange(6, 23), rng.randrange(60)),
                    intensity=rng.randrange(0, 8),
                    regions=tuple(rng.sample(list(REGIONS), rng.randrange(0, 3))),
                    timing=rng.choice(list(TIMINGS)),
                    quality=tuple(rng.sample(list(QUALITIES), rng.randrange(0, 2))),
                    note=rng.choice(("", "", "long run yesterday", "sat all day at work")),
                )
            )
    store = open_store(data_dir)
    import_pain_entries(store, entries)
    store.close()
    return len(entries)


def time_to_first_paint(cmd: list[str], env: dict[str, str]) -> float:
    """Milliseconds from spawning `cmd` to its "started in" line, which it prints after its
    window's first paint. Read from outside with a monotonic clock: the same for both
    commands and finer than /proc's 10 ms ticks. Its exit is not counted."""
    began = perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    for raw in proc.stdout:
        if raw.startswith(b"started in "):
            elapsed = (perf_counter() - began) * 1000.0
            break
    else:
        raise SystemExit(f"{cmd[0]} exited without starting (exit {proc.wait()})")
    proc.stdout.close()
    if proc.wait(timeout=120) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with exit {proc.returncode}")
    return elapsed


def paired(app: list[str], bare: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Median ms of each and the median of the pair-by-pair ratios: the two run in turn,
    so a machine that slows down during the run slows both."""
    time_to_first_paint(app, env)  # warm the file cache
    time_to_first_paint(bare, env)
    pairs = [(time_to_first_paint(app, env), time_to_first_paint(bare, env)) for _ in range(RUNS)]
    return (
        statistics.median(a for a, _ in pairs),
        statistics.median(b for _, b in pairs),
        statistics.median(a / b for a, b in pairs),
    )


def frozen_app() -> Path | None:
    """The app folder `make dist` builds, when it has been built."""
    path = Path(__file__).resolve().parents[2] / "dist" / "backstride" / "backstride"
    return path if path.exists() else None


def main() -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    bare = [sys.executable, "-c", BARE_WINDOW]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        count = fill_diary(data)
        env["BACKSTRIDE_DATA_DIR"] = str(data)
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        commands = {"Backstride": [sys.executable, "-m", "backstride", "--smoke"]}
        frozen = frozen_app()
        if frozen is not None:
            commands["the built app (make dist)"] = [str(frozen), "--smoke"]
        for name, cmd in commands.items():
            app_ms, bare_ms, ratio = paired(cmd, bare, env)
            ok = ok and ratio <= TARGET
            print(
                f"start-up to first paint: {name} with {count} diary entries {app_ms:.0f} ms, "
                f"bare PySide6 window {bare_ms:.0f} ms (medians of {RUNS} pairs); "
                f"ratio {ratio:.2f}x (target <= {TARGET}x)"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
