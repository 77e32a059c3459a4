"""`make screenshots`: render every page with demo data to PNGs for the README.

Runs offscreen; each picture is a widget.grab(), so it shows exactly what the app draws.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from backstride.core.models import PainEntry
from backstride.store.database import Store, open_store
from backstride.store.pain import import_pain_entries
from backstride.ui.app import create_window, make_application
from backstride.ui.diary.entry_dialog import PainEntryDialog

SIZE = (1280, 800)


def month_of_entries(today: date) -> list[PainEntry]:
    """A plausible month: mostly low back ache, a flare after a long hilly run."""
    rng = random.Random(7)
    entries = []
    for n in range(34, -1, -1):
        day = today - timedelta(days=n)
        if rng.random() < 0.12:
            continue  # a missed day stays missing
        flare = 3 if 12 <= n <= 15 else 0
        morning = max(0, min(10, rng.choice((1, 2, 2, 3)) + flare))
        entries.append(
            PainEntry(
                day=day,
                time=time(7, rng.randrange(0, 50)),
                intensity=morning,
                regions=("lower_back_centre",) + (("buttock_right",) if flare else ()),
                timing="on_waking",
                quality=("stiffness",) if morning else (),
                stiffness_min=rng.choice((5, 10, 15, 20)) + 10 * flare if morning else 0,
                helped=("stretching",) if morning > 2 else (),
            )
        )
        if rng.random() < 0.4 or flare:
            entries.append(
                PainEntry(
                    day=day,
                    time=time(19, rng.randrange(0, 59)),
                    intensity=max(0, morning - 1 + flare),
                    regions=("lower_back_centre", "lower_back_right"),
                    timing="after_run",
                    quality=("aching",),
                    worse=("sitting",) if rng.random() < 0.5 else (),
                    helped=("topical", "heat") if flare else ("rest",),
                    medication="ibuprofen 400 mg" if flare == 3 and n == 13 else "",
                    note="long hilly run, steep descent at the end" if n == 15 else "",
                )
            )
    return entries


def grab(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path}")


def shoot(outdir: Path) -> None:
    app = make_application()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        empty = open_store(Path(tmp) / "empty")
        _window(empty, lambda w: grab(w, outdir / "diary-empty.png"))
        store = open_store(Path(tmp) / "month")
        import_pain_entries(store, month_of_entries(date.today()))

        def diary(window: QWidget) -> None:
            grab(window, outdir / "diary.png")
            dialog = PainEntryDialog(
                window, save=lambda e: None, initial=month_of_entries(date.today())[-1]
            )
            dialog.regions.setRegions(("lower_back_centre", "lower_back_right", "buttock_right"))
            dialog.show()
            grab(dialog, outdir / "entry-form.png")
            dialog.close()

        _window(store, diary)
        empty.close()
        store.close()
    app.quit()


def _window(store: Store, action: Callable[[QWidget], None]) -> None:
    window = create_window(store)
    window.resize(*SIZE)
    window.show()
    QTimer.singleShot(0, lambda: None)
    QApplication.processEvents()
    action(window)
    window.close()


def shoot_run_detail(outdir: Path) -> None:
    """A real watch file (a Fenix 2 run from python-fitparse's tests) with a diary around it."""
    from backstride.importers import read_activity
    from backstride.store.runs import add_run
    from backstride.ui.runs.detail import RunDetailDialog

    sample = Path(__file__).resolve().parents[1] / "data" / "fit" / "activity-small-fenix2-run.fit"
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        run = add_run(store, read_activity(sample).runs[0])
        import_pain_entries(
            store,
            [
                PainEntry(
                    day=run.day,
                    time=time(21, 15),
                    intensity=4,
                    timing="evening",
                    regions=("lower_back_centre", "lower_back_right"),
                    quality=("aching",),
                    note="tight after the downhill finish",
                ),
                PainEntry(
                    day=run.day + timedelta(days=1),
                    time=time(7, 10),
                    intensity=5,
                    timing="on_waking",
                    regions=("lower_back_centre",),
                    quality=("stiffness",),
                ),
            ],
        )
        window = create_window(store)
        dialog = RunDetailDialog(window.ctx, run.id or 0, parent=window)
        dialog.resize(1100, 640)
        dialog.show()
        grab(dialog, outdir / "run-detail.png")
        dialog.close()
        window.close()
        store.close()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    shoot(target)
    shoot_run_detail(target)
