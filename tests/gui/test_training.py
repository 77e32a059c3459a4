from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QEvent, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from backstride.core.models import HabitDay, PainEntry, Run, Shoe
from backstride.core.training_days import training_days
from backstride.core.typed_text import FieldError, parse_duration, parse_hours
from backstride.core.units import MILES
from backstride.store import habits as habit_store
from backstride.store import runs as run_store
from backstride.store import shoes as shoe_store
from backstride.store.database import Store, StoreError, open_store
from backstride.store.demo import holds_data, is_demo
from backstride.store.location import demo_data_dir
from backstride.store.pain import add_pain_entry
from backstride.ui import welcome
from backstride.ui.app import create_window
from backstride.ui.display_units import UNITS_KEY, set_display_unit
from backstride.ui.main_window import MainWindow
from backstride.ui.training.day_model import (
    DESCENT,
    NEXT_MORNING,
    PAIN,
    TrainingDayModel,
    WeekRow,
)
from backstride.ui.training.habit_dialog import HabitDialog
from backstride.ui.training.run_dialog import RunDialog
from backstride.ui.training.shoe_dialog import ShoeDialog
from backstride.ui.welcome import WelcomeDialog, maybe_welcome
from backstride.ui.widgets.pain_colors import pain_color

pytestmark = pytest.mark.gui

TZ = timezone(timedelta(hours=1))


@pytest.fixture
def on_dialog(when_modal):  # type: ignore[no-untyped-def]
    """when_modal, but a failing handler closes its dialog instead of leaving it open."""

    def schedule(handler: Callable[[QWidget], None]) -> None:
        def safe(dialog: QWidget) -> None:
            try:
                handler(dialog)
            except BaseException:
                dialog.close()
                raise

        when_modal(safe)

    return schedule


def _error(dialog: QWidget, field: str) -> QLabel:
    label = dialog.findChild(QLabel, f"error_{field}")
    assert label is not None
    return label


def _focused(dialog: QWidget) -> QWidget:
    widget = dialog.focusWidget()
    assert widget is not None
    return widget


def _type(qtbot, dialog: QWidget, *values: str) -> None:  # type: ignore[no-untyped-def]
    """Type each value into the focused field, then Tab to the next one."""
    for value in values:
        if value:
            qtbot.keyClicks(_focused(dialog), value)
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Tab)


def _back_to(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    with qtbot.waitActive(window):  # offscreen does not hand activation back after a dialog
        window.activateWindow()


def _run(day: date, km: float, minutes: float, **kw: object) -> Run:
    return Run(
        start=datetime.combine(day, time(7, 30), TZ),
        distance_m=km * 1000,
        moving_time_s=minutes * 60,
        **kw,  # type: ignore[arg-type]
    )


def test_enter_a_run_with_the_keyboard(qtbot, window: MainWindow, store: Store, on_dialog) -> None:  # type: ignore[no-untyped-def]
    shoe_store.add_shoe(store, Shoe(name="Pegasus", first_used=date.today()))

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, RunDialog)
        assert _focused(dialog) is dialog.distance  # the date defaults to today
        _type(qtbot, dialog, "10.5", "52:30")
        assert dialog.pace.text() == "5:00 /km"  # shown live
        _type(qtbot, dialog, "120", "80", "6", "0")  # ascent, descent, effort, warm-up: none
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Return)

    on_dialog(fill)
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    (run,) = run_store.list_runs(store)
    assert run.day == date.today()
    assert (run.distance_m, run.moving_time_s) == (10_500, 52 * 60 + 30)
    assert (run.ascent_m, run.descent_m, run.rpe, run.warmup_min) == (120, 80, 6, 0)
    # Fields left empty stay unknown, never 0.
    assert run.avg_hr is None and run.cadence_spm is None and run.vertical_oscillation_cm is None
    assert run.surface is None and run.shoe is None and run.source == "manual"
    window.show_page(window.training)
    assert window.training.model.rowCount() > 0
    assert window.training.selected_run() is not None
    assert "10.5 km" in window.training.longest.text()


def test_log_habits_with_the_keyboard_and_prefill(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, on_dialog
) -> None:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, HabitDialog)
        assert dialog.selected_day() == date.today() and dialog.today_button.isChecked()
        assert _focused(dialog) is dialog.core
        _type(qtbot, dialog, "20", "10", "", "7:30", "", "4")  # cross and weight unknown
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Return)

    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    on_dialog(fill)
    qtbot.keyClick(window, Qt.Key.Key_H, ctrl_shift)
    saved = habit_store.get_habit_day(store, date.today())
    assert saved == HabitDay(day=date.today(), core_min=20, stretch_min=10, sleep_h=7.5, fatigue=4)

    def yesterday(dialog: QWidget) -> None:
        assert isinstance(dialog, HabitDialog)
        assert dialog.core.text() == "20" and dialog.sleep.text() == "7.5"  # today's row
        dialog.activateWindow()  # mnemonics need the active window (offscreen)
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: dialog.selected_day() == date.today() - timedelta(days=1))
        assert dialog.yesterday_button.isChecked()
        assert dialog.core.text() == "" and _focused(dialog) is dialog.core  # nothing yet
        _type(qtbot, dialog, "15")
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Return)

    _back_to(qtbot, window)
    on_dialog(yesterday)
    qtbot.keyClick(window, Qt.Key.Key_H, ctrl_shift)
    assert habit_store.get_habit_day(store, date.today() - timedelta(days=1)) == HabitDay(
        day=date.today() - timedelta(days=1), core_min=15
    )
    window.ctx.undo.undo()
    assert habit_store.get_habit_day(store, date.today() - timedelta(days=1)) is None
    window.ctx.undo.undo()
    assert habit_store.get_habit_day(store, date.today()) is None


def test_invalid_run_values_are_explained_and_kept(qtbot) -> None:  # type: ignore[no-untyped-def]
    saved: list[Run] = []
    dialog = RunDialog(None, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.day.setDate(QDate.currentDate().addDays(2))
    dialog.distance.setText("ten")
    dialog.moving_time.setText("0:75:00")
    dialog.avg_hr.setText("300")
    dialog.note.setPlainText("typed with care")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    errors = {name: _error(dialog, name) for name in ("distance", "moving_time")}
    assert "not a number" in errors["distance"].text() and errors["distance"].isVisible()
    assert "below 60" in errors["moving_time"].text()
    assert dialog.isVisible() and not saved

    dialog.distance.setText("10")
    dialog.moving_time.setText("50:00")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert "future" in _error(dialog, "date").text()
    hr = _error(dialog, "avg_hr")
    assert hr.isVisible() and "not a possible average heart rate" in hr.text()
    assert dialog.note.toPlainText() == "typed with care" and dialog.avg_hr.text() == "300"
    assert not saved

    dialog.day.setDate(QDate.currentDate())
    dialog.avg_hr.setText("")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert len(saved) == 1 and saved[0].avg_hr is None and not dialog.isVisible()


def test_run_form_shows_every_problem_at_once_in_full(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: errors came in two rounds (format, then ranges on a second Save), were
    clipped top and bottom, and the date error said 2026-12-05 beside "Sat 5 Dec 2026"."""
    dialog = RunDialog(None, save=lambda run: None)
    qtbot.addWidget(dialog)
    dialog.show()
    future = QDate.currentDate().addDays(4)
    dialog.day.setDate(future)
    dialog.distance.setText("ten")
    dialog.moving_time.setText("0:52:99")
    dialog.avg_hr.setText("300")
    dialog.cadence.setText("85x")
    dialog.vertical_oscillation.setText("95")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    fields = ("date", "distance", "moving_time", "avg_hr", "cadence", "vertical_oscillation")
    for name in fields:
        label = _error(dialog, name)
        assert label.isVisible() and label.text(), name
        assert label.height() >= label.heightForWidth(label.width()), f"{name} is clipped"
        assert label.geometry().bottom() < label.parentWidget().height(), name
    assert dialog.day.text() in _error(dialog, "date").text()  # as the field shows it
    assert future.toString("yyyy-MM-dd") not in _error(dialog, "date").text()


def test_run_form_placeholders_are_not_cut(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = RunDialog(None, save=lambda run: None)
    qtbot.addWidget(dialog)
    dialog.show()
    for field in dialog.findChildren(QLineEdit):
        text = field.placeholderText()
        assert field.fontMetrics().horizontalAdvance(text) < field.width(), text


def test_a_run_needs_a_distance_or_a_time(qtbot) -> None:  # type: ignore[no-untyped-def]
    saved: list[Run] = []
    dialog = RunDialog(None, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert "distance or the moving time" in _error(dialog, "distance").text()
    assert not saved


def test_a_doubtful_pace_needs_explicit_confirmation(qtbot) -> None:  # type: ignore[no-untyped-def]
    saved: list[Run] = []
    dialog = RunDialog(None, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.distance.setText("10")
    dialog.moving_time.setText("0:20:00")  # 2:00 /km
    assert dialog.doubt_box.isVisible() and "2:00 min/km" in dialog.doubt_text.text()
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    save.click()
    assert not saved and dialog.isVisible()  # never a silent save
    assert "Yes, this is right" in dialog.general_error.text()
    assert dialog.focusWidget() is dialog.confirm

    dialog.confirm.setChecked(True)
    dialog.moving_time.setText("0:22:00")  # a different doubt needs its own tick
    assert not dialog.confirm.isChecked()
    save.click()
    assert not saved
    dialog.confirm.setChecked(True)
    save.click()
    assert len(saved) == 1 and saved[0].moving_time_s == 22 * 60

    plain = RunDialog(None, save=saved.append)
    qtbot.addWidget(plain)
    plain.distance.setText("10")
    plain.moving_time.setText("50:00")
    assert not plain.doubt_box.isVisibleTo(plain)


def test_store_failure_keeps_what_was_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    def fail(_: Run) -> None:
        raise StoreError("There is no shoe called 'X'; add it on the Training page first.")

    dialog = RunDialog(None, save=fail)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.distance.setText("8")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible() and "no shoe called" in dialog.general_error.text()
    assert dialog.distance.text() == "8"


def test_edit_keeps_unshown_fields_and_exact_values(qtbot) -> None:  # type: ignore[no-untyped-def]
    original = _run(
        date.today() - timedelta(days=3),
        10.28294,
        58.1234,
        source="watch.fit",
        elapsed_time_s=3600.0,
        id=7,
    )
    saved: list[Run] = []
    dialog = RunDialog(None, save=saved.append, initial=original)
    qtbot.addWidget(dialog)
    assert dialog.distance.text() == "10.28" and dialog.moving_time.text() == "0:58:07"
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert saved == [original]  # nothing rounded, nothing lost, same time zone


def test_delete_and_undo_a_run(qtbot, window: MainWindow, store: Store, on_dialog) -> None:  # type: ignore[no-untyped-def]
    saved = run_store.add_run(store, _run(date.today() - timedelta(days=1), 12, 65, rpe=4))
    window.show_page(window.training)
    page = window.training
    page.select_run(saved.id or 0)

    def change(dialog: QWidget) -> None:
        assert isinstance(dialog, RunDialog)
        dialog.rpe.setText("7")
        qtbot.keyClick(dialog.distance, Qt.Key.Key_Return)

    on_dialog(change)
    page.edit_button.click()
    assert run_store.get_run(store, saved.id or 0).rpe == 7  # type: ignore[union-attr]

    _back_to(qtbot, window)
    page.table.setFocus()
    page.select_run(saved.id or 0)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert run_store.list_runs(store) == []
    assert page.model.row_of_run(saved.id or 0) is None

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    (back,) = run_store.list_runs(store)
    assert back.id == saved.id and back.rpe == 7
    assert page.model.row_of_run(saved.id or 0) is not None
    window.ctx.undo.undo()  # the edit
    assert run_store.get_run(store, saved.id or 0).rpe == 4  # type: ignore[union-attr]


def test_ctrl_end_in_the_days_table_keeps_the_dates_in_view(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store
) -> None:
    """Issue 17: Ctrl+End went to the last column and scrolled the dates out of view."""
    for n in range(30):
        run_store.add_run(store, _run(date.today() - timedelta(days=n), 5, 30))
    window.resize(700, 600)
    window.show_page(window.training)
    table = window.training.table
    table.setFocus()
    for key, modifier in (
        (Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier),
    ):
        qtbot.keyClick(table, key, modifier)
        assert table.currentIndex().column() == 0
        assert table.horizontalScrollBar().value() == 0
        assert table.columnViewportPosition(0) == 0  # the dates column is in view
    assert table.currentIndex().row() == table.model().rowCount() - 1


def test_double_click_shows_details_and_enter_edits(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, on_dialog
) -> None:
    saved = run_store.add_run(store, _run(date.today(), 6, 33))
    window.show_page(window.training)
    page = window.training
    row = page.model.row_of_run(saved.id or 0)
    assert row is not None
    seen: list[str] = []

    def close(dialog: QWidget) -> None:
        seen.append(dialog.objectName())
        dialog.close()

    on_dialog(close)
    rect = page.table.visualRect(page.model.index(row, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == ["RunDetailDialog"]

    _back_to(qtbot, window)
    page.table.setFocus()
    page.select_run(saved.id or 0)
    on_dialog(close)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert seen == ["RunDetailDialog", "RunDialog"]


def _sample_days() -> list:  # type: ignore[type-arg]
    monday = date(2026, 3, 2)
    runs = [
        _run(monday, 8, 45, descent_m=60, rpe=3, warmup_min=0, shoe="A", id=1),
        _run(monday + timedelta(days=2), 12, 70, descent_m=300, warmup_min=10, id=2),
        _run(monday + timedelta(days=2), 3, 20, id=3),  # a second run that day
        _run(monday + timedelta(days=9), 20, 120, id=4, note="long"),
    ]
    pain = [
        PainEntry(day=monday, intensity=2, time=time(20, 0)),
        PainEntry(day=monday + timedelta(days=1), intensity=5, timing="on_waking"),
        PainEntry(day=monday + timedelta(days=1), intensity=6, time=time(18, 0)),
    ]
    habits = [HabitDay(day=monday, core_min=15, sleep_h=7.25, fatigue=3, note="tired")]
    return training_days(monday, monday + timedelta(days=13), runs, habits, pain)


def test_day_model_passes_qtmodeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = TrainingDayModel()
    days = _sample_days()
    model.set_days(days)
    qtmodeltester.check(model)
    # 2 weeks: a total row each, 14 days, one extra row for the day with two runs.
    assert model.rowCount() == 2 + 14 + 1
    first = model.row(0)
    assert isinstance(first, WeekRow) and first.week.runs == 1
    second_week = model.row(8)
    assert isinstance(second_week, WeekRow)
    assert (second_week.week.runs, second_week.week.distance_m) == (3, 23_000)
    monday_row = model.row_of_day(date(2026, 3, 2))
    assert monday_row is not None
    index = model.index(monday_row, PAIN)
    assert model.data(index) == "2"
    assert model.data(model.index(monday_row, NEXT_MORNING)) == "5"  # Tuesday on waking
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(monday_row, 6)) == "none"  # warm-up 0 is "none"
    wednesday = model.row_of_day(date(2026, 3, 4)) or 0
    assert model.data(model.index(wednesday + 1, PAIN)) == ""  # second run row: no repeat
    model.set_unit(MILES)
    assert model.data(model.index(monday_row, 1)) == "4.97 mi"
    qtmodeltester.check(model)


def test_units_switch_changes_the_distance_shown(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    saved = run_store.add_run(store, _run(date.today(), 10, 50))
    window.show_page(window.training)
    page = window.training
    row = page.model.row_of_run(saved.id or 0)
    assert row is not None
    assert page.model.data(page.model.index(row, 1)) == "10.00 km"
    window.miles_action.trigger()
    assert QSettings().value(UNITS_KEY) == "mi"
    assert page.model.data(page.model.index(row, 1)) == "6.21 mi"
    assert page.model.data(page.model.index(row, 3)) == "8:03 /mi"
    assert "mi" in page.week.totals.text() and "6.2 mi" in page.longest.text()
    window.miles_action.trigger()
    assert page.model.data(page.model.index(row, 1)) == "10.00 km"


def test_run_dialog_reads_distances_in_the_chosen_unit(qtbot) -> None:  # type: ignore[no-untyped-def]
    saved: list[Run] = []
    dialog = RunDialog(None, save=saved.append, unit=MILES)
    qtbot.addWidget(dialog)
    dialog.distance.setText("5")
    dialog.moving_time.setText("40:00")
    assert dialog.pace.text() == "8:00 /mi"
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert saved[0].distance_m == pytest.approx(8046.72)


def test_miles_show_ascent_and_descent_in_feet(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: with miles, descent stayed in metres; an unknown descent totalled "0 m"."""
    today = date.today()
    run_store.add_run(store, _run(today, 8, 45, descent_m=100.0))
    if today.weekday() > 0:  # a second run that week, its descent unknown
        run_store.add_run(store, _run(today - timedelta(days=1), 5, 30))
    set_display_unit(MILES, window.ctx.events)
    window.show_page(window.training)
    page = window.training
    card = page.week.cards[today.weekday()]
    assert "↓328\u00a0ft" in card.runs.text()  # one piece, never wrapped
    row = page.model.row_of_run(run_store.list_runs(store)[-1].id or 0)
    assert row is not None and page.model.data(page.model.index(row, DESCENT)) == "328 ft"
    week = page.model.data(page.model.index(0, DESCENT))
    assert week == ("328 ft + 1 unknown" if today.weekday() > 0 else "328 ft")
    assert "328 ft" in page.week.totals.text()

    saved: list[Run] = []
    dialog = RunDialog(None, save=saved.append, unit=MILES)
    qtbot.addWidget(dialog)
    dialog.distance.setText("5")
    dialog.moving_time.setText("40:00")
    dialog.descent.setText("328")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert saved[0].descent_m == pytest.approx(99.97, abs=0.01)


def test_week_view_shows_runs_pain_chips_and_habits(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store
) -> None:
    today = date.today()
    run_store.add_run(store, _run(today, 5, 30, descent_m=40, warmup_min=0, rpe=5))
    add_pain_entry(store, PainEntry(day=today, intensity=6, time=time(19, 0)))
    habit_store.save_habit_day(store, HabitDay(day=today, core_min=10, sleep_h=8))
    window.show_page(window.training)
    card = window.training.week.cards[today.weekday()]
    assert "5.0 km" in card.runs.text() and "no warm-up" in card.runs.text()
    assert f"background-color:{pain_color(6).name()}" in card.pain.text()  # 6 on the diary's scale
    assert "next morning: –" in card.pain.text()  # missing, not 0
    assert "core 10" in card.habits.text()
    window.training.week.previous.click()
    assert window.training.week.monday < today - timedelta(days=today.weekday())
    assert window.training.week.next.isEnabled()
    window.training.week.this_week.click()
    assert not window.training.week.next.isEnabled()


def test_shoes_distance_warning_delete_and_undo(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    shoe = shoe_store.add_shoe(store, Shoe(name="Old faithful", warn_km=50))
    for n in range(6):
        run_store.add_run(store, _run(date.today() - timedelta(days=n), 10, 55, shoe=shoe.name))
    window.show_page(window.training)
    shoes = window.training.shoes
    item = shoes.tree.topLevelItem(0)
    assert item is not None
    assert item.text(1) == "60 km" and "past 50 km" in item.text(3)
    assert "⚠" in window.training.tabs.tabText(1) and window.training.shoe_warning.isVisible()
    window.training.tabs.setCurrentIndex(1)
    shoes.tree.setFocus()
    item.setSelected(True)
    qtbot.keyClick(shoes.tree, Qt.Key.Key_Delete)
    assert shoe_store.list_shoes(store) == []
    assert all(r.shoe is None for r in run_store.list_runs(store))
    window.ctx.undo.undo()
    assert [u.distance_m for u in shoe_store.list_shoes(store)] == [60_000]
    assert all(r.shoe == "Old faithful" for r in run_store.list_runs(store))


def test_shoe_dialog_checks_names_and_dates(qtbot) -> None:  # type: ignore[no-untyped-def]
    saved: list[Shoe] = []
    dialog = ShoeDialog(None, save=saved.append, taken_names=["Ghost"], unit=MILES)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.warn.value() == 435  # 700 km, in miles
    dialog.name.setText("Ghost")
    dialog.is_retired.setChecked(True)
    dialog.retired.setDate(QDate.currentDate().addDays(-400))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert "already have a shoe" in _error(dialog, "name").text()
    assert "before first use" in _error(dialog, "retired").text()
    dialog.name.setText("Ghost 2")
    dialog.is_retired.setChecked(False)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert saved and saved[0].name == "Ghost 2" and saved[0].retired is None
    assert saved[0].warn_km == pytest.approx(700, abs=1)


def test_clearing_a_habit_day_removes_it_with_undo(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, on_dialog
) -> None:
    day = date.today() - timedelta(days=1)
    habit_store.save_habit_day(store, HabitDay(day=day, core_min=5))

    def clear(dialog: QWidget) -> None:
        assert isinstance(dialog, HabitDialog)
        assert dialog.core.text() == "5"
        dialog.core.clear()
        qtbot.keyClick(dialog.core, Qt.Key.Key_Return)

    on_dialog(clear)
    window.training.log_habits(day)
    assert habit_store.get_habit_day(store, day) is None
    window.ctx.undo.undo()
    assert habit_store.get_habit_day(store, day) == HabitDay(day=day, core_min=5)


def test_habit_values_are_checked_beside_the_field(qtbot) -> None:  # type: ignore[no-untyped-def]
    saved: list[HabitDay] = []
    dialog = HabitDialog(None, save=saved.append, load_day=lambda d: None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert "Nothing to save" in dialog.general_error.text()
    dialog.fatigue.setText("11")
    dialog.core.setText("12.5")
    dialog.sleep.setText("9")
    dialog.sitting.setText("16")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert "whole number" in _error(dialog, "core_min").text()
    dialog.core.setText("12")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert "0 (fresh) to 10" in _error(dialog, "fatigue").text()
    assert "more than 24 hours" in _error(dialog, "sitting_h").text()
    assert not saved


def test_field_parsing() -> None:
    assert parse_duration("1:05:30") == 3930
    assert parse_duration("52:30") == 3150
    assert parse_duration("52") == 3120
    assert parse_duration(" ") is None
    assert parse_hours("7:30") == 7.5 and parse_hours("7,5") == 7.5
    for bad in ("1:5:3:2", "abc", "10:61"):
        with pytest.raises(FieldError):
            parse_duration(bad)


def test_first_start_demo_opens_a_separate_store(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, monkeypatch
) -> None:
    asked: list[object] = []

    def ask(parent: object = None) -> str:
        asked.append(parent)
        return WelcomeDialog.DEMO

    monkeypatch.setattr(WelcomeDialog, "ask", classmethod(lambda cls, parent=None: ask(parent)))
    assert maybe_welcome(window) == WelcomeDialog.DEMO
    demo_dir = demo_data_dir(store.path.parent)
    qtbot.waitUntil(lambda: demo_dir in welcome._demo_windows, timeout=10_000)
    demo = welcome._demo_windows[demo_dir]
    assert demo.ctx.is_demo and "demo data" in demo.windowTitle()
    assert demo.ctx.store.path.parent == demo_dir != store.path.parent
    assert is_demo(demo.ctx.store) and run_store.count_runs(demo.ctx.store) > 100
    banner = demo.findChild(QLabel, "demo_banner_text")
    assert banner is not None and banner.isVisible() and welcome.BANNER_TEXT in banner.text()

    # Working in the demo window never reaches the runner's own database.
    demo.show_page(demo.training)
    runs = run_store.count_runs(demo.ctx.store)
    latest = run_store.list_runs(demo.ctx.store)[-1]
    demo.training.select_run(latest.id or 0)
    demo.training.delete_selected()
    assert run_store.count_runs(demo.ctx.store) == runs - 1
    assert not holds_data(store) and not is_demo(store)
    assert QSettings().value(welcome.WELCOME_KEY, False, type=bool)
    assert maybe_welcome(window) is None and len(asked) == 1  # asked once only

    welcome.explore_demo(window)  # File > Explore demo data… raises the open window
    assert welcome._demo_windows[demo_dir] is demo
    demo.close()  # deleted on close; its store is closed with it
    qtbot.waitUntil(lambda: demo_dir not in welcome._demo_windows)


def test_no_welcome_when_the_diary_holds_data_or_under_smoke(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, monkeypatch
) -> None:
    monkeypatch.setattr(
        WelcomeDialog, "ask", classmethod(lambda cls, parent=None: pytest.fail("asked"))
    )
    assert maybe_welcome(window, smoke=True) is None
    habit_store.save_habit_day(store, HabitDay(day=date.today(), core_min=5))
    assert maybe_welcome(window) is None


def test_demo_refuses_a_folder_with_real_data(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    own = open_store(tmp_path / "own")
    fake_demo = open_store(demo_data_dir(tmp_path / "own"))
    habit_store.save_habit_day(fake_demo, HabitDay(day=date.today(), core_min=5))
    fake_demo.close()
    window = create_window(own)
    qtbot.addWidget(window)
    errors: list[str] = []
    monkeypatch.setattr(welcome, "show_error", lambda parent, title, exc: errors.append(str(exc)))
    try:
        assert welcome.explore_demo(window) is not None
        qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    finally:
        own.close()
    assert "holds your own data" in errors[0]
    assert not welcome._demo_windows


def test_runs_outside_the_span_are_named_with_a_way_to_them(
    qtbot, window: MainWindow, store: Store
) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: runs of 2010-2017 fell outside the default 12 weeks with no hint."""
    run_store.add_run(store, _run(date(2012, 2, 3), 10.0, 63))
    run_store.add_run(store, _run(date(2017, 1, 17), 6.75, 57))
    window.show_page(window.training)
    page = window.training
    assert page.outside_hint.isVisible()
    assert page.outside_hint.text() == (
        "No runs in the last 12 weeks: your 2 runs are from 3 Feb 2012 to 17 Jan 2017."
    )
    qtbot.mouseClick(page.outside_button, Qt.MouseButton.LeftButton)
    assert page.tabs.currentWidget() is page.runs
    assert page.runs.model.rowCount() == 2
    run_store.add_run(store, _run(window.ctx.today(), 5.0, 30))  # one in the span: no hint
    page.reload()
    assert page.outside_hint.isHidden() and page.outside_button.isHidden()
