"""The Diary page: quick entries, the month calendar and the filterable table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import PainEntry
from backstride.core.vocab import REGIONS
from backstride.operations import PAIN
from backstride.operations import pain as pain_ops
from backstride.store import pain as pain_store
from backstride.ui.context import AppContext, perform, perform_delete
from backstride.ui.diary.table_model import PainTableModel
from backstride.ui.errors import show_error
from backstride.ui.form import pydate, qdate
from backstride.ui.widgets.pain_calendar import PainCalendar, PainScaleLegend

PERIODS: list[tuple[str, int | None]] = [
    ("Last 30 days", 30),
    ("Last 90 days", 90),
    ("Last 12 months", 365),
    ("All entries", None),
    ("Custom range", -1),
]
CUSTOM = len(PERIODS) - 1


class DiaryPage(QWidget):
    title = "Diary"
    status_message = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("DiaryPage")
        self.ctx = ctx
        self.today = ctx.today
        self.model = PainTableModel()
        # Repeat last copies what the runner entered last in this session, not the
        # latest-dated entry (a back-dated entry is still the one just entered).
        self._last_saved_id: int | None = None
        self._build()
        self._build_actions()
        ctx.events.changed.connect(self._on_changed)
        self.reload()

    # -- layout -----------------------------------------------------------
    def _build(self) -> None:
        self.new_button = QPushButton("New entry")
        self.new_button.setToolTip("Add a pain entry (Ctrl+N)")
        self.no_pain_button = QPushButton("No pain today")
        self.no_pain_button.setToolTip("Log today as pain-free: a real 0 (Ctrl+Shift+N)")
        self.repeat_button = QPushButton("Repeat last")
        self.repeat_button.setToolTip(
            "Open the form filled in like your last entry, dated now (Ctrl+R)"
        )
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        for b in (self.new_button, self.no_pain_button, self.repeat_button):
            b.setObjectName(b.text().replace(" ", "_").lower())
        self.new_button.setDefault(True)
        self.new_button.clicked.connect(lambda: self.new_entry())
        self.no_pain_button.clicked.connect(self.log_no_pain)
        self.repeat_button.clicked.connect(self.repeat_last)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)

        buttons = QHBoxLayout()
        for b in (self.new_button, self.no_pain_button, self.repeat_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)

        self.calendar = PainCalendar()
        self.calendar.setObjectName("calendar")
        self.calendar.currentPageChanged.connect(lambda *_: self._load_month())
        self.calendar.activated.connect(lambda q: self.new_entry(day=pydate(q)))
        self.calendar.clicked.connect(lambda q: self.select_day(pydate(q)))
        self.month_summary = QLabel()
        self.month_summary.setObjectName("month_summary")
        self.month_summary.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(self.calendar)
        left.addWidget(PainScaleLegend())
        left.addWidget(self.month_summary)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)

        self.period = QComboBox()
        self.period.setObjectName("period")
        for label, _ in PERIODS:
            self.period.addItem(label)
        self.period.setCurrentIndex(1)
        self.date_from = QDateEdit()
        self.date_from.setCalendarPopup(True)
        self.date_to = QDateEdit()
        self.date_to.setCalendarPopup(True)
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("d MMM yyyy")
        self.custom_range = QWidget()  # shown only for "Custom range"
        custom = QHBoxLayout(self.custom_range)
        custom.setContentsMargins(0, 0, 0, 0)
        custom.addWidget(QLabel("from"))
        custom.addWidget(self.date_from)
        custom.addWidget(QLabel("to"))
        custom.addWidget(self.date_to)
        self.custom_range.hide()
        self.region = QComboBox()
        self.region.setObjectName("region_filter")
        # As narrow as a short region name: the long ones would hold the whole window
        # wider than a 150 % screen.
        self.region.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.region.setMinimumContentsLength(12)
        self.region.addItem("Any region", None)
        for code, label in REGIONS.items():
            self.region.addItem(label, code)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(self._reload_table)
        self.date_to.dateChanged.connect(self._reload_table)
        self.region.currentIndexChanged.connect(self._reload_table)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show"))
        filters.addWidget(self.period)
        filters.addWidget(self.custom_range)
        filters.addWidget(QLabel("where"))
        filters.addWidget(self.region, 1)

        self.table = QTableView()
        self.table.setObjectName("pain_table")
        self.table.setAccessibleName("Pain entries")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((120, 50, 45, 170, 100, 110, 75, 110, 110, 110)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.empty = QLabel(
            "<h3>Your diary is empty</h3>"
            "<p>Press <b>Ctrl+N</b> to log how your back feels now: type a number from 0 to 10 "
            "and press Enter.<br>No pain today? <b>Ctrl+Shift+N</b> logs a pain-free day.</p>"
            "<p>Daily entries, even on good days, are what make patterns visible.</p>"
        )
        self.empty.setObjectName("empty_state")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)

        right = QVBoxLayout()
        right.addLayout(filters)
        right.addWidget(self.table_stack, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)

        splitter = QSplitter()
        splitter.addWidget(left_widget)
        splitter.addWidget(right_widget)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 760])

        outer = QVBoxLayout(self)
        outer.addLayout(buttons)
        outer.addWidget(splitter, 1)

    def _build_actions(self) -> None:
        """Actions the main window puts in its menus; shortcuts work from any page."""
        self.new_action = QAction(
            "&New pain entry…", self, shortcut=QKeySequence(QKeySequence.StandardKey.New)
        )
        self.new_action.triggered.connect(lambda: self.new_entry())
        self.no_pain_action = QAction("No &pain today", self, shortcut=QKeySequence("Ctrl+Shift+N"))
        self.no_pain_action.triggered.connect(self.log_no_pain)
        self.repeat_action = QAction("&Repeat last entry…", self, shortcut=QKeySequence("Ctrl+R"))
        self.repeat_action.triggered.connect(self.repeat_last)
        self.edit_action = QAction("&Edit entry…", self, shortcut=QKeySequence("Ctrl+E"))
        self.edit_action.triggered.connect(self.edit_selected)
        self.delete_action = QAction(
            "&Delete entry", self, shortcut=QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.addAction(self.delete_action)

    # -- loading ----------------------------------------------------------
    def _on_changed(self, what: frozenset[str]) -> None:
        if PAIN in what:
            self.reload()

    def reload(self) -> None:
        self._reload_table()
        self._load_month()

    def _range(self) -> tuple[date | None, date | None]:
        index = self.period.currentIndex()
        if index == CUSTOM:
            return pydate(self.date_from.date()), pydate(self.date_to.date())
        days = PERIODS[index][1]
        if days is None:
            return None, None
        today = self.today()
        return today - timedelta(days=days - 1), today

    def _period_changed(self) -> None:
        custom = self.period.currentIndex() == CUSTOM
        if custom:
            start, end = self._range_for_custom()
            for edit, value in ((self.date_from, start), (self.date_to, end)):
                edit.blockSignals(True)
                edit.setDate(qdate(value))
                edit.blockSignals(False)
        self.custom_range.setVisible(custom)
        self._reload_table()

    def _range_for_custom(self) -> tuple[date, date]:
        today = self.today()
        return today - timedelta(days=29), today

    def _reload_table(self) -> None:
        start, end = self._range()
        selected = self.selected_entry()
        try:
            entries = pain_store.list_pain_entries(
                self.ctx.store, start, end, self.region.currentData()
            )
            total = pain_store.count_pain_entries(self.ctx.store)
        except Exception as exc:
            show_error(self, "Could not read the diary", exc)
            return
        self.model.set_entries(entries)
        self.table_stack.setCurrentWidget(self.empty if total == 0 else self.table)
        if selected is not None and selected.id is not None:
            self.select_entry(selected.id)
        self._update_buttons()

    def _load_month(self) -> None:
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        first = date(year, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        try:
            worst = pain_store.worst_pain_by_day(
                self.ctx.store, first - timedelta(days=7), last + timedelta(days=14)
            )
        except Exception as exc:
            show_error(self, "Could not read the diary", exc)
            return
        self.calendar.setWorstPain(worst)
        in_month = [v for d, v in worst.items() if first <= d <= last]
        if in_month:
            days_in_month = min(last, max(self.today(), first)) - first
            logged = len(in_month)
            pain_free = sum(1 for v in in_month if v == 0)
            self.month_summary.setText(
                f"<b>{first.strftime('%B %Y')}</b>: "
                f"{logged} of {days_in_month.days + 1} days logged, "
                f"{pain_free} pain-free; worst {max(in_month)}/10, "
                f"average worst {sum(in_month) / logged:.1f}/10."
            )
        else:
            self.month_summary.setText(f"<b>{first.strftime('%B %Y')}</b>: no entries.")

    # -- selection --------------------------------------------------------
    def selected_entry(self) -> PainEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def select_entry(self, entry_id: int) -> None:
        row = self.model.row_of(entry_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def select_day(self, day: date) -> None:
        for row in range(self.model.rowCount()):
            if self.model.entry(row).day == day:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return

    def _update_buttons(self) -> None:
        has = self.selected_entry() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.edit_action.setEnabled(has)
        self.delete_action.setEnabled(has)

    # -- operations -------------------------------------------------------
    def _add(self, entry: PainEntry) -> PainEntry:
        saved = perform(self.ctx, self, pain_ops.add_entry(self.ctx.store, entry, self.today()))
        self._last_saved_id = _id(saved)
        self.select_entry(_id(saved))
        return saved

    def new_entry(
        self, day: date | None = None, initial: PainEntry | None = None
    ) -> PainEntry | None:
        from backstride.ui.diary.entry_dialog import PainEntryDialog  # first use, not start-up

        if initial is None and day is not None and day != self.today():
            initial = PainEntry(day=day, intensity=0)
        dialog = PainEntryDialog(self, save=self._add, initial=initial, now=self.ctx.now)
        dialog.exec()
        dialog.deleteLater()
        if dialog.saved is not None:
            self.status_message.emit("Entry saved. Ctrl+Z undoes it.")
        return dialog.saved

    def log_no_pain(self) -> None:
        try:
            saved = perform(self.ctx, self, pain_ops.log_no_pain(self.ctx.store, self.ctx.now()))
        except Exception as exc:
            show_error(self, "Could not log a pain-free day", exc)
            return
        self._last_saved_id = _id(saved)
        self.select_entry(_id(saved))
        self.status_message.emit("Logged today as pain-free (0/10). Ctrl+Z undoes it.")

    def repeat_last(self) -> None:
        """The form filled in like the entry saved last in this session (else the one
        entered last: the highest id), dated now."""
        try:
            last = None
            if self._last_saved_id is not None:  # None again if it was undone or deleted
                last = pain_store.get_pain_entry(self.ctx.store, self._last_saved_id)
            last = last or pain_store.last_pain_entry(self.ctx.store)
        except Exception as exc:
            show_error(self, "Could not read the diary", exc)
            return
        if last is None:
            self.new_entry()
            return
        now = self.ctx.now()
        initial = replace(
            last, id=None, day=now.date(), time=now.time().replace(second=0, microsecond=0)
        )
        self.new_entry(initial=initial)

    def edit_selected(self) -> None:
        old = self.selected_entry()
        if old is None:
            return
        from backstride.ui.diary.entry_dialog import PainEntryDialog

        def save(new: PainEntry) -> None:
            saved = perform(
                self.ctx, self, pain_ops.edit_entry(self.ctx.store, old, new, self.today())
            )
            self._last_saved_id = _id(saved)

        dialog = PainEntryDialog(
            self, save=save, initial=old, title="Edit pain entry", now=self.ctx.now
        )
        dialog.exec()
        dialog.deleteLater()

    def delete_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        store, entry_id = self.ctx.store, _id(entry)
        removed = perform_delete(
            self.ctx, self, "entry", lambda: pain_ops.delete_entry(store, entry_id), (PAIN,)
        )
        if removed is not None:
            self.status_message.emit("Entry deleted. Ctrl+Z brings it back.")


def _id(entry: PainEntry) -> int:
    assert entry.id is not None, "entries shown or saved come from the store"
    return entry.id
