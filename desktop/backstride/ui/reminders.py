"""Reminders while the app runs: a check each minute on the app's clock (ctx.now), what is
due decided by core.reminders, shown by the system tray when there is one (else in the
window: the status bar and a small non-modal notice). Clicking opens the pain-entry form
(for the morning prompt, with its timing set to "On waking").

Off by default; the settings are QSettings (``reminders/…``), and so is the day each kind
was last shown, so a restart does not repeat one.
"""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from backstride.core.reminders import (
    CHECKIN,
    KINDS,
    MORNING,
    ON_WAKING,
    Logged,
    Reminder,
    ReminderSettings,
    due_reminders,
    parse_time,
    time_text,
    yesterday,
)

from backstride.core.models import PainEntry

if TYPE_CHECKING:
    from backstride.ui.main_window import MainWindow

DAILY_KEY = "reminders/daily_at"  # "HH:MM", or empty: off
MORNING_KEY = "reminders/morning_after_run"
SHOWN_GROUP = "reminders/shown"  # kind -> the ISO day it was last shown
CHECK_MS = 60_000


def load_reminder_settings() -> ReminderSettings:
    s = QSettings()
    try:
        daily = parse_time(str(s.value(DAILY_KEY, "") or ""))
    except ValueError:  # edited by hand: off, rather than failing each minute
        daily = None
    morning = s.value(MORNING_KEY, False, type=bool)
    return ReminderSettings(daily_at=daily, morning_after_run=bool(morning))


def save_reminder_settings(settings: ReminderSettings) -> None:
    s = QSettings()
    s.setValue(DAILY_KEY, time_text(settings.daily_at))
    s.setValue(MORNING_KEY, settings.morning_after_run)


def _shown() -> set[tuple[str, date]]:
    s = QSettings()
    found = set()
    for kind in KINDS:
        raw = str(s.value(f"{SHOWN_GROUP}/{kind}", "") or "")
        try:
            found.add((kind, date.fromisoformat(raw)))
        except ValueError:
            continue
    return found


def _mark_shown(reminder: Reminder) -> None:
    QSettings().setValue(f"{SHOWN_GROUP}/{reminder.kind}", reminder.day.isoformat())


def _checkin_question(window: MainWindow, today: date) -> str | None:
    """The running experiment's check-in question for today (core.experiments.checkin_due),
    or None without an experiment or when none is due (answered, baseline, the log tells)."""
    from backstride.core.experiments import Log, checkin_due
    from backstride.operations.experiments import active_experiment
    from backstride.store import experiments as experiment_store

    store = window.ctx.store
    running = active_experiment(store, today)
    if running is None or running.id is None:
        return None
    return checkin_due(running, Log(ticks=experiment_store.ticks(store, running.id)), today)


class ReminderNotice(QDialog):
    """The in-window notice when there is no system tray: non-modal, one at a time."""

    def __init__(self, parent: QWidget, open_entry: object) -> None:
        super().__init__(parent)
        self.setObjectName("reminder_notice")
        self.setWindowTitle("Reminder")
        self.setModal(False)
        self.text = QLabel()
        self.text.setObjectName("reminder_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.log_now = QPushButton("&Log now")
        self.log_now.setObjectName("reminder_log_now")
        self.log_now.setDefault(True)
        later = QPushButton("&Later")
        later.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(later)
        buttons.addWidget(self.log_now)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.setMinimumWidth(380)

    def show_reminders(self, reminders: list[Reminder]) -> None:
        self.setWindowTitle(reminders[0].title)
        self.text.setText("\n\n".join(f"{r.title}\n{r.text}" for r in reminders))
        self.show()
        if QGuiApplication.platformName() not in ("offscreen", "minimal"):  # they cannot raise
            self.raise_()


class Reminders(QObject):
    """Checks each minute while reminders are on; ``check`` is the timer's slot."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings = ReminderSettings()
        self.timer = QTimer(self)
        self.timer.setObjectName("reminder_timer")
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.tray: QSystemTrayIcon | None = None
        self.notice: ReminderNotice | None = None
        self.last: list[Reminder] = []  # the latest shown (tests read it)

    def apply(self) -> None:
        """Read the settings; run the timer only while a reminder is on."""
        self.settings = load_reminder_settings()
        if self.settings.any_on and not self.window.ctx.is_demo:
            if not self.timer.isActive():
                self.timer.start()
            self.check()
        else:
            self.timer.stop()
            if self.tray is not None:
                self.tray.hide()

    def logged(self, today: date) -> Logged:
        from backstride.store.pain import list_pain_entries
        from backstride.store.runs import list_runs

        store = self.window.ctx.store
        entries = list_pain_entries(store, today, today)
        runs = list_runs(store, yesterday(today), today)
        return Logged(
            today_entries=len(entries),
            today_runs=sum(1 for r in runs if r.day == today),
            today_on_waking=any(e.timing == ON_WAKING for e in entries),
            ran_yesterday=any(r.day == yesterday(today) for r in runs),
        )

    def check(self) -> list[Reminder]:
        """Show what is due now (each kind at most once a day); the reminders shown."""
        if not self.settings.any_on:
            return []
        now = self.window.ctx.now()
        try:
            logged = self.logged(now.date())
            checkin = _checkin_question(self.window, now.date())
        except Exception:  # the data file moved or is busy: try again next minute
            return []
        due = due_reminders(self.settings, now, logged, _shown(), checkin)
        if due:
            for reminder in due:
                _mark_shown(reminder)
            self.last = due
            self.notify(due)
        return due

    # -- showing ----------------------------------------------------------
    def notify(self, reminders: list[Reminder]) -> None:
        self.window.show_status(f"{reminders[0].title}: {reminders[0].text}")
        if QSystemTrayIcon.isSystemTrayAvailable():
            tray = self._tray()
            text = "\n".join(r.text for r in reminders)
            tray.showMessage(reminders[0].title, text, tray.icon(), 30_000)
            return
        if self.notice is None:
            self.notice = ReminderNotice(self.window, self.open_entry)
            self.notice.log_now.clicked.connect(self.open_entry)
        self.notice.show_reminders(reminders)

    def _tray(self) -> QSystemTrayIcon:
        if self.tray is None:
            icon = self.window.windowIcon()
            if icon.isNull():
                icon = QApplication.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxInformation
                )
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("Backstride reminders")
            self.tray.messageClicked.connect(self.open_entry)
            self.tray.activated.connect(lambda _reason: self.open_entry())
        self.tray.show()
        return self.tray

    def open_entry(self) -> None:
        """The pain-entry form over the window brought to the front; for the experiment's
        check-in alone, the window (its banner asks the question)."""
        if self.notice is not None:
            self.notice.close()
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.activateWindow()
        if self.last and all(r.kind == CHECKIN for r in self.last):
            return
        window.show_page(window.diary)
        initial = None
        if any(r.kind == MORNING for r in self.last):  # the form asks about waking
            at = window.ctx.now()
            minute = at.time().replace(second=0, microsecond=0)
            initial = PainEntry(day=at.date(), time=minute, intensity=0, timing=ON_WAKING)
        QTimer.singleShot(0, lambda: window.diary.new_entry(initial=initial))


def reminder_time_text(value: time | None) -> str:
    return time_text(value) or "off"
