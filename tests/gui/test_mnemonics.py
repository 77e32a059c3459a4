"""Every keyboard mnemonic (Alt+letter) of every dialog: unique in its dialog, and landing
on a visible control that takes the focus (issue 17: Alt+W focused nothing visible, Alt+H
was both "Shoe" and "Average heart rate")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

from backstride.core.models import Run
from backstride.store.database import Store
from backstride.store.runs import add_run
from backstride.ui.backups_dialog import BackupsDialog
from backstride.ui.checkup.wizard import CheckupWizard
from backstride.ui.context import AppContext
from backstride.ui.data_events import DataEvents
from backstride.ui.diary.entry_dialog import PainEntryDialog
from backstride.ui.recovery_dialog import RecoveryDialog
from backstride.ui.report.dialog import ReportDialog
from backstride.ui.report.profile_dialog import ProfileDialog
from backstride.ui.runs.detail import RunDetailDialog
from backstride.ui.training.habit_dialog import HabitDialog
from backstride.ui.training.run_dialog import RunDialog
from backstride.ui.training.shoe_dialog import ShoeDialog
from backstride.ui.welcome import WelcomeDialog

pytestmark = pytest.mark.gui

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text)
    return found[1].lower() if found else None


def mnemonics(dialog: QWidget) -> list[tuple[str, str, QWidget]]:
    """(letter, text, owner) of every visible widget with a mnemonic in the dialog."""
    out: list[tuple[str, str, QWidget]] = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            text = widget.text()
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            text = widget.title()
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                letter = mnemonic(widget.tabText(i))
                if letter:
                    out.append((letter, widget.tabText(i), widget))
            continue
        else:
            continue
        if isinstance(widget, QLabel) and widget.textFormat() == Qt.TextFormat.RichText:
            continue
        letter = mnemonic(text)
        if letter and not (isinstance(widget, QLabel) and widget.buddy() is None):
            out.append((letter, text, widget))
    return out


def takes_focus(widget: QWidget) -> bool:
    target = widget.focusProxy() or widget
    policy = target.focusPolicy()
    return (
        target.isVisible()
        and target.isEnabled()
        and bool(policy.value & Qt.FocusPolicy.TabFocus.value)
    )


def check(qtbot, dialog: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    found = mnemonics(dialog)
    letters = [letter for letter, _, _ in found]
    clashes = {c: [t for x, t, _ in found if x == c] for c in letters if letters.count(c) > 1}
    assert not clashes, f"{dialog.objectName()}: one Alt+letter for several: {clashes}"
    for letter, text, widget in found:
        if not isinstance(widget, QLabel):
            continue
        buddy = widget.buddy()
        assert buddy is not None and takes_focus(buddy), f"{text!r}: no visible focusable buddy"
        qtbot.keyClick(dialog, letter, Qt.KeyboardModifier.AltModifier)
        focused = QApplication.focusWidget()
        assert focused is not None and focused.isVisible(), text
        assert focused in (buddy, buddy.focusProxy()) or buddy.isAncestorOf(focused), (
            f"{text!r} focused {focused.objectName() or type(focused).__name__}"
        )
    for field in dialog.findChildren(QLineEdit):
        if field.isVisible() and field.isEnabled() and not field.isReadOnly():
            before = field.text()
            qtbot.keyClick(field, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
            assert field.text() == before, f"Alt+N typed into {field.objectName()}"


@pytest.fixture
def ctx(store: Store) -> Iterator[AppContext]:
    yield AppContext(store=store, events=DataEvents(), undo=QUndoStack())


DIALOGS: dict[str, Callable[[AppContext, Path], QWidget]] = {
    "entry": lambda ctx, tmp: PainEntryDialog(None, save=lambda e: None),
    "run": lambda ctx, tmp: RunDialog(None, save=lambda r: None, shoes=["Trail 3"]),
    "habit": lambda ctx, tmp: HabitDialog(None, save=lambda h: None, load_day=lambda d: None),
    "shoe": lambda ctx, tmp: ShoeDialog(None, save=lambda s: None),
    "backups": lambda ctx, tmp: BackupsDialog(ctx),
    "recovery": lambda ctx, tmp: RecoveryDialog(tmp, "database disk image is malformed"),
    "profile": lambda ctx, tmp: ProfileDialog(ctx.store, date(2026, 12, 1)),
    "report": lambda ctx, tmp: ReportDialog(ctx),
    "welcome": lambda ctx, tmp: WelcomeDialog(None, ctx),
    "run detail": lambda ctx, tmp: RunDetailDialog(ctx, _a_run(ctx)),
}


def _a_run(ctx: AppContext) -> int:
    run = add_run(ctx.store, Run(start=datetime(2026, 11, 30, 7, tzinfo=UTC), distance_m=8000.0))
    assert run.id is not None
    return run.id


@pytest.mark.parametrize("name", DIALOGS)
def test_every_mnemonic_is_unique_and_lands_on_a_visible_control(
    qtbot, ctx: AppContext, tmp_path: Path, name: str
) -> None:  # type: ignore[no-untyped-def]
    check(qtbot, DIALOGS[name](ctx, tmp_path))


def test_every_checkup_page_has_unique_mnemonics_that_land(qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = CheckupWizard(None)
    check(qtbot, wizard)
    for _ in wizard.question_pages[1:]:
        wizard.next()
        check(qtbot, wizard)
    wizard._dirty = False


def test_alt_w_then_space_ticks_the_first_worse_with_box(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = PainEntryDialog(None, save=lambda e: None)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    qtbot.keyClick(dialog, "w", Qt.KeyboardModifier.AltModifier)
    first = next(iter(dialog.worse._boxes.values()))
    assert QApplication.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Space)
    assert dialog.worse.codes() == (first.objectName().removeprefix("check_"),)
    qtbot.keyClick(first, Qt.Key.Key_Tab)  # on to the second box: the group is no extra stop
    assert QApplication.focusWidget() is list(dialog.worse._boxes.values())[1]
