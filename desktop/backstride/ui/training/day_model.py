"""The training log as a table: a row per day (one per run on a day with several runs),
newest first, each week headed by its totals.

A day's pain and habits show on its first row only, so nothing reads as counted twice.
Pain cells are coloured on the diary's 0-10 scale; a day without an entry stays blank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from backstride.core.models import Run
from backstride.core.training_days import (
    TrainingDay,
    WeekTotals,
    descent_total_text,
    monday_of,
    week_totals,
)
from backstride.core.units import KM, DistanceUnit, duration
from backstride.ui.theme import app_scheme
from backstride.ui.widgets.pain_colors import pain_color, text_color_for

RUN_ROLE = Qt.ItemDataRole.UserRole + 10
DAY_ROLE = Qt.ItemDataRole.UserRole + 11

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class DayRow:
    day: TrainingDay
    run: Run | None
    first: bool  # the day's first row carries its pain and habits


@dataclass(frozen=True, slots=True)
class WeekRow:
    week: WeekTotals


Row = DayRow | WeekRow
Cell = Callable[[DayRow, DistanceUnit], str]


def _run(fn: Callable[[Run, DistanceUnit], str]) -> Cell:
    return lambda r, u: fn(r.run, u) if r.run is not None else ""


def _first(fn: Callable[[TrainingDay], str]) -> Cell:
    return lambda r, u: fn(r.day) if r.first else ""


def _opt(value: float | None, fmt: str) -> str:
    return "" if value is None else fmt.format(value)


def _pain(value: int | None) -> str:
    return "" if value is None else str(value)


COLUMNS: list[tuple[str, Cell]] = [
    ("Date", lambda r, u: f"{r.day.day:%a %d %b %Y}" if r.first else ""),
    ("Distance", _run(lambda run, u: u.distance(run.distance_m))),
    ("Time", _run(lambda run, u: duration(run.moving_time_s))),
    ("Pace", _run(lambda run, u: u.pace(run.moving_time_s, run.distance_m))),
    ("Descent", _run(lambda run, u: u.climb(run.descent_m))),
    ("Effort", _run(lambda run, u: _opt(run.rpe, "{}/10"))),
    (
        "Warm-up",
        _run(
            lambda run, u: (
                ""
                if run.warmup_min is None
                else "none"
                if run.warmup_min == 0
                else f"{run.warmup_min} min"
            )
        ),
    ),
    ("Shoe", _run(lambda run, u: run.shoe or "")),
    ("Worst pain", _first(lambda d: _pain(d.worst_pain))),
    ("Next morning", _first(lambda d: _pain(d.next_morning_pain))),
    ("Core", _first(lambda d: _opt(d.habits.core_min if d.habits else None, "{} min"))),
    ("Sleep", _first(lambda d: _opt(d.habits.sleep_h if d.habits else None, "{:g} h"))),
    ("Fatigue", _first(lambda d: _opt(d.habits.fatigue if d.habits else None, "{}/10"))),
]
DATE, DISTANCE, TIME, PACE, DESCENT = 0, 1, 2, 3, 4
PAIN, NEXT_MORNING, CORE = 8, 9, 10
HABIT_COLUMNS = (CORE, 11, 12)
_NUMERIC = {DISTANCE, TIME, PACE, DESCENT, 5, 6, CORE, 11, 12}
_TOOLTIPS = {
    PAIN: "That day's worst pain (0–10); blank: no diary entry",
    NEXT_MORNING: "Pain on waking the next morning (0–10); blank: no morning entry",
    5: "Effort (RPE 0–10), judged after the run",
}


def build_rows(days: Sequence[TrainingDay]) -> list[Row]:
    """Newest first; each week's total row above its days."""
    by_week: dict[date, list[TrainingDay]] = {}
    for d in days:
        by_week.setdefault(monday_of(d.day), []).append(d)
    totals = {w.monday: w for w in week_totals(days)}
    rows: list[Row] = []
    for monday in sorted(by_week, reverse=True):
        rows.append(WeekRow(totals[monday]))
        for d in sorted(by_week[monday], key=lambda d: d.day, reverse=True):
            if not d.runs:
                rows.append(DayRow(d, None, True))
            for i, run in enumerate(d.runs):
                rows.append(DayRow(d, run, i == 0))
    return rows


def week_cell(w: WeekTotals, column: int, unit: DistanceUnit) -> str:
    if column == DATE:
        runs = f"{w.runs} run" + ("" if w.runs == 1 else "s")
        return f"Week of {w.monday:%d %b} · {runs}"
    if not w.runs:
        return ""
    if column == DISTANCE:
        return unit.distance(w.distance_m, 1)
    if column == TIME:
        return duration(w.moving_time_s)
    if column == DESCENT:
        return descent_total_text(w, unit)
    return ""


class TrainingDayModel(QAbstractTableModel):
    def __init__(self, unit: DistanceUnit = KM) -> None:
        super().__init__()
        self._rows: list[Row] = []
        self._unit = unit
        self._bold = QFont()
        self._bold.setBold(True)

    def set_days(self, days: Sequence[TrainingDay]) -> None:
        self.beginResetModel()
        self._rows = build_rows(days)
        self.endResetModel()

    def set_unit(self, unit: DistanceUnit) -> None:
        self._unit = unit
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )

    @property
    def unit(self) -> DistanceUnit:
        return self._unit

    def row(self, row: int) -> Row:
        return self._rows[row]

    def run_at(self, row: int) -> Run | None:
        r = self._rows[row]
        return r.run if isinstance(r, DayRow) else None

    def day_at(self, row: int) -> date | None:
        r = self._rows[row]
        return r.day.day if isinstance(r, DayRow) else None

    def row_of_run(self, run_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if isinstance(r, DayRow) and r.run is not None and r.run.id == run_id:
                return i
        return None

    def row_of_day(self, day: date) -> int | None:
        for i, r in enumerate(self._rows):
            if isinstance(r, DayRow) and r.day.day == day:
                return i
        return None

    # -- Qt model API -----------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _TOOLTIPS.get(section)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if isinstance(row, WeekRow):
            return self._week_data(row.week, column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column][1](row, self._unit)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (PAIN, NEXT_MORNING):
                return int(Qt.AlignmentFlag.AlignCenter)
            if column in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if column in (PAIN, NEXT_MORNING) and row.first:
            value = row.day.worst_pain if column == PAIN else row.day.next_morning_pain
            if value is not None and role == Qt.ItemDataRole.BackgroundRole:
                return pain_color(value)
            if value is not None and role == Qt.ItemDataRole.ForegroundRole:
                return text_color_for(pain_color(value))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == RUN_ROLE:
            return row.run
        if role == DAY_ROLE:
            return row.day.day
        return None

    def _week_data(self, w: WeekTotals, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return week_cell(w, column, self._unit)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(app_scheme().notice_background)  # light or dark (ui/theme.py)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == DATE:
            return f"Totals for {w.monday:%a %d %b} to {w.sunday:%a %d %b %Y}"
        if role == Qt.ItemDataRole.ToolTipRole and column == DESCENT and w.descent_unknown:
            return f"{w.descent_unknown} of {w.runs} runs have no descent recorded"
        return None

    def _tooltip(self, row: DayRow, column: int) -> str | None:
        if column in HABIT_COLUMNS and row.first and row.day.habits and row.day.habits.note:
            return row.day.habits.note
        if row.run is not None and row.run.note and column not in HABIT_COLUMNS:
            return row.run.note
        return None
