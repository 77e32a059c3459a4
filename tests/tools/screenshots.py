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


def shoot_insights(outdir: Path) -> None:
    """The Insights page on a year of the demo runner, a planted pattern opened."""
    import time as clock

    from backstride.core.demo import generate_demo
    from backstride.store.demo import fill_demo

    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        store = open_store(Path(tmp) / "demo")
        fill_demo(store, generate_demo(365, seed=0), "demo runner, 365 days")
        window = create_window(store, is_demo=True)
        window.resize(*SIZE)
        window.show()
        page = window.insights
        window.show_page(page)
        deadline = clock.monotonic() + 30
        while (page.result is None or page.is_busy) and clock.monotonic() < deadline:
            QApplication.processEvents()
            clock.sleep(0.01)
        if page.result is None or page.findings is None:
            raise SystemExit("the Insights analysis did not finish within 30 s")
        # Open the strongest planted pattern (core.demo), so its days show.
        analysis = page.result.analysis
        for index, finding in enumerate(analysis.findings):
            if finding.significant and finding.factor in ("descent", "warmup", "long_run"):
                page.findings.select_finding(index)
                break
        QApplication.processEvents()
        if page.charts is not None:
            page.charts.align()  # the plot areas line up once the window has its size
        grab(window, outdir / "insights.png")
        window.close()
        store.close()


def shoot_training(outdir: Path) -> None:
    """The Training page on a year of the demo runner, and the run form on one of its runs."""
    from backstride.core.demo import generate_demo
    from backstride.store.demo import fill_demo
    from backstride.store.runs import list_runs
    from backstride.store.shoes import list_shoes
    from backstride.ui.training.run_dialog import RunDialog

    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        store = open_store(Path(tmp) / "demo")
        fill_demo(store, generate_demo(365, seed=0), "demo runner, 365 days")
        window = create_window(store)
        window.resize(*SIZE)
        window.show()
        page = window.training
        window.show_page(page)
        QApplication.processEvents()
        grab(window, outdir / "training.png")

        # A hilly long run without a warm-up: the kind the analysis looks at.
        runs = list_runs(store)
        run = max(
            (r for r in runs[-60:] if r.warmup_min == 0 and r.descent_m),
            key=lambda r: r.distance_m or 0,
            default=runs[-1],
        )
        shoes = [u.shoe.name for u in list_shoes(store) if u.shoe.retired is None]
        dialog = RunDialog(
            window, save=lambda r: None, unit=page.unit, shoes=shoes, initial=run, title="Edit run"
        )
        dialog.show()
        QApplication.processEvents()
        grab(dialog, outdir / "run-dialog.png")
        dialog.close()
        window.close()
        store.close()


def shoot_checkup(outdir: Path) -> None:
    """The check-up: an emergency answer's result page, and the Check-up page with a saved
    self-care result (running filled in from the demo runner's log) and its history."""
    from datetime import datetime

    from backstride.core.demo import generate_demo
    from backstride.core.models import Assessment
    from backstride.core.triage import EMERGENCY_FLAGS, URGENT_FLAGS, evaluate, parse_answers
    from backstride.core.triage_record import nest_answers, result_record
    from backstride.store.assessments import add_assessment, running_prefill
    from backstride.store.demo import fill_demo
    from backstride.ui.checkup.wizard import RESULT, CheckupWizard

    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        wizard = CheckupWizard(None)
        wizard.fields["red_flags.saddle_numbness"].set_value(True)
        wizard.fields["red_flags.bladder_bowel_change"].set_value(True)
        wizard.show()
        wizard.next()
        if wizard.currentId() != RESULT:
            raise SystemExit("an emergency answer did not end the check-up")
        grab(wizard, outdir / "checkup-emergency.png")
        wizard._dirty = False
        wizard.close()

        store = open_store(Path(tmp) / "demo")
        fill_demo(store, generate_demo(365, seed=0), "demo runner, 365 days")
        no_flags = {k: False for k in (*EMERGENCY_FLAGS, *URGENT_FLAGS)}
        base = {
            **no_flags,
            "age": 38,
            "height_cm": 178,
            "weight_kg": 74,
            "history.conditions": ["sprain_strain"],
            "history.onset_age": 37,
            "history.recurrence": True,
            "pattern.regions": ["lower_back_centre", "lower_back_right"],
            "pattern.below_knee": False,
            "pattern.leg_worse_than_back": False,
            "pattern.numbness_tingling": False,
            "pattern.morning_stiffness_min": 10,
            "pattern.better_with_movement": True,
            "pattern.better_with_rest": True,
            "pattern.wakes_second_half_night": False,
            "pattern.buttock_pain_alternating": False,
            "pattern.nsaid_relief_48h": False,
            "pattern.family_spondyloarthritis": False,
            "pattern.arthritis_history": False,
            "pattern.enthesitis_history": False,
            "pattern.psoriasis_history": False,
            "history.getting_worse": False,
            "history.limits_daily_activities": False,
            "pattern.running_relation": "next_day",
            "running.long_run_fatigue": True,
            "running.speed_increase_recent": False,
        }
        now = datetime.now().astimezone().replace(second=0, microsecond=0)
        history = [
            (
                now - timedelta(weeks=9),
                {
                    **base,
                    "red_flags.night_pain_unrelieved": True,
                    "history.pain_weeks": 1,
                    "running.warmup": "none",
                    "running.downhill_share": "high",
                    "running.weekly_km": 42,
                    "running.weekly_km_4w_ago": 28,
                },
            ),
            (
                now - timedelta(weeks=5),
                {
                    **base,
                    "history.pain_weeks": 5,
                    "running.warmup": "none",
                    "running.downhill_share": "high",
                    "running.weekly_km": 38,
                    "running.weekly_km_4w_ago": 40,
                },
            ),
            (
                now - timedelta(hours=1),
                {**base, "history.pain_weeks": 10, **running_prefill(store, now.date())},
            ),
        ]
        for taken_at, flat in history:
            answers = parse_answers(nest_answers(flat))
            result = evaluate(answers)
            add_assessment(
                store,
                Assessment(
                    taken_at, answers.to_dict(), result_record(result), result.rules_version
                ),
            )
        window = create_window(store)
        window.resize(*SIZE)
        window.show()
        window.show_page(window.checkup)
        window.checkup.reload()
        QApplication.processEvents()
        grab(window, outdir / "checkup-self-care.png")
        window.close()
        store.close()


def _wait_idle(dialog: QWidget) -> None:
    """Let a dialog's background task (listing, checking backups) finish."""
    from backstride.ui.worker import database_pool

    for _ in range(200):
        database_pool().waitForDone(50)
        QApplication.processEvents()
        if getattr(dialog, "task", None) is None:
            return


def shoot_backups(outdir: Path) -> None:
    """File > Backups… and the recovery dialog a damaged file opens at start."""
    from datetime import datetime

    from backstride.core.demo import generate_demo
    from backstride.store.backup import backup_before
    from backstride.store.database import DB_FILENAME
    from backstride.store.demo import fill_demo
    from backstride.ui.backups_dialog import BackupsDialog
    from backstride.ui.recovery_dialog import RecoveryDialog

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        store = open_store(data)
        fill_demo(store, generate_demo(200, seed=3), "screenshots")
        now = datetime.now().replace(microsecond=0)
        for days, reason in (
            (40, "daily"),
            (9, "daily"),
            (2, "import"),
            (1, "daily"),
            (0, "daily"),
        ):
            backup_before(store, reason, now - timedelta(days=days, hours=days % 3))
        window = create_window(store)
        window.resize(*SIZE)
        window.show()
        dialog = BackupsDialog(window.ctx, window)
        dialog.show()
        _wait_idle(dialog)
        grab(dialog, outdir / "backups.png")
        dialog.close()
        window.close()
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        raw = bytearray((data / DB_FILENAME).read_bytes())
        raw[4096 * 6 : 4096 * 6 + 3000] = b"\xff" * 3000
        (data / DB_FILENAME).write_bytes(bytes(raw))
        recovery = RecoveryDialog(data, "database disk image is malformed")
        recovery.show()
        _wait_idle(recovery)
        grab(recovery, outdir / "recovery.png")
        recovery.close()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    shoot(target)
    shoot_run_detail(target)
    shoot_insights(target)
    shoot_training(target)
    shoot_checkup(target)
    shoot_backups(target)
