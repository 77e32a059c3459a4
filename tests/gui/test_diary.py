from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from backstride.core.models import PainEntry
from backstride.store import pain as pain_store
from backstride.store.database import Store, StoreError
from backstride.ui.app import create_window
from backstride.ui.diary.entry_dialog import PainEntryDialog
from backstride.ui.diary.table_model import PainTableModel
from backstride.ui.main_window import MainWindow, about_html

pytestmark = pytest.mark.gui


def _focused(dialog: QWidget) -> QWidget:
    widget = dialog.focusWidget()
    assert widget is not None
    return widget


def test_keyboard_only_entry(qtbot, window: MainWindow, store: Store, when_modal) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, PainEntryDialog)
        assert _focused(dialog) is dialog.intensity  # focus starts on the intensity
        qtbot.keyClicks(_focused(dialog), "4")
        qtbot.keyClick(_focused(dialog), Qt.Key.Key_Return)

    when_modal(fill)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    (entry,) = pain_store.list_pain_entries(store)
    assert entry.intensity == 4
    assert entry.day == date.today()
    assert window.diary.model.rowCount() == 1


def test_pick_regions_by_clicking_the_body_map(
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, PainEntryDialog)
        body = dialog.regions.map
        for code in ("lower_back_left", "buttock_right"):
            qtbot.mouseClick(
                body, Qt.MouseButton.LeftButton, pos=body.regionRect(code).center().toPoint()
            )
        assert dialog.regions.regions() == ("lower_back_left", "buttock_right")
        dialog.intensity.setValue(5)
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_modal(fill)
    window.diary.new_entry()
    (entry,) = pain_store.list_pain_entries(store)
    assert entry.regions == ("lower_back_left", "buttock_right")


def test_edit_then_delete_and_undo(qtbot, window: MainWindow, store: Store, when_modal) -> None:  # type: ignore[no-untyped-def]
    saved = pain_store.add_pain_entry(
        store, PainEntry(day=date.today(), time=time(8, 0), intensity=3, note="x")
    )
    window.diary.reload()
    window.diary.table.selectRow(0)

    def change(dialog: QWidget) -> None:
        assert isinstance(dialog, PainEntryDialog)
        dialog.intensity.setValue(7)
        qtbot.keyClick(dialog.intensity, Qt.Key.Key_Return)

    when_modal(change)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert pain_store.get_pain_entry(store, saved.id or 0).intensity == 7  # type: ignore[union-attr]

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # the closed dialog
    with qtbot.waitActive(window):  # offscreen does not hand activation back after a dialog
        window.activateWindow()
    window.diary.table.setFocus()
    window.diary.table.selectRow(0)
    qtbot.keyClick(window.diary.table, Qt.Key.Key_Delete)
    assert pain_store.list_pain_entries(store) == []
    assert window.diary.model.rowCount() == 0

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    (back,) = pain_store.list_pain_entries(store)
    assert back.id == saved.id and back.intensity == 7
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the edit
    assert pain_store.get_pain_entry(store, saved.id or 0).intensity == 3  # type: ignore[union-attr]
    window.ctx.undo.redo()
    assert pain_store.get_pain_entry(store, saved.id or 0).intensity == 7  # type: ignore[union-attr]


def test_no_pain_today_is_a_real_zero_and_undoable(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(
        window,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    (entry,) = pain_store.list_pain_entries(store)
    assert (entry.day, entry.intensity) == (date.today(), 0)
    assert pain_store.worst_pain_by_day(store, date.today(), date.today()) == {date.today(): 0}
    window.ctx.undo.undo()
    assert pain_store.list_pain_entries(store) == []


def test_repeat_last_prefills_everything_but_the_date(
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:  # type: ignore[no-untyped-def]
    pain_store.add_pain_entry(
        store,
        PainEntry(
            day=date.today() - timedelta(days=3),
            intensity=5,
            regions=("lower_back_centre",),
            timing="after_run",
            quality=("aching",),
            helped=("topical",),
            medication="gel",
        ),
    )

    def accept(dialog: QWidget) -> None:
        assert isinstance(dialog, PainEntryDialog)
        assert dialog.entry().regions == ("lower_back_centre",)
        assert dialog.entry().day == date.today()
        qtbot.keyClick(dialog.intensity, Qt.Key.Key_Return)

    when_modal(accept)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    entries = pain_store.list_pain_entries(store)
    assert len(entries) == 2
    assert entries[-1].medication == "gel" and entries[-1].helped == ("topical",)


def test_repeat_last_copies_the_entry_just_entered_not_the_latest_dated(
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: after entering yesterday's pain, Ctrl+R copied today's older entry."""
    pain_store.add_pain_entry(store, PainEntry(day=date.today(), intensity=2, medication="old"))
    window.diary.reload()
    yesterday = QDate.currentDate().addDays(-1)

    def enter(dialog: QWidget) -> None:
        assert isinstance(dialog, PainEntryDialog)
        dialog.day.setDate(yesterday)
        dialog.intensity.setValue(6)
        dialog.medication.setText("just entered")
        qtbot.keyClick(dialog.intensity, Qt.Key.Key_Return)

    when_modal(enter)
    window.diary.new_entry()
    seen: list[PainEntry] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, PainEntryDialog)
        seen.append(dialog.entry())
        dialog.reject()

    when_modal(look)
    window.diary.repeat_action.trigger()  # Ctrl+R
    assert [(e.intensity, e.medication, e.day) for e in seen] == [(6, "just entered", date.today())]


def test_repeat_last_without_an_entry_this_session_takes_the_one_entered_last(
    store: Store,
) -> None:
    pain_store.add_pain_entry(store, PainEntry(day=date.today(), intensity=2))
    pain_store.add_pain_entry(store, PainEntry(day=date.today() - timedelta(days=5), intensity=7))
    last = pain_store.last_pain_entry(store)
    assert last is not None and last.intensity == 7


def test_invalid_input_is_explained_beside_the_field_and_kept(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    saved: list[PainEntry] = []
    dialog = PainEntryDialog(None, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.day.setDate(QDate.currentDate().addDays(3))
    dialog.intensity.setValue(6)
    dialog.note.setPlainText("typed with care")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    error = dialog.findChild(QLabel, "error_date")
    assert error is not None and error.isVisible() and "future" in error.text()
    assert dialog.isVisible() and not saved
    assert dialog.note.toPlainText() == "typed with care" and dialog.intensity.value() == 6
    dialog.day.setDate(QDate.currentDate())
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert len(saved) == 1 and not dialog.isVisible()


def test_store_failure_keeps_what_was_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    def fail(_: PainEntry) -> None:
        raise StoreError(
            "The disk holding x is full. Free some space and try again; nothing was saved."
        )

    dialog = PainEntryDialog(None, save=fail)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.intensity.setValue(8)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible()
    assert "disk" in dialog.general_error.text() and dialog.general_error.isVisible()
    assert dialog.intensity.value() == 8


def test_table_model_passes_qtmodeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = PainTableModel()
    model.set_entries(
        [
            PainEntry(
                id=i,
                day=date(2026, 1, 1) + timedelta(days=i),
                intensity=i % 11,
                regions=("saddle",) if i % 3 else (),
                time=time(7, i % 60) if i % 2 else None,
            )
            for i in range(25)
        ]
    )
    qtmodeltester.check(model)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    assert model.entry(0).intensity == 10
    qtmodeltester.check(model)


def test_filters_and_calendar_colouring(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    today = date.today()
    pain_store.add_pain_entry(store, PainEntry(day=today, intensity=2, regions=("upper_back",)))
    pain_store.add_pain_entry(store, PainEntry(day=today, intensity=6, regions=("saddle",)))
    pain_store.add_pain_entry(store, PainEntry(day=today - timedelta(days=200), intensity=1))
    page = window.diary
    page.reload()
    assert page.model.rowCount() == 2  # default: last 90 days
    page.period.setCurrentIndex(3)  # all entries
    assert page.model.rowCount() == 3
    page.region.setCurrentIndex(page.region.findData("saddle"))
    assert page.model.rowCount() == 1 and page.model.entry(0).intensity == 6
    assert page.calendar.worstPain(today) == 6


def test_window_geometry_is_remembered(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    first = create_window(store)
    qtbot.addWidget(first)
    first.show()
    first.resize(1300, 820)
    size = first.size()
    first.close()
    second = create_window(store)
    qtbot.addWidget(second)
    assert second.size() == size


def test_about_names_version_and_data_file(store: Store) -> None:
    text = about_html(str(store.path), None)
    assert str(store.path) in text and "0." in text


def test_empty_state_then_table(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    page = window.diary
    assert page.table_stack.currentWidget() is page.empty
    page.log_no_pain()
    assert page.table_stack.currentWidget() is page.table


def test_an_unexpected_error_is_shown_in_words_and_logged(qtbot, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    import sys

    from backstride.ui import app as app_module
    from backstride.ui import errors

    shown: list[str] = []
    monkeypatch.setattr(
        errors.QMessageBox, "warning", lambda parent, title, text: shown.append(text)
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app_module.install_error_dialog(smoke=False)
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert shown and "log file" in shown[0] and "boom" not in shown[0]
    assert any("boom" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_note_fields_count_their_characters_live_and_errors_name_the_field(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: the limit showed only after Save, as "Is 4736 characters" with no name."""
    from backstride.core.limits import NOTE_CHARS
    from backstride.ui.training.habit_dialog import HabitDialog
    from backstride.ui.training.run_dialog import RunDialog

    dialog = PainEntryDialog(None, save=lambda entry: None)
    qtbot.addWidget(dialog)
    dialog.show()
    count = dialog.findChild(QLabel, "note_count")
    assert count is not None and count.isVisible() and count.text() == f"0/{NOTE_CHARS:,}"
    dialog.note.setPlainText("x" * (NOTE_CHARS + 1))
    assert count.text() == f"{NOTE_CHARS + 1:,}/{NOTE_CHARS:,}" and "b00020" in count.styleSheet()
    dialog.medication.setText("y" * (NOTE_CHARS + 5))
    medication = dialog.findChild(QLabel, "medication_count")
    assert medication is not None and medication.text().startswith(f"{NOTE_CHARS + 5:,}/")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    note_error = dialog.findChild(QLabel, "error_note")
    medication_error = dialog.findChild(QLabel, "error_medication")
    assert note_error is not None and note_error.text().startswith("The note is 2,001 characters")
    assert medication_error is not None and "The medication is" in medication_error.text()
    run = RunDialog(None, save=lambda run: None)
    habits = HabitDialog(None, save=lambda day: None, load_day=lambda day: None)
    for other in (run, habits):
        qtbot.addWidget(other)
        assert other.findChild(QLabel, "note_count") is not None


def test_ctrl_q_quits_on_every_platform(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The platform's Quit key is empty on Windows and offscreen; Ctrl+Q still closes."""
    window = create_window(store)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())
