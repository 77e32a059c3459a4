"""A 'what changed' notice (the Anki way): operations announce, pages refresh themselves."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from backstride.operations import ALL_DATA, ASSESSMENTS, HABITS, PAIN, RUNS, SHOES

__all__ = ["ALL_DATA", "ASSESSMENTS", "HABITS", "PAIN", "RUNS", "SETTINGS", "SHOES", "DataEvents"]

SETTINGS = "settings"  # a display setting (km or miles), not data


class DataEvents(QObject):
    changed = Signal(frozenset)  # of the names above

    def announce(self, *what: str) -> None:
        self.changed.emit(frozenset(what))
