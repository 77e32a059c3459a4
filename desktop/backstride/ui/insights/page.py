"""The Insights page: a period, the charts, the findings and the days behind each one.

Light to import: the charts (QtCharts) and the analysis (numpy) load the first time the
page is shown, and the analysis runs on a worker thread, so neither start-up nor the page
ever waits for it. A change to the diary or training log re-runs it (debounced); while the
page is hidden it only notes that it is stale.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from backstride.ui.context import AppContext
from backstride.ui.data_events import HABITS, PAIN, RUNS, SETTINGS, SHOES
from backstride.ui.display_units import display_unit
from backstride.ui.errors import error_text
from backstride.ui.form import pydate, qdate
from backstride.ui.insights.periods import CUSTOM_MONTHS, DEFAULT_PERIOD, PERIODS, period_range
from backstride.ui.insights.wording import MINIMUM_TEXT
from backstride.ui.worker import Cancelled, Task, run_task

if TYPE_CHECKING:
    from backstride.store.database import Store
    from backstride.ui.insights.charts import ChartsPanel
    from backstride.ui.insights.findings_panel import FindingsPanel
    from backstride.ui.insights.task import InsightsResult

RERUN_ON = frozenset({PAIN, RUNS, HABITS, SHOES})
EXPERIMENTS = "experiments"  # operations.experiments.EXPERIMENTS, without loading it at start
DEBOUNCE_MS = 400  # a burst of changes (an import, typing a date) runs the analysis once
CUSTOM = len(PERIODS) - 1
assert PERIODS[CUSTOM][1] == CUSTOM_MONTHS

EMPTY_TEXT = (
    "<h3>Not enough data yet</h3>"
    "<p>Insights compares your back pain with your training, so it needs both:</p>"
    "<ul>"
    "<li><b>Log your pain every morning on waking</b> (Diary, <b>Ctrl+N</b>), and 0 on good "
    "days (<b>Ctrl+Shift+N</b>): a day without an entry stays missing.</li>"
    "<li><b>Log or import your runs</b> with their distance, time, descent and warm-up.</li>"
    "<li>Optionally log core work, sleep and sitting in the daily habits.</li>"
    "</ul>"
    f"<p>{MINIMUM_TEXT}; after a few weeks of entries, patterns and alerts show here.</p>"
)


def experiment_headline(store: Store, today: date) -> str | None:
    """The current or last experiment in one line (worker thread: its own connection)."""
    from backstride.core.experiment_result import build_result
    from backstride.operations import experiments as ops

    own = store.reopen()
    try:
        experiment = ops.latest_experiment(own)
        if experiment is None:
            return None
        return build_result(experiment, ops.load_log(own, experiment), today).headline()
    finally:
        own.close()


class InsightsPage(QWidget):
    title = "Insights"
    experiments_requested = Signal()  # the window shows the Experiments page

    def __init__(self, ctx: AppContext, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.setObjectName("InsightsPage")
        self.ctx = ctx
        self.today = today
        self.charts: ChartsPanel | None = None  # built on first show
        self.findings: FindingsPanel | None = None
        self.result: InsightsResult | None = None
        self.runs_started = 0  # how many analyses were started (for tests and the log)
        self._task: Task[InsightsResult] | None = None
        self._generation = 0  # a result from an older request is dropped
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._build_bar()
        self.outer = outer = QVBoxLayout(self)
        outer.addLayout(self.bar)
        outer.addWidget(self._build_experiment_panel())
        self.stack = QStackedWidget()
        self.placeholder = QLabel("Loading Insights…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        outer.addWidget(self.stack, 1)
        ctx.events.changed.connect(self._on_changed)

    # -- layout -------------------------------------------------------------
    def _build_bar(self) -> None:
        self.period = QComboBox()
        self.period.setObjectName("period")
        self.period.setAccessibleName("Period")
        for label, _ in PERIODS:
            self.period.addItem(label)
        self.period.setCurrentIndex(DEFAULT_PERIOD)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        self.date_from.setObjectName("date_from")
        self.date_to.setObjectName("date_to")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.dateChanged.connect(lambda *_: self._schedule())
        self.custom_range = QWidget()
        custom = QHBoxLayout(self.custom_range)
        custom.setContentsMargins(0, 0, 0, 0)
        custom.addWidget(QLabel("from"))
        custom.addWidget(self.date_from)
        custom.addWidget(QLabel("to"))
        custom.addWidget(self.date_to)
        self.custom_range.hide()
        self.period.currentIndexChanged.connect(self._period_changed)

        self.busy = QProgressBar()
        self.busy.setObjectName("busy")
        self.busy.setRange(0, 0)  # busy, not a percentage: the steps are uneven
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setWordWrap(True)  # a long error wraps instead of widening the window
        self.rerun = QPushButton("Analyse again")
        self.rerun.setObjectName("rerun")
        self.rerun.setToolTip("Run the analysis again on the chosen period")
        self.rerun.clicked.connect(self.refresh)

        self.bar = QHBoxLayout()
        self.bar.addWidget(QLabel("Period"))
        self.bar.addWidget(self.period)
        self.bar.addWidget(self.custom_range)
        self.bar.addSpacing(12)
        self.bar.addWidget(self.busy)
        self.bar.addWidget(self.status, 1)
        self.bar.addWidget(self.rerun)

    def _build_experiment_panel(self) -> QFrame:
        """The latest experiment's state or verdict, with a way to its page; hidden when
        there is none."""
        self.experiment_panel = panel = QFrame()
        panel.setObjectName("experiment_panel")
        from backstride.ui.theme import themed_style

        themed_style(
            panel,
            lambda s: (
                f"#experiment_panel {{ background: {s.alternate_base}; "
                f"border: 1px solid {s.mid}; border-radius: 4px; }}"
            ),
        )
        self.experiment_text = QLabel()
        self.experiment_text.setObjectName("experiment_text")
        self.experiment_text.setWordWrap(True)
        self.experiment_text.setTextFormat(Qt.TextFormat.PlainText)
        self.experiment_open = QPushButton("Open Experiments")
        self.experiment_open.setObjectName("experiment_open")
        self.experiment_open.setToolTip("The experiment's chart, numbers and caveats")
        self.experiment_open.clicked.connect(self.experiments_requested)
        row = QHBoxLayout(panel)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.experiment_text, 1)
        row.addWidget(self.experiment_open)
        panel.hide()
        self._experiment_generation = 0
        return panel

    def refresh_experiment(self) -> None:
        """Read the latest experiment's verdict on the worker thread."""
        self._experiment_generation += 1
        generation = self._experiment_generation
        store, today = self.ctx.store, self.today()

        def done(line: str | None) -> None:
            if not isValid(self) or generation != self._experiment_generation:
                return
            self.experiment_text.setText(line or "")
            self.experiment_panel.setVisible(line is not None)

        def failed(exc: BaseException) -> None:
            if isValid(self) and generation == self._experiment_generation:
                self.experiment_panel.hide()  # the Experiments page says what is wrong

        run_task(self, lambda _progress: experiment_headline(store, today), done, failed)

    def _build_content(self) -> None:
        """The charts and the findings, built the first time the page is shown."""
        from backstride.ui.insights.charts import ChartsPanel
        from backstride.ui.insights.findings_panel import FindingsPanel

        self.charts = ChartsPanel()
        self.findings = FindingsPanel()
        # On a short window (1024x700, or 150 %) the charts scroll rather than squeeze
        # until their labels are cut and the legends overlap them.
        charts_scroll = QScrollArea()
        charts_scroll.setObjectName("charts_scroll")
        charts_scroll.setWidgetResizable(True)
        charts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        charts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        charts_scroll.setWidget(self.charts)
        splitter = QSplitter()
        splitter.addWidget(charts_scroll)
        splitter.addWidget(self.findings)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([620, 500])
        self.content = splitter
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("empty_state")
        self.empty.setWordWrap(True)
        self.empty.setFixedWidth(600)  # a readable column, centred on the page
        self.empty_box = QWidget()
        box = QVBoxLayout(self.empty_box)
        box.addWidget(self.empty, 0, Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.content)
        self.stack.addWidget(self.empty_box)
        self.alerts = self.findings.alerts  # across the top, above charts and findings
        self.outer.insertWidget(1, self.alerts)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.charts is None:
            self._build_content()
        if self._stale:
            self._stale = False
            QTimer.singleShot(0, self.refresh)  # after the page has painted

    # -- period -------------------------------------------------------------
    def range(self) -> tuple[date | None, date | None]:
        index = self.period.currentIndex()
        if index == CUSTOM:
            return pydate(self.date_from.date()), pydate(self.date_to.date())
        return period_range(index, self.today())

    def _period_changed(self) -> None:
        custom = self.period.currentIndex() == CUSTOM
        if custom:
            start, end = self.result_span() or (self.today() - timedelta(days=89), self.today())
            for edit, value in ((self.date_from, start), (self.date_to, end)):
                edit.blockSignals(True)
                edit.setDate(qdate(value))
                edit.blockSignals(False)
        self.custom_range.setVisible(custom)
        self.refresh()

    def result_span(self) -> tuple[date, date] | None:
        """The period of the analysis on show (to start a custom range from it)."""
        if self.result is None:
            return None
        a = self.result.analysis
        if a.period_from is None or a.period_to is None:
            return None
        return a.period_from, a.period_to

    # -- running ------------------------------------------------------------
    @property
    def is_scheduled(self) -> bool:
        """A run is due (changes are being gathered for one analysis)."""
        return self._timer.isActive()

    @property
    def is_busy(self) -> bool:
        return self._task is not None

    def _on_changed(self, what: frozenset[str]) -> None:
        if EXPERIMENTS in what and not what & RERUN_ON:
            if self.isVisible():
                self.refresh_experiment()
            else:
                self._stale = True
        if what & RERUN_ON:
            self._schedule()
        elif SETTINGS in what and self.result is not None:
            # km or miles: the charts redraw now; the findings' texts name distances, so
            # they are worded again by a new analysis.
            self._show(self.result)
            self._schedule()

    def _schedule(self) -> None:
        if self.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def refresh(self) -> None:
        """Start the analysis of the chosen period on a worker thread."""
        self._timer.stop()
        if not self.isVisible():
            self._stale = True
            return
        start, end = self.range()
        if start is not None and end is not None and start > end:
            self._message(
                "The start date is after the end date: choose a start on or before the end.",
                error=True,
            )
            return
        from backstride.ui.insights.task import compute

        if self._task is not None:
            self._task.cancel()  # its result would be dropped anyway
        self._generation += 1
        generation = self._generation
        store = self.ctx.store
        unit = display_unit()
        self.runs_started += 1
        self.refresh_experiment()
        self.busy.show()
        self._message("Looking for patterns…")
        self._task = run_task(
            self,
            lambda progress: compute(store, start, end, unit, progress),
            lambda result: self._done(generation, result),
            lambda exc: self._failed(generation, exc),
            lambda done, total, text: self._progress(generation, text),
        )

    def _current(self, generation: int) -> bool:
        return isValid(self) and generation == self._generation

    def _progress(self, generation: int, text: str) -> None:
        if self._current(generation) and text:
            self._message(text)

    def _done(self, generation: int, result: InsightsResult) -> None:
        if not self._current(generation):
            return
        self._task = None
        self.busy.hide()
        self.result = result
        self._show(result)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not self._current(generation):
            return
        self._task = None
        self.busy.hide()
        if isinstance(exc, Cancelled):
            return
        self._message(f"Could not analyse your data: {error_text(exc)}", error=True)

    def _message(self, text: str, error: bool = False) -> None:
        escaped = html.escape(text)
        from backstride.ui.theme import app_scheme

        red = app_scheme().error_text
        self.status.setText(f"<span style='color:{red}'>{escaped}</span>" if error else escaped)

    # -- showing ------------------------------------------------------------
    def _show(self, result: InsightsResult) -> None:
        assert self.charts is not None and self.findings is not None
        a = result.analysis
        if a.period_from is None or a.period_to is None or not _has_data(result):
            text = EMPTY_TEXT
            if result.earlier_data:
                text = (
                    "<p><b>Nothing is logged in this period.</b> Choose a longer period "
                    "(or <b>All</b>) above to see your earlier entries.</p>" + text
                )
            self.empty.setText(text)
            self.alerts.hide()
            self.stack.setCurrentWidget(self.empty_box)
            self._message("Nothing logged in this period." if result.earlier_data else "")
            return
        unit = display_unit()
        self.charts.show_data(
            a.series, a.weekly, result.runs, a.load_unit, unit, (a.period_from, a.period_to)
        )
        self.findings.show_analysis(a, result.runs, unit)
        self.stack.setCurrentWidget(self.content)
        patterns = len(a.patterns)
        alerts = sum(f.current for f in a.of_kind("alert"))
        self._message(
            f"{a.period_from.day} {a.period_from:%b %Y} to {a.period_to.day} "
            f"{a.period_to:%b %Y}: {patterns} pattern{'s' if patterns != 1 else ''}, "
            f"{alerts} alert{'s' if alerts != 1 else ''}"
        )


def _has_data(result: InsightsResult) -> bool:
    """Any pain entry or run in the period (an empty period shows what to log instead)."""
    series = result.analysis.series
    return bool(result.runs) or bool(series.points("worst"))
