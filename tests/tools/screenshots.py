"""`make screenshots`: render every page with demo data to PNGs for the README.

Runs offscreen; each picture is a widget.grab(), so it shows exactly what the app draws.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QSettings, QTimer
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


def shoot_insights(outdir: Path, name: str = "insights.png") -> None:
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
        grab(window, outdir / name)
        window.close()
        store.close()


def _wait_for_insights(window: QWidget) -> None:
    import time as clock

    page = window.insights  # type: ignore[attr-defined]
    window.show_page(page)  # type: ignore[attr-defined]
    deadline = clock.monotonic() + 30
    while (page.result is None or page.is_busy) and clock.monotonic() < deadline:
        QApplication.processEvents()
        clock.sleep(0.01)
    if page.result is None:
        raise SystemExit("the Insights analysis did not finish within 30 s")
    QApplication.processEvents()
    if page.charts is not None:
        page.charts.align()


def one_week(store: Store, today: date) -> None:
    """A new runner's first week: a morning entry each day and three runs."""
    from datetime import datetime

    from backstride.core.models import Run
    from backstride.store.runs import add_run

    for n in range(7):
        day = today - timedelta(days=6 - n)
        import_pain_entries(
            store, [PainEntry(day=day, time=time(7, 15), intensity=2 + n % 3, timing="on_waking")]
        )
        if n in (0, 2, 5):
            start = datetime.combine(day, time(18, 0)).astimezone()
            add_run(store, Run(start=start, distance_m=8000 + 1000 * n, moving_time_s=2700, rpe=5))


def shoot_insights_one_week(outdir: Path) -> None:
    """Insights for a runner with one week of data (issue 17: axis labels "…", a line
    running off the top)."""
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        store = open_store(Path(tmp) / "week")
        one_week(store, date.today())
        window = create_window(store)
        window.resize(*SIZE)
        window.show()
        _wait_for_insights(window)
        grab(window, outdir / "insights-one-week.png")
        window.close()
        store.close()


# The small screens of issue 17: (name, width, height, scale).
SMALL_SCREENS = (("1024x700", 1024, 700, 1.0), ("150pct", 1440, 900, 1.5))


def shoot_small_screens(outdir: Path) -> None:
    """The main window filling a 1024x700 screen and a 1440x900 one at 150 %, each in a
    process of its own (Qt fixes the screen and scale at start)."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))  # run as a script, this folder is first on the path
    from tests.gui.window_probe import screen_env

    for name, width, height, scale in SMALL_SCREENS:
        subprocess.run(
            [sys.executable, "-m", "tests.tools.screenshots", str(outdir.resolve()), f"at-{name}"],
            cwd=root,
            env=screen_env(width, height, scale),
            check=True,
        )


def shoot_filling_the_screen(outdir: Path, name: str) -> None:
    """The Training and Insights pages on the demo runner, the window filling the screen."""
    from backstride.core.demo import generate_demo
    from backstride.store.demo import fill_demo

    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        store = open_store(Path(tmp) / "demo")
        fill_demo(store, generate_demo(120, seed=0), "demo runner, 120 days")
        window = create_window(store)
        window.show()
        QApplication.processEvents()
        screen = window.screen().availableGeometry()
        frame, inner = window.frameGeometry(), window.geometry()
        window.setGeometry(
            screen.adjusted(
                inner.left() - frame.left(),
                inner.top() - frame.top(),
                inner.right() - frame.right(),
                inner.bottom() - frame.bottom(),
            )
        )
        window.show_page(window.training)
        QApplication.processEvents()
        grab(window, outdir / f"main-{name}-training.png")
        _wait_for_insights(window)
        grab(window, outdir / f"main-{name}-insights.png")
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


def shoot_run_form_errors(outdir: Path) -> None:
    """The run form after Save with a problem in nearly every field: all shown at once,
    none clipped, the date named as the field shows it."""
    from backstride.ui.training.run_dialog import RunDialog

    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        store = open_store(Path(tmp) / "empty")
        window = create_window(store)
        dialog = RunDialog(window, save=lambda r: None, shoes=["Trail 3"])
        dialog.day.setDate(dialog.day.date().addDays(4))
        for field, text in (
            (dialog.distance, "10,5km"),
            (dialog.moving_time, "52:99"),
            (dialog.ascent, "-5"),
            (dialog.avg_hr, "300"),
            (dialog.cadence, "85x"),
            (dialog.vertical_oscillation, "95"),
            (dialog.rpe, "12"),
        ):
            field.setText(text)
        dialog.show()
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        QApplication.processEvents()
        grab(dialog, outdir / "run-form-errors.png")
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


def shoot_experiments(outdir: Path) -> None:
    """A simulated runner's experiment, running (phase 4 of 6) and finished (with a verdict)."""
    from backstride.store import experiments as experiment_store
    from backstride.ui.worker import database_pool

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.sim
    from tests.sim.experiment_runners import simulate

    for name, days_ago in (("experiment-running", 24), ("experiment-finished", 44)):
        with tempfile.TemporaryDirectory() as tmp:
            QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
            store = open_store(Path(tmp))
            today = date.today()
            experiment, log = simulate(
                0, 2.0, start=today - timedelta(days=days_ago), label="hip stretches after runs"
            )
            saved = experiment_store.add_experiment(
                store, replace(experiment, id=None), datetime.now().astimezone()
            )
            assert saved.id is not None
            import_pain_entries(store, [e for e in log.pain if e.day <= today])
            for day, kept in log.ticks.items():
                if day < today:
                    experiment_store.set_tick(store, saved.id, day, kept)
            window = create_window(store)
            window.resize(*SIZE)
            window.show()
            window.experiment_banner.refresh()  # the app builds it after the first paint
            page = window.pages[4]
            window.show_page(page)
            for _ in range(200):  # the verdict is worked out on the worker thread
                database_pool().waitForDone(50)
                QApplication.processEvents()
                if getattr(page, "result", None) is not None:
                    break
            grab(window, outdir / f"{name}.png")
            window.close()
            store.close()


def shoot_report(outdir: Path) -> None:
    """The clinician report: its dialog with the live preview, and pages 1 and 2 of the
    PDF rendered with poppler's pdftoppm (as a physiotherapist sees them on paper)."""
    import subprocess

    from backstride.core.demo import generate_demo
    from backstride.core.models import Assessment
    from backstride.core.triage import evaluate, parse_answers
    from backstride.core.triage_answers import red_flag_keys
    from backstride.core.triage_record import result_record
    from backstride.store.assessments import add_assessment
    from backstride.store.demo import fill_demo
    from backstride.store.profile import Profile, save_profile
    from backstride.ui.report.dialog import ReportDialog

    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        store = open_store(Path(tmp) / "report")
        fill_demo(store, generate_demo(365, seed=0, end=today), "demo runner")
        flags = red_flag_keys("emergency") + red_flag_keys("urgent")
        answers = {"red_flags": {k.split(".")[1]: False for k in flags}, "age": 41}
        result = evaluate(parse_answers(answers))
        taken = datetime.combine(today - timedelta(days=6), time(18, 5)).astimezone()
        add_assessment(
            store, Assessment(taken, answers, result_record(result), result.rules_version)
        )
        save_profile(store, Profile("Alex Runner", 1985), today)
        QSettings().setValue(
            "report/question",
            "Is it safe to keep my Sunday long run while my lower back aches in the mornings?",
        )
        QSettings().setValue("report/weeks", 12)
        window = create_window(store)
        window.resize(*SIZE)
        window.show()
        window.show_report()
        dialog = window.findChild(ReportDialog)
        assert dialog is not None
        for _ in range(400):  # built on the worker thread
            _wait_idle(dialog)
            if dialog.built is not None and dialog._task is None:
                break
        # QPdfView renders its pages on threads of its own after the document is set.
        deadline = QDeadlineTimer(3000)
        while not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        grab(dialog, outdir / "report-dialog.png")
        assert dialog.built is not None
        pdf = Path(tmp) / "report.pdf"
        pdf.write_bytes(dialog.built.pdf)
        for page in (1, 2):
            stem = outdir / f"report-page{page}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "80",
                    "-png",
                    "-singlefile",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    str(pdf),
                    str(stem),
                ],
                check=True,
            )
        dialog.close()
        window.close()
        store.close()


def shoot_help(outdir: Path) -> None:
    """The user guide (F1) at its Insights page."""
    from backstride.ui.help_window import show_help

    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        store = open_store(Path(tmp) / "help")
        window = create_window(store)
        guide = show_help(window, "insights.md")
        guide.resize(980, 700)
        grab(guide, outdir / "help.png")
        guide.close()
        window.close()
        store.close()


def shoot_dark(outdir: Path) -> None:
    """The diary, Insights and the guide in the dark scheme (BACKSTRIDE_THEME=dark)."""
    from backstride.ui.help_window import show_help
    from backstride.ui.theme import apply_theme

    app = make_application()
    apply_theme(app, "dark")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
            store = open_store(Path(tmp) / "month")
            import_pain_entries(store, month_of_entries(date.today()))

            def diary(window: QWidget) -> None:
                grab(window, outdir / "diary-dark.png")
                guide = show_help(window, "logging.md")
                guide.resize(980, 700)
                grab(guide, outdir / "help-dark.png")
                guide.close()

            _window(store, diary)
            store.close()
        shoot_insights(outdir, "insights-dark.png")
    finally:
        apply_theme(app)


def shoot_welcome_and_settings(outdir: Path) -> None:
    """The first start's pages (welcome, profile) and Edit > Settings… (General, Data)."""
    from backstride.core.profile import Profile
    from backstride.store.profile import save_profile
    from backstride.ui.settings.dialog import SettingsDialog
    from backstride.ui.welcome import WelcomeDialog

    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tmp)
        store = open_store(Path(tmp) / "Backstride")
        window = create_window(store)
        window.resize(*SIZE)
        window.show()
        welcome = WelcomeDialog(window, window.ctx)
        welcome.show()
        grab(welcome, outdir / "welcome.png")
        welcome.next()
        welcome.next()
        welcome.profile.year.setText("1985")
        welcome.profile.height.setText("172")
        welcome.profile.weight.setText("68,5")
        welcome.profile.since.setText("1975")
        welcome.next()  # refused: running since before the year of birth, said beside it
        grab(welcome, outdir / "welcome-profile.png")
        welcome.close()
        save_profile(store, Profile("Alex Doe", 1985, 172, 68.5, 2015), date.today())
        settings = SettingsDialog(window)
        settings.daily.setChecked(True)
        settings.show()
        grab(settings, outdir / "settings.png")
        settings.tabs.setCurrentIndex(3)
        grab(settings, outdir / "settings-data.png")
        settings.daily.setChecked(False)
        settings.close()
        window.close()
        store.close()


SHOTS: dict[str, Callable[[Path], None]] = {
    "diary": shoot,
    "run-detail": shoot_run_detail,
    "insights": shoot_insights,
    "insights-one-week": shoot_insights_one_week,
    "training": shoot_training,
    "run-form-errors": shoot_run_form_errors,
    "small-screens": shoot_small_screens,
    "checkup": shoot_checkup,
    "backups": shoot_backups,
    "report": shoot_report,
    "experiments": shoot_experiments,
    "help": shoot_help,
    "dark": shoot_dark,
    "welcome": shoot_welcome_and_settings,
}

if __name__ == "__main__":
    # screenshots.py [folder [shot ...]]: every shot, or only those named.
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    # The light scheme unless a shot asks for dark: never the developer's saved choice.
    os.environ.setdefault("BACKSTRIDE_THEME", "light")
    make_application()
    for name in sys.argv[2:] or SHOTS:
        if name.startswith("at-"):  # one of SMALL_SCREENS, in its own process
            shoot_filling_the_screen(target, name.removeprefix("at-"))
        else:
            SHOTS[name](target)
