"""A 'what changed' notice (the Anki way): operations announce, pages refresh themselves."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

PAIN = "pain"
RUNS = "runs"
HABITS = "habits"
SHOES = "shoes"
ASSESSMENTS = "assessments"
SETTINGS = "settings"
ALL_DATA = (PAIN, RUNS, HABITS, SHOES, ASSESSMENTS)  # e.g. after a restore or an outside change


class DataEvents(QObject):
    changed = Signal(frozenset)  # of the names above

    def announce(self, *what: str) -> None:
        self.changed.emit(frozenset(what))
