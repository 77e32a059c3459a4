"""Two check-ups side by side: the result, then only the answers that changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import Assessment
from backstride.core.triage_compare import ComparedRow, compare_assessments
from backstride.core.triage_record import when_text
from backstride.ui.screen_fit import resize_within_screen
from backstride.ui.theme import app_scheme

# An unchanged answer is muted: the scheme's placeholder colour (ui/theme.py).
RESULT_KEYS = ("tier", "patterns", "factors", "rules_version")


class CompareDialog(QDialog):
    def __init__(self, parent: QWidget | None, older: Assessment, newer: Assessment) -> None:
        super().__init__(parent)
        self.setObjectName("CompareDialog")
        self.setWindowTitle("Compare check-ups")
        self.rows: tuple[ComparedRow, ...] = compare_assessments(older, newer)
        answers_changed = [r for r in self.rows if r.key not in RESULT_KEYS]
        heading = QLabel(
            f"What changed between your check-ups of {when_text(older.taken_at)} and "
            f"{when_text(newer.taken_at)}. Changes are in bold."
        )
        heading.setWordWrap(True)

        self.table = QTableWidget(len(self.rows), 3)
        self.table.setObjectName("comparison")
        self.table.setHorizontalHeaderLabels(
            ["", f"Earlier: {when_text(older.taken_at)}", f"Later: {when_text(newer.taken_at)}"]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        for row, compared in enumerate(self.rows):
            for column, text in enumerate((compared.label, compared.before, compared.after)):
                item = QTableWidgetItem(text)
                if compared.changed:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                elif column:
                    item.setForeground(QColor(app_scheme().placeholder))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 230)

        self.summary = QLabel(
            f"{len(answers_changed)} answers changed." if answers_changed else "No answers changed."
        )
        self.summary.setObjectName("summary")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        resize_within_screen(self, 860, 560)
        self.table.resizeRowsToContents()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # column widths are final only once shown
