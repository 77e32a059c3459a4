"""The diary as a table: one row per entry, sorted by the model itself on Python keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from backstride.core.models import PainEntry
from backstride.core.vocab import HELPED, QUALITIES, REGIONS, TIMINGS, WORSE

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def _labels(codes: Sequence[str], vocab: dict[str, str] | Any) -> str:
    return ", ".join(vocab.get(c, c) for c in codes)


# (header, display, sort key)
_COLUMNS: list[tuple[str, Any, Any]] = [
    (
        "Date",
        lambda e: e.day.strftime("%a %d %b %Y"),
        lambda e: (e.day, e.time or time(0), e.id or 0),
    ),
    ("Time", lambda e: e.time.strftime("%H:%M") if e.time else "", lambda e: e.time or time(0)),
    ("Pain", lambda e: str(e.intensity), lambda e: e.intensity),
    ("Where", lambda e: _labels(e.regions, REGIONS), lambda e: _labels(e.regions, REGIONS)),
    ("When", lambda e: TIMINGS.get(e.timing, "") if e.timing else "", lambda e: e.timing or ""),
    ("Felt like", lambda e: _labels(e.quality, QUALITIES), lambda e: _labels(e.quality, QUALITIES)),
    (
        "Stiffness",
        lambda e: f"{e.stiffness_min} min" if e.stiffness_min is not None else "",
        lambda e: -1 if e.stiffness_min is None else e.stiffness_min,
    ),
    ("Worse with", lambda e: _labels(e.worse, WORSE), lambda e: _labels(e.worse, WORSE)),
    ("Helped", lambda e: _labels(e.helped, HELPED), lambda e: _labels(e.helped, HELPED)),
    ("Medication", lambda e: e.medication, lambda e: e.medication.lower()),
    ("Note", lambda e: e.note.replace("\n", " "), lambda e: e.note.lower()),
]
PAIN_COLUMN = 2


class PainTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._entries: list[PainEntry] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_entries(self, entries: Sequence[PainEntry]) -> None:
        """Replace the rows, keeping the sort order the user chose."""
        self.beginResetModel()
        self._entries = list(entries)
        if self._sort is not None:
            column, order = self._sort
            self._entries.sort(
                key=_COLUMNS[column][2], reverse=order == Qt.SortOrder.DescendingOrder
            )
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(_COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        moved = [(i, self._entries[i.row()], i.column()) for i in old]
        self._entries.sort(key=_COLUMNS[column][2], reverse=order == Qt.SortOrder.DescendingOrder)
        position = {id(e): row for row, e in enumerate(self._entries)}
        self.changePersistentIndexList(
            old, [self.index(position[id(e)], col) for _, e, col in moved]
        )
        self.layoutChanged.emit()

    def entry(self, row: int) -> PainEntry:
        return self._entries[row]

    def row_of(self, entry_id: int) -> int | None:
        for row, e in enumerate(self._entries):
            if e.id == entry_id:
                return row
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not 0 <= section < len(_COLUMNS):
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _COLUMNS[section][0]
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[column][1](entry)
        if role == Qt.ItemDataRole.ToolTipRole and column == len(_COLUMNS) - 1 and entry.note:
            return entry.note
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PAIN_COLUMN:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ENTRY_ROLE:
            return entry
        return None
