"""Every run in one list, sortable by any column and filtered by shoe, surface and dates,
so a runner finds "that trail run in May". Double-click shows a run's details, Enter edits.

Runs are read only while the list is visible; a change made meanwhile marks it stale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from backstride.core.limits import latest_run_day
from backstride.core.models import Run
from backstride.core.units import KM, DistanceUnit, duration
from backstride.core.vocab import SURFACES
from backstride.ui.errors import show_error
from backstride.ui.form import DATE_FORMAT, pydate, qdate
from backstride.ui.widgets.row_table import RowTable

_Index = QModelIndex | QPersistentModelIndex
Sortable = float | str | None
Column = tuple[str, Callable[[Run, DistanceUnit], str], Callable[[Run], Sortable]]


def _pace(run: Run) -> float | None:
    if not run.distance_m or not run.moving_time_s:
        return None
    return run.moving_time_s / run.distance_m


COLUMNS: list[Column] = [
    ("Date", lambda r, u: f"{r.start:%a %d %b %Y, %H:%M}", lambda r: r.start.timestamp()),
    ("Distance", lambda r, u: u.distance(r.distance_m), lambda r: r.distance_m),
    ("Time", lambda r, u: duration(r.moving_time_s), lambda r: r.moving_time_s),
    ("Pace", lambda r, u: u.pace(r.moving_time_s, r.distance_m), _pace),
    ("Descent", lambda r, u: u.climb(r.descent_m), lambda r: r.descent_m),
    ("Effort", lambda r, u: "" if r.rpe is None else f"{r.rpe}/10", lambda r: r.rpe),
    (
        "Surface",
        lambda r, u: SURFACES.get(r.surface, r.surface) if r.surface else "",
        lambda r: r.surface,
    ),
    ("Shoe", lambda r, u: r.shoe or "", lambda r: (r.shoe or "").casefold() or None),
    ("Source", lambda r, u: r.source, lambda r: r.source.casefold() or None),
]
DATE, DISTANCE, TIME, PACE, DESCENT, EFFORT = range(6)
_NUMERIC = {DISTANCE, TIME, PACE, DESCENT, EFFORT}
RUN_ROLE = Qt.ItemDataRole.UserRole + 20
ANY = "any"  # a filter that lets every run through
NO_SHOE = "none"


class RunsModel(QAbstractTableModel):
    """The runs, one per row, sorted by a column (unknown values last either way)."""

    def __init__(self, unit: DistanceUnit = KM) -> None:
        super().__init__()
        self._runs: list[Run] = []
        self._unit = unit
        self._sort = (DATE, Qt.SortOrder.DescendingOrder)  # newest first

    def set_runs(self, runs: Sequence[Run]) -> None:
        self.beginResetModel()
        self._runs = self._sorted(runs)
        self.endResetModel()

    def set_unit(self, unit: DistanceUnit) -> None:
        self._unit = unit
        if self._runs:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._runs) - 1, len(COLUMNS) - 1)
            )

    def run_at(self, row: int) -> Run:
        return self._runs[row]

    def row_of_run(self, run_id: int) -> int | None:
        return next((i for i, r in enumerate(self._runs) if r.id == run_id), None)

    def _sorted(self, runs: Sequence[Run]) -> list[Run]:
        column, order = self._sort
        key = COLUMNS[column][2]
        known = [r for r in runs if key(r) is not None]
        unknown = [r for r in runs if key(r) is None]
        descending = order == Qt.SortOrder.DescendingOrder
        # A column's keys are all numbers or all text, which mypy cannot see in the union.
        known.sort(key=key, reverse=descending)  # type: ignore[arg-type]
        return known + unknown

    # -- Qt model ---------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._runs):
            return None
        run = self._runs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](run, self._unit)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and run.note:
            return run.note
        if role == RUN_ROLE:
            return run
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._runs = self._sorted(self._runs)
        self.layoutChanged.emit()


def matches(run: Run, shoe: str, surface: str, first: date, last: date) -> bool:
    """run passes the filters: a shoe name (NO_SHOE: none recorded), a surface code, days."""
    if shoe != ANY and (run.shoe or NO_SHOE) != shoe:
        return False
    if surface != ANY and run.surface != surface:
        return False
    return first <= run.day <= last


class RunsList(QWidget):
    """The Runs tab. `load` reads every run (the page passes the store's list_runs)."""

    details_requested = Signal(object)  # Run
    edit_requested = Signal(object)  # Run

    def __init__(self, load: Callable[[], list[Run]], today: Callable[[], date]) -> None:
        super().__init__()
        self.setObjectName("runs_list")
        self._load = load
        self._today = today
        self._runs: list[Run] = []
        self.stale = True
        self.model = RunsModel()

        self.shoe = QComboBox()
        self.shoe.setObjectName("runs_shoe")
        self.surface = QComboBox()
        self.surface.setObjectName("runs_surface")
        self.surface.addItem("Any surface", ANY)
        for code, name in SURFACES.items():
            self.surface.addItem(name, code)
        self.first = QDateEdit()
        self.first.setObjectName("runs_from")
        self.last = QDateEdit()
        self.last.setObjectName("runs_to")
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
        self.first.setDate(self.first.minimumDate())  # the whole span until one is chosen
        self.last.setDate(self.last.maximumDate())
        self.count = QLabel()
        self.count.setObjectName("runs_count")

        self.table = RowTable()
        self.table.setObjectName("runs_table")
        self.table.setAccessibleName("Runs")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(DATE, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)  # as dense as the days table
        self.table.setWordWrap(False)
        self.table.setColumnWidth(DATE, 190)
        self.table.doubleClicked.connect(lambda index: self._request(index, details=True))
        self.edit_action = QAction("Edit", self.table, shortcut=QKeySequence(Qt.Key.Key_Return))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action.triggered.connect(
            lambda: self._request(self.table.currentIndex(), details=False)
        )
        self.table.addAction(self.edit_action)

        filters = QHBoxLayout()
        filter_widgets: list[tuple[str, QWidget]] = [
            ("&Shoe", self.shoe),
            ("S&urface", self.surface),
            ("Fro&m", self.first),
            ("&to", self.last),
        ]
        for text, widget in filter_widgets:
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.shoe.currentIndexChanged.connect(lambda _: self._filter())
        self.surface.currentIndexChanged.connect(lambda _: self._filter())
        self.first.dateChanged.connect(lambda _: self._filter())
        self.last.dateChanged.connect(lambda _: self._filter())

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.refresh()
        super().showEvent(event)

    def set_unit(self, unit: DistanceUnit) -> None:
        self.model.set_unit(unit)

    def refresh(self) -> None:
        """Read the runs again now if visible, else when next shown."""
        if not self.isVisible():
            self.stale = True
            return
        self.stale = False
        try:
            self._runs = self._load()
        except Exception as exc:
            show_error(self, "Could not read the runs", exc)
            return
        self._fill_filters()
        self._filter()

    def _fill_filters(self) -> None:
        """The shoes worn in the runs, and a date range over them all (kept if set)."""
        chosen = self.shoe.currentData() or ANY
        names = sorted({r.shoe for r in self._runs if r.shoe}, key=str.casefold)
        for widget in (self.shoe, self.first, self.last):
            widget.blockSignals(True)
        self.shoe.clear()
        self.shoe.addItem("Any shoe", ANY)
        for name in names:
            self.shoe.addItem(name, name)
        self.shoe.addItem("No shoe recorded", NO_SHOE)
        self.shoe.setCurrentIndex(max(0, self.shoe.findData(chosen)))
        # The dates span every run; an end left at the last day (or a start at the first)
        # follows new runs, a date the runner chose stays.
        whole_start = self.first.date() == self.first.minimumDate()
        whole_end = self.last.date() == self.last.maximumDate()
        latest = latest_run_day(self._today())
        earliest = qdate(min((r.day for r in self._runs), default=latest))
        for edit in (self.first, self.last):
            edit.setDateRange(earliest, qdate(latest))
        if whole_start:
            self.first.setDate(earliest)
        if whole_end:
            self.last.setDate(qdate(latest))
        for widget in (self.shoe, self.first, self.last):
            widget.blockSignals(False)

    def _filter(self) -> None:
        shoe, surface = self.shoe.currentData() or ANY, self.surface.currentData() or ANY
        first, last = pydate(self.first.date()), pydate(self.last.date())
        shown = [r for r in self._runs if matches(r, shoe, surface, first, last)]
        self.model.set_runs(shown)
        total = len(self._runs)
        self.count.setText(f"{len(shown)} of {total} run{'s' if total != 1 else ''}")

    def select_run(self, run_id: int) -> None:
        row = self.model.row_of_run(run_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _request(self, index: QModelIndex, details: bool) -> None:
        if index.isValid():
            run = self.model.run_at(index.row())
            (self.details_requested if details else self.edit_requested).emit(run)
