from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from backstride.store.database import Store, open_store


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> None:
    """QSettings (window geometry, units) go to a temporary folder in every GUI test."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QApplication.setOrganizationName("BackstrideTests")
    QApplication.setApplicationName("BackstrideTests")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def when_modal(qtbot) -> Iterator[Callable[[Callable[[QWidget], None]], None]]:  # type: ignore[no-untyped-def]
    """Run handler on the next modal dialog as soon as it opens; the handler must close it.

    A dialog still open 5 s later is rejected and the test fails, instead of hanging.
    """
    left_open: list[str] = []

    def schedule(handler: Callable[[QWidget], None]) -> None:
        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(10, poll)
                return
            handler(dialog)
            QTimer.singleShot(5000, lambda: _close_if_open(dialog))

        def _close_if_open(dialog: QWidget) -> None:
            if dialog.isVisible():
                left_open.append(dialog.objectName())
                dialog.close()

        QTimer.singleShot(0, poll)

    yield schedule
    assert not left_open, f"dialogs left open by the test: {left_open}"
