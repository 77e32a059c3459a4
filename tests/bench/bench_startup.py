"""Start-up with a 10-year diary (about 5,000 entries) against a bare PySide6 window.

Both are measured the same way in the same run: a fresh process, offscreen, from process
start to the window's first paint. Target (issue 2): at most 2x the bare window.
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

RUNS = 7


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


def measure(cmd: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS):
        out = subprocess.run(
            cmd, capture_output=True, text=True, env=env, check=True, timeout=120
        ).stdout
        line = next(line for line in out.splitlines() if line.startswith("started in "))
        times.append(float(line.split()[2]))
    return statistics.median(times)


def main() -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        count = fill_diary(data)
        env["BACKSTRIDE_DATA_DIR"] = str(data)
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        measure([sys.executable, "-m", "backstride", "--smoke"], env)  # warm the file cache
        bare = measure([sys.executable, "-c", BARE_WINDOW], env)
        app = measure([sys.executable, "-m", "backstride", "--smoke"], env)
    ratio = app / bare
    print(
        f"start-up: bare PySide6 window {bare:.0f} ms, Backstride with {count} diary entries "
        f"{app:.0f} ms (median of {RUNS}); ratio {ratio:.2f}x (target <= 2.0x)"
    )
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
