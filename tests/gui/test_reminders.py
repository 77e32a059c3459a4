"""Issue 14: reminders on a fake clock (no sleeps): at the time, not before, once a day, not
when something is logged; the morning prompt after a run day; clicking opens the entry."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QSystemTrayIcon, QWidget

from backstride.core.models import PainEntry, Run
from backstride.core.reminders import CHECKIN, DAILY, MORNING, ReminderSettings
from backstride.store.database import Store
from backstride.store.pain import add_pain_entry
from backstride.store.runs import add_run
from backstride.ui.app import create_window
from backstride.ui.diary.entry_dialog import PainEntryDialog
from backstride.ui.main_window import MainWindow
from backstride.ui.reminders import (
    TRAY_KEY,
    ReminderNotice,
    Reminders,
    save_reminder_settings,
)

pytestmark = pytest.mark.gui

DAY = date(2026, 12, 1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(DAY.year, DAY.month, DAY.day, 8, 0).astimezone()

    def __call__(self) -> datetime:
        return self.now

    def set(self, day: date, hour: int, minute: int = 0) -> None:
        self.now = datetime.combine(day, time(hour, minute)).astimezone()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def window(qtbot, store: Store, clock: Clock, monkeypatch) -> MainWindow:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    w = create_window(store)
    w.ctx.now = clock
    qtbot.addWidget(w)
    return w


def started(window: MainWindow, settings: ReminderSettings) -> Reminders:
    save_reminder_settings(settings)
    window.start_reminders()
    assert window.reminders is not None
    return window.reminders


def test_reminders_are_off_by_default(window: MainWindow) -> None:
    window.start_reminders()
    assert window.reminders is not None and not window.reminders.timer.isActive()
    assert window.reminders.check() == []


def test_the_daily_reminder_fires_at_its_time_once_a_day(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, clock: Clock
) -> None:
    clock.set(DAY, 19, 59)
    reminders = started(window, ReminderSettings(daily_at=time(20, 0)))
    assert reminders.timer.isActive() and reminders.timer.interval() == 60_000
    assert reminders.check() == []  # a minute early
    assert window.findChild(ReminderNotice) is None
    clock.set(DAY, 20, 0)
    reminders.timer.timeout.emit()  # the minute's check, as the timer makes it
    assert [r.kind for r in reminders.last] == [DAILY]
    notice = window.findChild(ReminderNotice)
    assert notice is not None and notice.isVisible() and "Nothing is logged" in notice.text.text()
    assert "diary" in window.statusBar().currentMessage()
    notice.close()
    for minute in (1, 30, 59):
        clock.set(DAY, 20, minute)
        assert reminders.check() == []  # once a day
    restarted = Reminders(window)  # a restart does not repeat it either
    restarted.apply()
    assert restarted.check() == []
    clock.set(DAY + timedelta(days=1), 20, 0)
    assert [r.kind for r in reminders.check()] == [DAILY]  # the next day again


def test_no_reminder_when_something_is_logged(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, clock: Clock
) -> None:
    add_pain_entry(store, PainEntry(day=DAY, intensity=0))
    clock.set(DAY, 20, 0)
    reminders = started(window, ReminderSettings(daily_at=time(20, 0)))
    assert reminders.check() == []
    clock.set(DAY + timedelta(days=1), 20, 0)
    when = datetime.combine(DAY + timedelta(days=1), time(7, 0)).astimezone()
    add_run(store, Run(start=when, distance_m=5000, moving_time_s=1800))
    assert reminders.check() == []  # a run counts as logged too


def test_the_morning_prompt_after_a_run_day(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, clock: Clock
) -> None:
    ran = datetime.combine(DAY - timedelta(days=1), time(18, 0)).astimezone()
    add_run(store, Run(start=ran, distance_m=10_000, moving_time_s=3600))
    clock.set(DAY, 5, 30)
    reminders = started(window, ReminderSettings(morning_after_run=True))
    assert reminders.check() == []  # before waking hours
    clock.set(DAY, 7, 15)
    assert [r.kind for r in reminders.check()] == [MORNING]
    assert reminders.check() == []
    clock.set(DAY + timedelta(days=1), 7, 15)
    assert reminders.check() == []  # no run the day before


def test_an_on_waking_entry_answers_the_morning_prompt(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, clock: Clock
) -> None:
    ran = datetime.combine(DAY - timedelta(days=1), time(18, 0)).astimezone()
    add_run(store, Run(start=ran, distance_m=10_000, moving_time_s=3600))
    add_pain_entry(store, PainEntry(day=DAY, time=time(6, 40), intensity=2, timing="on_waking"))
    clock.set(DAY, 7, 15)
    assert started(window, ReminderSettings(morning_after_run=True)).check() == []


def test_log_now_opens_the_pain_entry_form(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, clock: Clock, when_modal
) -> None:
    clock.set(DAY, 20, 0)
    reminders = started(window, ReminderSettings(daily_at=time(20, 0)))
    assert reminders.last
    notice = window.findChild(ReminderNotice)
    assert notice is not None
    opened: list[QWidget] = []

    def close(dialog: QWidget) -> None:
        opened.append(dialog)
        dialog.reject()  # type: ignore[attr-defined]

    when_modal(close)
    notice.log_now.click()
    qtbot.waitUntil(lambda: bool(opened))
    assert isinstance(opened[0], PainEntryDialog) and not notice.isVisible()
    assert opened[0].timing.currentData() is None  # the daily reminder presets no timing
    assert window.stack.currentIndex() == 0  # on the diary page


def test_the_morning_prompt_opens_the_form_set_to_on_waking(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, clock: Clock, when_modal
) -> None:
    ran = datetime.combine(DAY - timedelta(days=1), time(18, 0)).astimezone()
    add_run(store, Run(start=ran, distance_m=10_000, moving_time_s=3600))
    clock.set(DAY, 7, 15)
    reminders = started(window, ReminderSettings(morning_after_run=True))
    assert [r.kind for r in reminders.last] == [MORNING]
    notice = window.findChild(ReminderNotice)
    assert notice is not None
    opened: list[tuple[str | None, date, time | None]] = []

    def close(dialog: QWidget) -> None:
        assert isinstance(dialog, PainEntryDialog)
        entry = dialog.entry()
        opened.append((dialog.timing.currentText(), entry.day, entry.time))
        dialog.reject()

    when_modal(close)
    notice.log_now.click()
    qtbot.waitUntil(lambda: bool(opened))
    assert opened == [("On waking", DAY, time(7, 15))]


def test_the_demo_window_never_reminds(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    demo = create_window(store, is_demo=True)
    qtbot.addWidget(demo)
    save_reminder_settings(ReminderSettings(daily_at=time(0, 0)))
    demo.start_reminders()
    assert demo.reminders is not None and not demo.reminders.timer.isActive()


def test_a_running_experiment_adds_its_check_in_once_a_day(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, clock: Clock
) -> None:
    from backstride.core.experiments import Experiment, Plan
    from backstride.store import experiments as experiment_store

    plan = Plan(change="custom", label="hip stretches", start=DAY - timedelta(days=3), seed=5)
    experiment_store.add_experiment(store, Experiment(plan=plan), clock())
    add_pain_entry(store, PainEntry(day=DAY, intensity=1))  # logged: no daily reminder
    clock.set(DAY, 12, 0)
    reminders = started(window, ReminderSettings(daily_at=time(20, 0)))
    assert reminders.check() == []  # asked at the daily reminder's time
    clock.set(DAY, 20, 0)
    assert [r.kind for r in reminders.check()] == [CHECKIN]
    assert "hip stretches" in reminders.last[0].text
    assert reminders.check() == []  # once a day
    clock.set(DAY + timedelta(days=1), 20, 0)
    saved = experiment_store.list_experiments(store)[0]
    experiment_store.set_tick(store, saved.id or 0, DAY + timedelta(days=1), True)
    assert [r.kind for r in reminders.check()] == [DAILY]  # answered today: only the diary


class CloseButton(QCloseEvent):
    """A close event as the window's close button sends it (from the window system)."""

    def spontaneous(self) -> bool:  # type: ignore[override]
        return True


def test_without_a_tray_the_option_is_disabled_and_closing_quits(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow
) -> None:
    from backstride.ui.settings.dialog import SettingsDialog

    QSettings().setValue(TRAY_KEY, True)  # even if set earlier (another desktop)
    window.start_reminders()
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    option = dialog.keep_in_tray
    assert not option.isEnabled() and not option.isChecked()
    assert "no system tray" in dialog.findChild(QLabel, "settings_tray_note").text()  # type: ignore[union-attr]
    window.show()
    event = CloseButton()
    window.closeEvent(event)
    assert event.isAccepted() and QApplication.quitOnLastWindowClosed()
    assert window.reminders is not None and window.reminders.tray is None
    window.close()
    assert not window.isVisible()


@pytest.mark.qt_log_ignore("systemTrayWindowChanged")  # offscreen has no tray to show in
def test_with_a_tray_the_close_button_hides_to_it_and_quit_quits(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, monkeypatch
) -> None:
    from backstride.ui.settings.dialog import SettingsDialog

    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    window.start_reminders()
    reminders = window.reminders
    assert reminders is not None
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    option = dialog.keep_in_tray
    assert option.isEnabled() and not option.isChecked()  # off by default
    window.show()
    event = CloseButton()
    window.closeEvent(event)  # off: the close button closes as always
    assert event.isAccepted() and reminders.tray is None
    try:
        option.click()
        assert QSettings().value(TRAY_KEY, type=bool) is True
        assert reminders.tray is not None and reminders.tray.isVisible()  # shown at once
        menu = reminders.tray.contextMenu()
        assert menu is not None
        actions = {a.text(): a for a in menu.actions()}
        assert list(actions) == ["&Open Backstride", "&Quit Backstride"]
        event = CloseButton()
        window.closeEvent(event)
        assert not event.isAccepted() and window.isHidden()  # in the tray, still running
        assert not QApplication.quitOnLastWindowClosed()  # a closing dialog cannot quit
        actions["&Open Backstride"].trigger()
        assert window.isVisible()
        window.close()  # File › Quit (not the close button): closes and quits as always
        assert not window.isVisible() and QApplication.quitOnLastWindowClosed()
        window.show()
        window.closeEvent(CloseButton())
        assert window.isHidden()
        actions["&Quit Backstride"].trigger()
        assert reminders.quitting and quits == [True]
        assert QApplication.quitOnLastWindowClosed()
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
        if reminders.tray is not None:
            reminders.tray.hide()
