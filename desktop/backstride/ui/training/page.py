"""The Training page: a week at a glance, the per-day table with weekly totals, the
longest recent run, the shoe list and the list of every run.

Only the shown span is read from the store, and only when the page is visible: changes
made while another page is showing mark it stale and it reloads when shown again.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import HabitDay, Run
from backstride.core.training_days import (
    TrainingDay,
    WeekTotals,
    longest_run,
    monday_of,
    pain_span,
    training_days,
    week_totals,
)
from backstride.operations import HABITS, PAIN, RUNS, SHOES
from backstride.operations import training as run_ops
from backstride.store import habits as habit_store
from backstride.store import runs as run_store
from backstride.store import shoes as shoe_store
from backstride.store.pain import list_pain_entries
from backstride.ui.context import AppContext, perform, perform_delete
from backstride.ui.data_events import SETTINGS
from backstride.ui.display_units import display_unit
from backstride.ui.errors import show_error
from backstride.ui.form import qdate
from backstride.ui.theme import themed_style
from backstride.ui.training.day_model import HABIT_COLUMNS, TrainingDayModel
from backstride.ui.training.habit_dialog import HabitDialog
from backstride.ui.training.run_dialog import RunDialog
from backstride.ui.training.runs_list import RunsList
from backstride.ui.training.shoe_list import ShoeList
from backstride.ui.training.week_view import WeekView
from backstride.ui.widgets.row_table import RowTable

SPANS: list[tuple[str, int | None]] = [
    ("Last 4 weeks", 4),
    ("Last 12 weeks", 12),
    ("Last 26 weeks", 26),
    ("Last 12 months", 52),
    ("Everything", None),
]
DEFAULT_SPAN = 1
_WATCHED = frozenset({RUNS, HABITS, PAIN, SHOES, SETTINGS})
_COLUMN_WIDTHS = (172, 76, 64, 78, 66, 54, 68, 110, 80, 100, 62, 56, 60)


class TrainingPage(QWidget):
    title = "Training"
    status_message = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("TrainingPage")
        self.ctx = ctx
        self.today = ctx.today
        self.unit = display_unit()
        self.model = TrainingDayModel(self.unit)
        self.week_monday: date | None = None  # None follows the current week
        self.stale = True
        self.days: list[TrainingDay] = []
        self._outside: tuple[int, date, date] | None = None  # runs, all outside the span
        self._select_next: int | None = None  # a run saved while hidden: select it on load
        self._build()
        self._build_actions()
        ctx.events.changed.connect(self._on_changed)

    # -- layout -----------------------------------------------------------
    def _build(self) -> None:
        self.add_run_button = QPushButton("Add run")
        self.add_run_button.setObjectName("add_run")
        self.add_run_button.setToolTip("Log a run by hand (Ctrl+Shift+R)")
        self.add_run_button.clicked.connect(lambda: self.add_run())
        self.habits_button = QPushButton("Log habits")
        self.habits_button.setObjectName("log_habits")
        self.habits_button.setToolTip("Core work, stretching, sleep… for today (Ctrl+Shift+H)")
        self.habits_button.clicked.connect(lambda: self.log_habits())
        self.longest = QLabel()
        self.longest.setObjectName("longest_run")
        self.shoe_warning = QLabel()
        self.shoe_warning.setObjectName("shoe_warning")
        themed_style(self.shoe_warning, lambda s: f"color: {s.error_text};")
        self.shoe_warning.hide()
        top = QHBoxLayout()
        top.addWidget(self.add_run_button)
        top.addWidget(self.habits_button)
        top.addStretch(1)
        top.addWidget(self.shoe_warning)
        top.addSpacing(16)
        top.addWidget(self.longest)

        self.week = WeekView(self.today)
        self.week.week_requested.connect(self.show_week)
        week_box = QGroupBox("Week")
        week_layout = QVBoxLayout(week_box)
        week_layout.setContentsMargins(6, 4, 6, 6)
        week_layout.addWidget(self.week)

        self.span = QComboBox()
        self.span.setObjectName("span")
        for label, _ in SPANS:
            self.span.addItem(label)
        self.span.setCurrentIndex(DEFAULT_SPAN)
        self.span.currentIndexChanged.connect(lambda _: self.reload())
        self.details_button = QPushButton("Details…")
        self.details_button.setObjectName("run_details")
        self.details_button.setToolTip("The run's profile, every metric and the pain after it")
        self.details_button.clicked.connect(self.details_selected)
        self.edit_button = QPushButton("Edit run…")
        self.edit_button.setObjectName("edit_run")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Delete run")
        self.delete_button.setObjectName("delete_run")
        self.delete_button.clicked.connect(self.delete_selected)
        self.day_habits_button = QPushButton("Habits of the day…")
        self.day_habits_button.setObjectName("day_habits")
        self.day_habits_button.clicked.connect(self._habits_of_selected_day)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show"))
        filters.addWidget(self.span)
        filters.addStretch(1)
        filters.addWidget(self.day_habits_button)
        filters.addWidget(self.details_button)
        filters.addWidget(self.edit_button)
        filters.addWidget(self.delete_button)

        self.table = RowTable()
        self.table.setObjectName("training_table")
        self.table.setAccessibleName("Training days and weeks")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(_COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda index: self._activated(index, details=True))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        table_side = QWidget()
        table_layout = QVBoxLayout(table_side)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addLayout(filters)
        # Runs imported from years back fall outside the span: say where they are.
        self.outside_hint = QLabel()
        self.outside_hint.setObjectName("runs_outside_span")
        self.outside_hint.setWordWrap(True)
        self.outside_button = QPushButton("Show those runs")
        self.outside_button.setObjectName("show_runs_outside_span")
        self.outside_button.clicked.connect(self._show_runs_outside)
        hint = QHBoxLayout()
        hint.addWidget(self.outside_hint, 1)
        hint.addWidget(self.outside_button)
        self.outside_hint.hide()
        self.outside_button.hide()
        table_layout.addLayout(hint)
        table_layout.addWidget(self.table, 1)

        self.shoes = ShoeList(self.ctx, self.today)
        self.shoes.status_message.connect(self.status_message)

        # Tabs give the table its full width (13 columns) and the shoes room for status.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("training_tabs")
        self.runs = RunsList(lambda: run_store.list_runs(self.ctx.store), self.today)
        self.runs.details_requested.connect(self.show_details)
        self.runs.edit_requested.connect(self.edit_run)

        self.tabs.addTab(table_side, "&Days")
        self.tabs.addTab(self.shoes, "Sh&oes")
        self.tabs.addTab(self.runs, "&Runs")

        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(week_box)
        outer.addWidget(self.tabs, 1)

    def _build_actions(self) -> None:
        """Keys of the days table (Add run and Log habits are the main window's menu items)."""
        self.delete_action = QAction(
            "Delete run", self, shortcut=QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the table's
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)
        self.edit_action = QAction("Edit", self.table, shortcut=QKeySequence(Qt.Key.Key_Return))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action.triggered.connect(lambda: self._activated(self.table.currentIndex()))
        self.table.addAction(self.edit_action)
        self._update_buttons()

    # -- loading ----------------------------------------------------------
    def _on_changed(self, what: frozenset[str]) -> None:
        if not what & _WATCHED:
            return
        if self.isVisible():
            self.reload()
        else:
            self.stale = True  # read when shown, so hidden pages cost nothing

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.reload()
        super().showEvent(event)

    def span_dates(self) -> tuple[date | None, date]:
        weeks = SPANS[self.span.currentIndex()][1]
        today = self.today()
        if weeks is None:
            return None, today
        return monday_of(today) - timedelta(weeks=weeks - 1), today

    def reload(self) -> None:
        self.stale = False
        self.unit = display_unit()
        self.model.set_unit(self.unit)
        today = self.today()
        start, end = self.span_dates()
        selected = self.selected_run()
        wanted = self._select_next or (selected.id if selected is not None else None)
        self._select_next = None
        store = self.ctx.store
        try:
            runs = run_store.list_runs(store, start, end)
            habits = habit_store.list_habit_days(store, start, end)
            pain = list_pain_entries(store, start, end + timedelta(days=1))
            uses = shoe_store.list_shoes(store)
            if start is None:
                first = [x[0].day for x in (runs, habits, pain) if x]
                start = min([*first, monday_of(today)])
            self.days = training_days(start, end, runs, habits, pain)
            self.model.set_days(self.days)
            self._show_week(runs if self._week_in_span(start) else None)
            recent = run_store.list_runs(store, today - timedelta(days=29), today)
            self._outside = run_store.run_span(store) if not runs else None
        except Exception as exc:
            show_error(self, "Could not read the training log", exc)
            return
        self.shoes.set_shoes(uses, self.unit)
        self.runs.set_unit(self.unit)
        self.runs.refresh()
        self._show_shoe_warning(uses)
        self._show_longest(recent, today)
        self._show_outside_hint()
        if wanted is not None:
            self.select_run(wanted)
        self._update_buttons()

    def _week_monday(self) -> date:
        return self.week_monday or monday_of(self.today())

    def _week_in_span(self, start: date) -> bool:
        return start <= self._week_monday()

    def _show_week(self, span_runs: list[Run] | None) -> None:
        """Draw the chosen week, from the loaded span when it lies inside it."""
        monday = self._week_monday()
        sunday = monday + timedelta(days=6)
        today = self.today()
        last = min(sunday, today)
        if span_runs is not None:
            days = [d for d in self.days if monday <= d.day <= last]
        elif monday > today:
            days = []
        else:
            store = self.ctx.store
            days = training_days(
                monday,
                last,
                run_store.list_runs(store, monday, last),
                habit_store.list_habit_days(store, monday, last),
                list_pain_entries(store, *pain_span(monday, last)),
            )
        totals = week_totals(days)
        self.week.show_week(
            monday,
            days,
            totals[0] if totals else WeekTotals(monday=monday),
            today,
            self.unit,
        )

    def show_week(self, monday: date | None) -> None:
        """Show the week starting on monday (None: this week)."""
        this = monday_of(self.today())
        self.week_monday = None if monday is None or monday >= this else monday_of(monday)
        try:
            self._show_week(None)
        except Exception as exc:
            show_error(self, "Could not read the training log", exc)

    def show_runs_between(self, first: date, last: date) -> None:
        """Show the runs from first to last (imported ones, often years back, outside the
        days table's span): the week of the latest, and the Runs list of those days."""
        self.show_week(last)
        self.tabs.setCurrentWidget(self.runs)
        self.runs.refresh()  # read now, so the date range holds the new runs
        self.runs.first.setDate(qdate(first))
        self.runs.last.setDate(qdate(last))

    def _show_outside_hint(self) -> None:
        outside = self._outside
        if outside is not None:
            count, first, last = outside
            span = SPANS[self.span.currentIndex()][0].lower()
            runs = "your run is" if count == 1 else f"your {count} runs are"
            when = f"on {_day(first)}" if first == last else f"from {_day(first)} to {_day(last)}"
            self.outside_hint.setText(f"No runs in the {span}: {runs} {when}.")
        self.outside_hint.setVisible(outside is not None)
        self.outside_button.setVisible(outside is not None)

    def _show_runs_outside(self) -> None:
        if self._outside is not None:
            _, first, last = self._outside
            self.show_runs_between(first, last)

    def _show_longest(self, recent: list[Run], today: date) -> None:
        best = longest_run(recent, today, 30)
        if best is None:
            self.longest.setText("No runs in the last 30 days")
            return
        self.longest.setText(
            f"Longest run, last 30 days: <b>{self.unit.distance(best.distance_m, 1)}</b> "
            f"on {best.day:%a %d %b}"
        )

    def _show_shoe_warning(self, uses: list[shoe_store.ShoeUse]) -> None:
        worn = [u.shoe.name for u in uses if u.over_limit and u.shoe.retired is None]
        self.tabs.setTabText(1, "Sh&oes" + (f" (⚠ {len(worn)})" if worn else ""))
        self.shoe_warning.setVisible(bool(worn))
        if worn:
            names = ", ".join(worn[:2]) + (f" and {len(worn) - 2} more" if len(worn) > 2 else "")
            self.shoe_warning.setText(f"⚠ Past their warning distance: {names}")

    # -- selection --------------------------------------------------------
    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_run(self) -> Run | None:
        row = self.selected_row()
        return None if row is None else self.model.run_at(row)

    def selected_day(self) -> date | None:
        row = self.selected_row()
        return None if row is None else self.model.day_at(row)

    def select_run(self, run_id: int) -> None:
        row = self.model.row_of_run(run_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def select_day(self, day: date) -> None:
        row = self.model.row_of_day(day)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _update_buttons(self) -> None:
        has_run = self.selected_run() is not None
        self.details_button.setEnabled(has_run)
        self.edit_button.setEnabled(has_run)
        self.delete_button.setEnabled(has_run)
        self.delete_action.setEnabled(has_run)
        self.day_habits_button.setEnabled(self.selected_day() is not None)

    def _activated(self, index: QModelIndex, details: bool = False) -> None:
        """Double-click (details) or Enter (edit) on a row: the habits, the run or a new run."""
        if not index.isValid():
            return
        day = self.model.day_at(index.row())
        run = self.model.run_at(index.row())
        if day is None:
            return
        if index.column() in HABIT_COLUMNS:
            self.log_habits(day)
        elif run is not None and details:
            self.show_details(run)
        elif run is not None:
            self.edit_run(run)
        else:
            self.add_run(day)

    def _habits_of_selected_day(self) -> None:
        day = self.selected_day()
        if day is not None:
            self.log_habits(day)

    # -- runs -------------------------------------------------------------
    def _active_shoes(self) -> tuple[list[str], str | None]:
        """Shoes still in use, and the one worn last (the likely choice for a new run)."""
        store = self.ctx.store
        names = [u.shoe.name for u in shoe_store.list_shoes(store) if u.shoe.retired is None]
        today = self.today()
        recent = run_store.list_runs(store, today - timedelta(days=60), today)
        last = next((r.shoe for r in reversed(recent) if r.shoe), None)
        return names, last if last in names else None

    def add_run(self, day: date | None = None) -> Run | None:
        try:
            shoes, last_shoe = self._active_shoes()
        except Exception as exc:
            show_error(self, "Could not read the training log", exc)
            return None

        added: list[Run] = []  # the dialog keeps what it sent; the store's copy has the id

        def save(run: Run) -> None:
            added.append(
                perform(self.ctx, self, run_ops.add_run(self.ctx.store, run, self.today()))
            )

        dialog = RunDialog(
            self,
            save=save,
            unit=display_unit(),
            shoes=shoes,
            now=self.ctx.now,
            day=day,
            default_shoe=last_shoe,
        )
        dialog.exec()
        dialog.deleteLater()
        if not added:
            return None
        saved = added[-1]
        assert saved.id is not None
        self._select_next = None if self.isVisible() else saved.id
        self.select_run(saved.id)
        self.status_message.emit("Run saved. Ctrl+Z undoes it.")
        return saved

    def edit_run(self, old: Run) -> None:
        if old.id is None:
            return
        try:
            shoes, _ = self._active_shoes()
            stored = run_store.get_run(self.ctx.store, old.id, with_profile=False) or old
        except Exception as exc:
            show_error(self, "Could not read the training log", exc)
            return

        def save(new: Run) -> None:
            perform(self.ctx, self, run_ops.edit_run(self.ctx.store, stored, new, self.today()))

        dialog = RunDialog(
            self,
            save=save,
            unit=display_unit(),
            shoes=shoes,
            initial=stored,
            title="Edit run",
            now=self.ctx.now,
        )
        dialog.exec()
        dialog.deleteLater()
        if dialog.saved is not None:
            self.status_message.emit("Run changed. Ctrl+Z undoes it.")

    def show_details(self, run: Run) -> None:
        from backstride.ui.runs.detail import RunDetailDialog  # QtCharts: load when needed

        if run.id is None:
            return
        try:
            dialog = RunDetailDialog(self.ctx, run.id, display_unit(), self)
        except Exception as exc:
            show_error(self, "Could not show the run", exc)
            self.reload()
            return
        dialog.exec()
        dialog.deleteLater()

    def details_selected(self) -> None:
        run = self.selected_run()
        if run is not None:
            self.show_details(run)

    def edit_selected(self) -> None:
        run = self.selected_run()
        if run is not None:
            self.edit_run(run)

    def delete_selected(self) -> None:
        run = self.selected_run()
        if run is None or run.id is None:
            return
        store, run_id = self.ctx.store, run.id
        removed = perform_delete(
            self.ctx, self, "run", lambda: run_ops.delete_run(store, run_id), (RUNS,)
        )
        if removed is not None:
            self.status_message.emit("Run deleted. Ctrl+Z brings it back.")

    # -- habits -----------------------------------------------------------
    def log_habits(self, day: date | None = None) -> HabitDay | None:
        store = self.ctx.store
        dialog = HabitDialog(
            self,
            save=lambda h: perform(self.ctx, self, run_ops.log_habits(store, h, self.today())),
            load_day=lambda d: habit_store.get_habit_day(store, d),
            day=day,
            today=self.today,
        )
        dialog.exec()
        dialog.deleteLater()
        if dialog.saved is not None:
            self.select_day(dialog.saved.day)
            self.status_message.emit("Habits saved. Ctrl+Z undoes it.")
        return dialog.saved


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"  # 5 Aug 2010, as the date fields show it
