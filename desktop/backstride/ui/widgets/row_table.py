"""A table read row by row (a row per day or per run, its date in the first column)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

_ROW_ENDS = (
    QAbstractItemView.CursorAction.MoveHome,
    QAbstractItemView.CursorAction.MoveEnd,
)


class RowTable(QTableView):
    """Whole rows are selected. Home and End (with or without Ctrl) go to the first or the
    last row in the first column: Qt's own End goes to the last column too, which scrolls
    the dates out of view."""

    def __init__(self) -> None:
        super().__init__()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab goes on to the next control (arrows move within the table), so the keyboard
        # is never caught in it.
        self.setTabKeyNavigation(False)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        model = self.model()
        if cursorAction not in _ROW_ENDS or model is None or model.rowCount() == 0:
            return super().moveCursor(cursorAction, modifiers)
        last = cursorAction == QAbstractItemView.CursorAction.MoveEnd
        return model.index(model.rowCount() - 1 if last else 0, 0)
