"""Window sizes (issue 17): at 1024x700, and at 150 % on a 1440x900 screen, every button
is inside its window and no window or dialog is larger than the screen; a saved geometry
comes back only if it fits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from backstride.store.database import Store
from backstride.ui.app import create_window
from backstride.ui.main_window import MainWindow
from tests.gui.window_probe import screen_env

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("width", "height", "scale"),
    [(1024, 700, 1.0), (1440, 900, 1.5)],
    ids=["1024x700", "1440x900-at-150%"],
)
def test_every_window_and_button_fits_the_screen(width: int, height: int, scale: float) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.window_probe"],
        cwd=ROOT,
        env=screen_env(width, height, scale),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    reports = [line for line in done.stdout.splitlines() if line.startswith("[")]
    assert reports, done.stdout[-2000:] + done.stderr[-2000:]
    assert json.loads(reports[-1]) == []


def _reopened(qtbot, store: Store, width: int, height: int) -> MainWindow:  # type: ignore[no-untyped-def]
    first = create_window(store)
    qtbot.addWidget(first)
    first.show()
    first.resize(width, height)
    first.close()  # saves its geometry
    again = create_window(store)
    qtbot.addWidget(again)
    return again


def test_a_squat_geometry_saved_at_another_scale_opens_at_the_default(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    """A geometry saved at 150 % came back about 1000x360 at 100 %."""
    assert _reopened(qtbot, store, 1000, 360).size() == QSize(1180, 760)


def test_a_geometry_that_fits_is_restored(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert _reopened(qtbot, store, 1300, 820).size() == QSize(1300, 820)


def test_a_geometry_larger_than_the_screen_comes_back_within_it(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = _reopened(qtbot, store, 2600, 1500)
    screen = window.screen().availableGeometry()
    assert screen.contains(window.geometry())
