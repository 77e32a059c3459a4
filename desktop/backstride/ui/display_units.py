"""The km-or-miles display setting, shared by every page that shows a distance.

Stored in QSettings ("display/units"); a change is announced as SETTINGS so each page
redraws its distances. The data itself is always metres.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction

from backstride.core.units import KM, MILES, UNITS, DistanceUnit
from backstride.ui.data_events import SETTINGS, DataEvents

UNITS_KEY = "display/units"


def display_unit() -> DistanceUnit:
    code = QSettings().value(UNITS_KEY, KM.code)
    return UNITS.get(str(code), KM)


def set_display_unit(unit: DistanceUnit, events: DataEvents | None = None) -> None:
    QSettings().setValue(UNITS_KEY, unit.code)
    if events is not None:
        events.announce(SETTINGS)


def miles_action(parent: QObject, events: DataEvents) -> QAction:
    """The checkable View > "Distances in miles" action."""
    action = QAction("Distances in &miles", parent)
    action.setObjectName("miles_action")
    action.setCheckable(True)
    action.setChecked(display_unit() is MILES)
    action.setToolTip("Show distances and paces in miles instead of kilometres")
    action.toggled.connect(lambda on: set_display_unit(MILES if on else KM, events))

    def follow(what: frozenset[str]) -> None:  # another window may have changed it
        if SETTINGS in what:
            action.blockSignals(True)
            action.setChecked(display_unit() is MILES)
            action.blockSignals(False)

    events.changed.connect(follow)
    return action
