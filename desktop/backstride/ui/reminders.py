"""Reminders while the app runs: a check each minute on the app's clock (ctx.now), what is
due decided by core.reminders, shown by the system tray when there is one (else in the
window: the status bar and a small non-modal notice). Clicking opens the pain-entry form
(for the morning prompt, with its timing set to "On waking").

Off by default; the settings are QSettings (``reminders/…``), and so is the day each kind
was last shown, so a restart does not repeat one.

With a system tray, the runner may keep Backstride running there (``TRAY_KEY``, off by
default): closing the window with its close button hides it to the tray, whose menu opens it
again or quits. Closing it any other way (File › Quit, logging out, ``QApplication.quit``)
quits as always, so the shutdown in ui.app (background tasks, the data file, the
single-instance guard) runs unchanged.
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
    QMenu,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import PainEntry
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

if TYPE_CHECKING:
    from backstride.ui.main_window import MainWindow

DAILY_KEY = "reminders/daily_at"  # "HH:MM", or empty: off
MORNING_KEY = "reminders/morning_after_run"
SHOWN_GROUP = "reminders/shown"  # kind -> the ISO day it was last shown
CHECK_MS = 60_000
TRAY_KEY = "tray/keep_running"  # closing the window hides it to the tray (off by default)


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


def keep_in_tray() -> bool:
    """Whether closing the window hides it to the tray: chosen, and a tray is there."""
    return bool(QSettings().value(TRAY_KEY, False, type=bool)) and tray_available()


def set_keep_in_tray(on: bool) -> None:
    QSettings().setValue(TRAY_KEY, on)


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
        self.quitting = False  # Quit from the tray's menu: the window closes for real
        self._holding = False  # quitting on the last window's close is off while in the tray
        self._told = False  # the "still running" message, once a session

    def apply(self) -> None:
        """Read the settings; run the timer only while a reminder is on."""
        self.settings = load_reminder_settings()
        if self.settings.any_on and not self.window.ctx.is_demo:
            if not self.timer.isActive():
                self.timer.start()
            self.check()
        else:
            self.timer.stop()
        if self._keeps_tray():
            self._tray()
        elif self.tray is not None and not (self.settings.any_on and not self.window.ctx.is_demo):
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
            self.tray.setObjectName("tray_icon")
            self.tray.setToolTip("Backstride")
            self.tray.messageClicked.connect(self.open_entry)
            self.tray.activated.connect(self._activated)
            menu = QMenu(self.window)
            menu.setObjectName("tray_menu")
            menu.addAction("&Open Backstride", self.show_window)
            menu.addAction("&Quit Backstride", self.quit)
            self.tray.setContextMenu(menu)
        self.tray.show()
        return self.tray

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        """A click on the icon: the window when it is in the tray, else the entry form."""
        clicks = (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        )
        if reason not in clicks:
            return
        if self.window.isHidden():
            self.show_window()
        else:
            self.open_entry()

    # -- keeping running in the tray ------------------------------------------
    def _keeps_tray(self) -> bool:
        return keep_in_tray() and not self.window.ctx.is_demo

    def hide_to_tray(self, close_button: bool = True) -> bool:
        """On closing the window: with its close button, hide it to the tray (True) when the
        runner chose to keep running there; otherwise False, and the window closes (and the
        app quits) as always."""
        if self.quitting or not close_button or not self._keeps_tray():
            if self._holding:  # it was in the tray earlier: closing it now quits as always
                QApplication.setQuitOnLastWindowClosed(True)
                self._holding = False
            return False
        QApplication.setQuitOnLastWindowClosed(False)  # a closing dialog must not quit
        self._holding = True
        tray = self._tray()
        self.window.hide()
        if not self._told:
            self._told = True
            tray.showMessage(
                "Backstride is still running",
                "Reminders keep coming. To quit, choose Quit Backstride in this icon's menu.",
                tray.icon(),
                10_000,
            )
        return True

    def show_window(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        if QGuiApplication.platformName() not in ("offscreen", "minimal"):  # they cannot raise
            window.raise_()
        window.activateWindow()

    def quit(self) -> None:
        """Quit from the tray: close the window for real, then end the event loop (ui.app
        then shuts the tasks down, closes the data file and releases the guard)."""
        self.quitting = True
        QApplication.setQuitOnLastWindowClosed(True)
        self._holding = False
        self.window.close()
        QApplication.quit()

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
