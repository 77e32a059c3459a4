"""A chart's data as a table: what a chart shows, readable by keyboard and screen reader."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from backstride.ui.widgets.row_table import RowTable

_Index = QModelIndex | QPersistentModelIndex


class DataTableModel(QAbstractTableModel):
    """Read-only rows of text under a header."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        super().__init__()
        self.header = tuple(header)
        self.rows = [tuple(row) for row in rows]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.header)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.AccessibleTextRole and not value:
            return "no value"  # a missing day is said, never read as 0
        return value

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.header[section]
        return None


class DataTableDialog(QDialog):
    def __init__(
        self,
        parent: QWidget,
        title: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chart_data_table")
        self.setWindowTitle(f"{title}: data")
        layout = QVBoxLayout(self)
        note = QLabel(
            f"The data behind the chart, {len(rows)} row{'s' if len(rows) != 1 else ''}. "
            "An empty cell is a day or week without data (never 0)."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = RowTable()
        self.table.setObjectName("chart_data")
        self.table.setAccessibleName(f"{title}: data")
        self.model = DataTableModel(header, rows)
        self.table.setModel(self.model)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        from backstride.ui.screen_fit import resize_within_screen

        resize_within_screen(self, 620, 480)


def show_data_table(
    parent: QWidget, title: str, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> QDialog:
    """Open (not modal) a table of a chart's data; returns the dialog."""
    dialog = DataTableDialog(parent, title, header, rows)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.table.setFocus()
    return dialog
