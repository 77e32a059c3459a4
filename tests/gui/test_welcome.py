"""Issue 14: the first start, page by page and by keyboard: the welcome says what the app
does, where the data stays and that it never diagnoses; units, an optional profile, then
the runner's own diary or the demo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QWidget

from backstride.core.profile import Profile
from backstride.core.units import KM, MILES
from backstride.store.database import Store
from backstride.store.profile import load_profile
from backstride.ui import welcome
from backstride.ui.app import create_window
from backstride.ui.display_units import UNITS_KEY, display_unit
from backstride.ui.main_window import MainWindow
from backstride.ui.welcome import WelcomeDialog, maybe_welcome

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    w = create_window(store)
    qtbot.addWidget(w)
    return w


def make(qtbot, window: MainWindow) -> WelcomeDialog:  # type: ignore[no-untyped-def]
    dialog = WelcomeDialog(window, window.ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def enter(qtbot, dialog: QWidget) -> None:  # type: ignore[no-untyped-def]
    focused = dialog.focusWidget() or dialog
    qtbot.keyClick(focused, Qt.Key.Key_Return)


def test_the_welcome_says_what_where_and_that_it_never_diagnoses(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store
) -> None:
    dialog = make(qtbot, window)
    text = dialog.findChild(QLabel, "welcome_text")
    assert text is not None and text.isVisible()
    shown = text.text()
    assert str(store.path.parent) in shown and "stays on this computer" in shown
    assert "never diagnoses" in shown and "warning signs" in shown
    assert dialog.findChild(QLabel, "welcome_step").text() == "Step 1 of 4"  # type: ignore[union-attr]
    assert not dialog.back_button.isEnabled() and not dialog.own_button.isVisible()


def test_the_keyboard_walks_through_units_and_profile_to_my_diary(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store
) -> None:
    QSettings().setValue(UNITS_KEY, KM.code)
    dialog = make(qtbot, window)
    enter(qtbot, dialog)  # Next
    assert dialog.page == "units" and dialog.km.hasFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Alt+M: miles
    qtbot.waitUntil(dialog.miles.isChecked)  # a mnemonic clicks with a short animation
    enter(qtbot, dialog)
    assert dialog.page == "profile" and display_unit() is MILES  # saved on leaving the page
    assert window.miles_action.isChecked()  # ... and applied to the open window
    fields = dialog.profile
    assert fields.name.hasFocus()
    qtbot.keyClicks(fields.name, "Ana")
    fields.year.setText("1985")
    # Miles chosen: height in feet and inches, weight in pounds (stored in cm and kg).
    assert fields.height_label.text() == "&Height (ft, in):"
    assert fields.weight_label.text() == "&Weight (lb):"
    fields.height.setText("172")  # inches: out of the limits, said in feet and inches
    fields.weight.setText("150,5")  # a decimal comma works
    fields.since.setText("1970")
    enter(qtbot, dialog)
    assert dialog.page == "profile"  # refused: running since before the year of birth
    error = dialog.findChild(QLabel, "error_running_since")
    assert error is not None and error.isVisible() and "year of birth" in error.text()
    height_error = dialog.findChild(QLabel, "error_height_cm")
    assert height_error is not None and height_error.isVisible()
    assert "1 ft 8 in to 8 ft 2 in" in height_error.text()
    assert load_profile(store).empty
    fields.height.setText("5 ft 8 in")
    fields.since.setText("2015")
    enter(qtbot, dialog)
    assert dialog.page == "start" and not error.isVisible()
    assert load_profile(store) == Profile("Ana", 1985, 172.72, 68.27, 2015)
    assert window.ctx.undo.canUndo()  # through the profile operation: Ctrl+Z undoes it
    assert dialog.own_button.isDefault() and dialog.demo_button.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # Alt+B: back
    qtbot.waitUntil(lambda: dialog.page == "profile")
    enter(qtbot, dialog)
    assert window.ctx.undo.count() == 1  # unchanged the second time: nothing stored again
    enter(qtbot, dialog)  # Enter on the last page: Start my diary
    assert dialog.result() == WelcomeDialog.DialogCode.Accepted
    assert dialog.choice == WelcomeDialog.OWN


def test_an_empty_profile_stores_nothing_and_the_demo_can_be_chosen(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store
) -> None:
    dialog = make(qtbot, window)
    for _ in range(3):
        dialog.next()
    assert dialog.page == "start" and load_profile(store).empty
    assert not window.ctx.undo.canUndo()
    dialog.demo_button.click()
    assert dialog.choice == WelcomeDialog.DEMO


def test_ask_builds_the_welcome_on_the_windows_data(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, when_modal
) -> None:
    seen: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, WelcomeDialog)
        seen.append(dialog.findChild(QLabel, "welcome_text").text())  # type: ignore[union-attr]
        dialog.reject()  # closing it means my own diary

    when_modal(answer)
    assert maybe_welcome(window) == WelcomeDialog.OWN
    assert str(store.path.parent) in seen[0]
    assert QSettings().value(welcome.WELCOME_KEY, False, type=bool)


def test_mnemonics_of_each_welcome_page_are_unique_and_land(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow
) -> None:
    from tests.gui.test_mnemonics import check

    dialog = WelcomeDialog(window, window.ctx)
    for _ in range(len(WelcomeDialog.PAGES)):
        check(qtbot, dialog)
        dialog.next()


def test_every_welcome_page_fits_1440x900_at_150_percent(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """960x600 logical pixels; test_window_sizes also opens it on such screens."""
    dialog = make(qtbot, window)
    for _ in range(len(WelcomeDialog.PAGES)):
        hint = dialog.minimumSizeHint()
        assert hint.width() <= 960 and hint.height() <= 600, (dialog.page, hint)
        dialog.next()
