"""The Experiments page: "Test one change" — plan an experiment by keyboard, follow it day
by day on its chart, and read its verdict.

The verdict (numpy, a bootstrap) is computed on the worker thread; the page shows the plan
at once and the numbers when they arrive.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backstride.core.errors import EXPECTED_ERRORS, ValidationError
from backstride.core.experiment_result import (
    CAVEATS,
    Result,
    build_result,
    power_text,
    suggested_design,
)
from backstride.core.experiment_stats import pairs_compared
from backstride.core.experiments import (
    ACTIVE,
    CHANGES,
    DEFAULT_MIC_POINTS,
    DEFAULT_PAIRS,
    DEFAULT_PHASE_DAYS,
    DEFAULT_WASHOUT_DAYS,
    MIC_PERCENT,
    OUTCOMES,
    PAIRS,
    PAUSED,
    PHASE_DAYS,
    RUNNING,
    Experiment,
    Plan,
    new_seed,
    position,
    suggested_target,
)
from backstride.operations import experiments as ops
from backstride.store import experiments as experiment_store
from backstride.store.runs import list_runs
from backstride.ui.context import AppContext, perform
from backstride.ui.data_events import HABITS, PAIN, RUNS
from backstride.ui.errors import error_text, show_error
from backstride.ui.experiments.chart import ExperimentChart
from backstride.ui.form import pydate, qdate, sentence
from backstride.ui.worker import Progress, run_task

WATCHED = frozenset({ops.EXPERIMENTS, PAIN, RUNS, HABITS})
SMALLEST = [
    (f"{DEFAULT_MIC_POINTS:g} points (the usual smallest change that matters)", DEFAULT_MIC_POINTS),
    ("1 point", 1.0),
    ("3 points", 3.0),
    (f"{MIC_PERCENT:g} % of your pain on off days", None),
]
VERDICT_TITLES = {
    "helped": "Helped",
    "no_difference": "No difference that matters",
    "worse": "Worse",
    "unclear": "Not clear yet",
}
PLAN, FOLLOW = 0, 1


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:+.{digits}f}"


def _interval(values: tuple[float, float] | None) -> str:
    return "–" if values is None else f"{values[0]:+.1f} to {values[1]:+.1f}"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


class ExperimentsPage(QWidget):
    title = "Experiments"
    status_message = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("ExperimentsPage")
        self.ctx = ctx
        self.experiment: Experiment | None = None
        self.result: Result | None = None
        self.stale = True
        self._generation = 0
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_plan())
        self.stack.addWidget(self._build_follow())
        outer = QVBoxLayout(self)
        heading = QLabel("<h2>Test one change</h2>")
        outer.addWidget(heading)
        outer.addWidget(self.stack, 1)
        ctx.events.changed.connect(self._on_changed)

    # -- planning ----------------------------------------------------------
    def _build_plan(self) -> QWidget:
        box = QWidget()
        box.setObjectName("plan_form")
        intro = QLabel(
            "Patterns in past data are associations. To find out whether a change helps "
            "<i>your</i> back, switch it on and off in planned phases; the order within each "
            "pair is drawn at random, and the first days of each phase are a wash-out, left "
            "out of the comparison because back pain carries over."
        )
        intro.setWordWrap(True)
        self.change = QComboBox()
        self.change.setObjectName("change")
        for code, kind in CHANGES.items():
            self.change.addItem(kind.title[:1].upper() + kind.title[1:], code)
        self.change.currentIndexChanged.connect(lambda _: self._change_chosen())
        self.on_means = QLabel()
        self.on_means.setObjectName("on_means")
        self.on_means.setWordWrap(True)
        self.label = QLineEdit()
        self.label.setObjectName("label")
        self.label.setPlaceholderText("e.g. stretch hips after every run")
        self.label.setMaxLength(80)
        self.target = QDoubleSpinBox()
        self.target.setObjectName("target")
        self.target.setRange(0, 5000)
        self.target.setDecimals(0)
        self.phase_days = QSpinBox()
        self.phase_days.setObjectName("phase_days")
        self.phase_days.setRange(*PHASE_DAYS)
        self.phase_days.setValue(DEFAULT_PHASE_DAYS)
        self.phase_days.setSuffix(" days")
        self.pairs = QSpinBox()
        self.pairs.setObjectName("pairs")
        self.pairs.setRange(*PAIRS)
        self.pairs.setValue(DEFAULT_PAIRS)
        self.washout = QSpinBox()
        self.washout.setObjectName("washout")
        self.washout.setRange(0, PHASE_DAYS[1])
        self.washout.setValue(DEFAULT_WASHOUT_DAYS)
        self.washout.setSuffix(" days")
        self.baseline = QCheckBox("A &baseline week first (your usual, not compared)")
        self.baseline.setObjectName("baseline")
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        for code, text in OUTCOMES.items():
            self.outcome.addItem(text[:1].upper() + text[1:], code)
        self.smallest = QComboBox()
        self.smallest.setObjectName("smallest")
        for text, _ in SMALLEST:
            self.smallest.addItem(text)
        self.start = QDateEdit()
        self.start.setObjectName("start")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("ddd d MMM yyyy")
        self.start.setDate(qdate(self.ctx.today()))
        self.power = QLabel()
        self.power.setObjectName("power")
        self.power.setWordWrap(True)
        self.use_suggested = QPushButton()
        self.use_suggested.setObjectName("use_suggested_design")
        self.use_suggested.setToolTip("Set the phases and pairs to the design that would tell")
        self.use_suggested.clicked.connect(self._use_suggested)
        power_row = QWidget()
        power_layout = QVBoxLayout(power_row)
        power_layout.setContentsMargins(0, 0, 0, 0)
        power_layout.addWidget(self.power)
        power_layout.addWidget(self.use_suggested, 0, Qt.AlignmentFlag.AlignLeft)
        for spin in (self.phase_days, self.pairs, self.washout):
            spin.valueChanged.connect(lambda _: self._show_power())
        self.plan_error = QLabel()
        self.plan_error.setObjectName("plan_error")
        self.plan_error.setWordWrap(True)
        self.plan_error.setStyleSheet("color: #b00020;")
        self.plan_error.hide()
        self.start_button = QPushButton("&Start experiment")
        self.start_button.setObjectName("start_experiment")
        self.start_button.setToolTip("Fix the plan and start (Enter)")
        self.start_button.clicked.connect(self.start_experiment)

        form = QFormLayout()
        rows: list[tuple[str, QWidget]] = [
            ("&Change", self.change),
            ("", self.on_means),
            ("&Your change", self.label),
            ("&Target", self.target),
            ("&Phase length", self.phase_days),
            ("P&airs of phases", self.pairs),
            ("&Wash-out", self.washout),
            ("", power_row),
            ("", self.baseline),
            ("&Outcome", self.outcome),
            ("S&mallest change that matters", self.smallest),
            ("Start o&n", self.start),
        ]
        self._rows: dict[QWidget, QLabel] = {}
        for text, widget in rows:
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
            self._rows[widget] = label
        enter = QAction("Start", box)
        enter.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        enter.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        enter.triggered.connect(self.start_experiment)
        box.addAction(enter)
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.plan_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._change_chosen()
        self._show_power()
        return box

    def _show_power(self) -> None:
        """The chance this design finds a 2-point benefit (from the simulated runners), and
        a one-click longer design when this one would often not tell."""
        pairs, days = self.pairs.value(), self.phase_days.value()
        self.power.setText(power_text(pairs, days, self.washout.value()))
        longer = suggested_design(pairs, days)
        if longer is not None:
            self.use_suggested.setText(f"&Use {longer[0]} pairs of {longer[1]}-day phases")
        self.use_suggested.setVisible(longer is not None)

    def _use_suggested(self) -> None:
        longer = suggested_design(self.pairs.value(), self.phase_days.value())
        if longer is not None:
            self.pairs.setValue(longer[0])
            self.phase_days.setValue(longer[1])

    def _change_chosen(self) -> None:
        code = str(self.change.currentData())
        kind = CHANGES[code]
        self.on_means.setText(
            f"<b>On</b> means {kind.on_means}. Kept as planned is known from {kind.source}."
        )
        for widget, visible in (
            (self.label, code == "custom"),
            (self.target, code in ("cadence", "descent")),
        ):
            widget.setVisible(visible)
            self._rows[widget].setVisible(visible)
        if code in ("cadence", "descent"):
            self.target.setSuffix(" steps/min" if code == "cadence" else " m descent per run")
            try:
                start = pydate(self.start.date())
                value = suggested_target(code, list_runs(self.ctx.store, None, start), start)
            except EXPECTED_ERRORS:
                value = None
            self.target.setValue(value or 0)

    def plan(self) -> Plan:
        code = str(self.change.currentData())
        return Plan(
            change=code,
            start=pydate(self.start.date()),
            phase_days=self.phase_days.value(),
            pairs=self.pairs.value(),
            baseline=self.baseline.isChecked(),
            washout_days=self.washout.value(),
            outcome=str(self.outcome.currentData()),
            mic_points=SMALLEST[self.smallest.currentIndex()][1],
            seed=new_seed(),
            label=self.label.text().strip() if code == "custom" else "",
            target=self.target.value() if code in ("cadence", "descent") else None,
        )

    def start_experiment(self) -> Experiment | None:
        try:
            change = ops.start_experiment(self.ctx.store, self.plan(), self.ctx.now())
        except ValidationError as exc:
            self.plan_error.setText(" ".join(sentence(p.message) for p in exc.problems))
            self.plan_error.show()
            return None
        except Exception as exc:
            self.plan_error.setText(error_text(exc))
            self.plan_error.show()
            return None
        self.plan_error.hide()
        saved = perform(self.ctx, self, change)
        self.status_message.emit("Experiment started. Ctrl+Z undoes it.")
        return saved

    # -- following ---------------------------------------------------------
    def _build_follow(self) -> QWidget:
        box = QWidget()
        self.where = QLabel()
        self.where.setObjectName("experiment_where")
        self.where.setWordWrap(True)
        self.kept_button = QPushButton("&Kept today")
        self.kept_button.setObjectName("kept_today")
        self.kept_button.clicked.connect(lambda: self.tick(True))
        self.not_kept_button = QPushButton("&Not kept today")
        self.not_kept_button.setObjectName("not_kept_today")
        self.not_kept_button.clicked.connect(lambda: self.tick(False))
        self.pause_button = QPushButton("&Pause")
        self.pause_button.setObjectName("pause")
        self.pause_button.setToolTip("Pause: the days paused are left out, later phases move on")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.extend_button = QPushButton("E&xtend by a pair")
        self.extend_button.setObjectName("extend")
        self.extend_button.clicked.connect(self.extend)
        self.stop_button = QPushButton("S&top…")
        self.stop_button.setObjectName("stop")
        self.stop_button.clicked.connect(lambda: self.stop())
        self.new_button = QPushButton("Test &another change")
        self.new_button.setObjectName("new_experiment")
        self.new_button.clicked.connect(lambda: self.stack.setCurrentIndex(PLAN))
        buttons = QHBoxLayout()
        for button in (
            self.kept_button,
            self.not_kept_button,
            self.pause_button,
            self.extend_button,
            self.stop_button,
            self.new_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.chart = ExperimentChart()
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.where)
        layout.addLayout(buttons)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.verdict)
        return box

    # -- loading -----------------------------------------------------------
    def _on_changed(self, what: frozenset[str]) -> None:
        if not what & WATCHED:
            return
        if self.isVisible():
            self.reload()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        self.stale = False
        try:
            self.experiment = ops.latest_experiment(self.ctx.store)
        except Exception as exc:
            show_error(self, "Could not read the experiments", exc)
            return
        if self.experiment is None:
            self.stack.setCurrentIndex(PLAN)
            return
        self.stack.setCurrentIndex(FOLLOW)
        self._show_state(self.experiment)
        self._compute(self.experiment)

    def _show_state(self, e: Experiment) -> None:
        today = self.ctx.today()
        status = e.status(today)
        where = position(e.plan, today)
        text = f"<b>{html.escape(e.plan.kind.title[:1].upper() + e.plan.kind.title[1:])}</b>"
        if e.plan.label:
            text += f": {html.escape(e.plan.label)}"
        text += f" — {status}"
        if status == RUNNING and where is not None:
            text += f"<br>{html.escape(where.text(e.plan.name))}"
            text += " (wash-out)" if where.washout else ""
            arm = "do it" if where.phase.arm == "on" else "do not do it"
            text += f"<br>Today: <b>{arm}</b>. On means: {html.escape(e.plan.on_means)}."
        text += (
            f"<br>{e.plan.pairs} pairs of {e.plan.phase_days}-day phases from "
            f"{e.plan.start:%d %b %Y} to {e.plan.end:%d %b %Y}, wash-out {e.plan.washout_days} "
            f"days, order drawn from seed {e.plan.seed}."
        )
        self.where.setText(text)
        active = status in ACTIVE
        asks = e.plan.kind.needs_tick and status == RUNNING
        self.kept_button.setVisible(asks)
        self.not_kept_button.setVisible(asks)
        self.pause_button.setText("&Resume" if status == PAUSED else "&Pause")
        self.pause_button.setVisible(status in (RUNNING, PAUSED))
        self.extend_button.setVisible(active)
        self.stop_button.setVisible(active)
        self.new_button.setVisible(not active)

    def _compute(self, e: Experiment) -> None:
        self._generation += 1
        generation = self._generation
        store, today = self.ctx.store, self.ctx.today()
        exp_id = e.id

        def work(_progress: Progress) -> Result | None:
            own = store.reopen()
            try:
                fresh = experiment_store.get_experiment(own, exp_id) if exp_id else None
                if fresh is None:
                    return None
                return build_result(fresh, ops.load_log(own, fresh), today)
            finally:
                own.close()

        def done(result: Result | None) -> None:
            if generation == self._generation and result is not None:
                self.show_result(result)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self.verdict.setText(html.escape(error_text(exc)))

        self.verdict.setText("Working out the result…")
        run_task(self, work, done, failed)

    def show_result(self, result: Result) -> None:
        self.result = result
        e = result.experiment
        self.chart.set_data(
            e.plan.phases(), result.days, self.ctx.today(), OUTCOMES[e.plan.outcome]
        )
        plan, done = result.plan_result, result.done_result
        title = VERDICT_TITLES[result.verdict] if result.final else "So far"
        lines = [
            f"<h3>{html.escape(title)}</h3><p>{html.escape(result.words())}</p>",
            "<table cellspacing='0' cellpadding='3'>"
            "<tr><th></th><th align='left'>As planned</th><th align='left'>As done</th></tr>"
            f"<tr><td>Effect (on minus off, points)</td><td>{_number(plan.effect)}</td>"
            f"<td>{_number(done.effect)}</td></tr>"
            f"<tr><td>90 % interval</td><td>{_interval(plan.interval)}</td>"
            f"<td>{_interval(done.interval)}</td></tr>"
            f"<tr><td>Days compared (on / off)</td><td>{plan.n_on} / {plan.n_off}</td>"
            f"<td>{done.n_on} / {done.n_off}</td></tr></table>",
            f"<p>Randomisation test: p = {'–' if result.p is None else f'{result.p:.2f}'} "
            f"(over the {2 ** len(pairs_compared(result.days))} orders the plan could have "
            "drawn for the pairs compared). "
            f"Kept as planned: {_share(result.adherence['on'])} of on days, "
            f"{_share(result.adherence['off'])} of off days. Negative = less pain; smallest "
            f"change that matters: {result.mic:g} points.</p>",
        ]
        notes = [*result.events, *(f"{d.day:%d %b}: {d.text}" for d in e.deviations)]
        if notes:
            lines.append(
                "<p><b>During the experiment</b><br>"
                + "<br>".join(html.escape(n) for n in notes)
                + "</p>"
            )
        lines.append("<p><i>" + " ".join(html.escape(c) for c in CAVEATS) + "</i></p>")
        self.verdict.setText("".join(lines))

    # -- actions -----------------------------------------------------------
    def _act(self, what: str, action: str) -> None:
        e = self.experiment
        if e is None:
            return
        today = self.ctx.today()
        try:
            change = {
                "pause": lambda: ops.pause(self.ctx.store, e, today),
                "resume": lambda: ops.resume(self.ctx.store, e, today),
                "extend": lambda: ops.extend(self.ctx.store, e, today),
            }[action]()
        except Exception as exc:
            show_error(self, f"Could not {what}", exc)
            return
        perform(self.ctx, self, change)
        self.status_message.emit(f"Experiment: {what} done. Ctrl+Z undoes it.")

    def toggle_pause(self) -> None:
        e = self.experiment
        if e is not None and e.status(self.ctx.today()) == PAUSED:
            self._act("resume", "resume")
        else:
            self._act("pause", "pause")

    def extend(self) -> None:
        self._act("extend by a pair", "extend")

    def tick(self, kept: bool, day: date | None = None) -> None:
        e = self.experiment
        if e is None:
            return
        try:
            change = ops.tick_day(self.ctx.store, e, day or self.ctx.today(), kept)
        except Exception as exc:
            show_error(self, "Could not save the answer", exc)
            return
        perform(self.ctx, self, change)

    def stop(self, reason: str | None = None) -> None:
        """Stop early; without a reason, ask for one."""
        e = self.experiment
        if e is None:
            return
        if reason is None:
            text, ok = QInputDialog.getText(
                self, "Stop the experiment", "Why do you stop? (kept with the result)"
            )
            if not ok:
                return
            reason = text
        try:
            change = ops.stop(self.ctx.store, e, self.ctx.today(), reason)
        except Exception as exc:
            show_error(self, "Could not stop the experiment", exc)
            return
        perform(self.ctx, self, change)
        self.status_message.emit("Experiment stopped. Ctrl+Z undoes it.")
