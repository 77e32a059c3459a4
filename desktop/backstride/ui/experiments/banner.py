"""The banner shown above every page while an experiment runs: where it stands today, and
for a change the log cannot show, today's question with its two answers."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from backstride.core.experiments import PAUSED, PLANNED, Experiment, position
from backstride.operations import experiments as ops
from backstride.store import experiments as experiment_store
from backstride.ui.context import AppContext, perform
from backstride.ui.data_events import PAIN
from backstride.ui.errors import show_error
from backstride.ui.theme import themed_style

# The experiment, and a reload of everything (a restore, a change from the command line:
# announced as ALL_DATA, which does not list experiments).
WATCHED = frozenset({ops.EXPERIMENTS, PAIN})
REFRESH_MS = 5 * 60 * 1000  # so a window left open overnight moves on to the new day


class ExperimentBanner(QFrame):
    open_requested = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("experiment_banner")
        self.ctx = ctx
        self.experiment: Experiment | None = None
        themed_style(
            self,
            lambda s: (
                f"#experiment_banner {{ background: {s.notice_background}; "
                f"border: 1px solid {s.notice_border}; border-radius: 4px; }}"
            ),
        )
        self.text = QLabel()
        self.text.setObjectName("experiment_banner_text")
        self.kept = QPushButton("Kept today")
        self.kept.setObjectName("banner_kept")
        self.kept.setToolTip("Today followed the plan")
        self.kept.clicked.connect(lambda: self.answer(True))
        self.not_kept = QPushButton("Not kept")
        self.not_kept.setObjectName("banner_not_kept")
        self.not_kept.setToolTip("Today did not follow the plan")
        self.not_kept.clicked.connect(lambda: self.answer(False))
        self.open = QPushButton("Open")
        self.open.setObjectName("banner_open")
        self.open.setToolTip("The Experiments page")
        self.open.clicked.connect(self.open_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.kept)
        layout.addWidget(self.not_kept)
        layout.addWidget(self.open)
        ctx.events.changed.connect(self._on_changed)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)
        self.refresh()

    def _on_changed(self, what: frozenset[str]) -> None:
        if what & WATCHED:
            self.refresh()

    def refresh(self) -> None:
        today = self.ctx.today()
        try:
            self.experiment = ops.active_experiment(self.ctx.store, today)
            e = self.experiment
            answered = (
                e is not None
                and e.id is not None
                and today in experiment_store.ticks(self.ctx.store, e.id)
            )
        except Exception:  # the page that needs the store says why; the banner just hides
            self.experiment = None
            answered = False
        e = self.experiment
        if e is None:
            self.hide()
            return
        status = e.status(today)
        where = position(e.plan, today)
        if status == PLANNED:
            text = f"Experiment: {e.plan.name} · starts {e.plan.start:%a %d %b}"
        elif status == PAUSED or where is None:
            text = f"Experiment: {e.plan.name} · paused"
        else:
            text = where.text(e.plan.name) + (" · wash-out" if where.washout else "")
        asks = e.plan.kind.needs_tick and status not in (PLANNED, PAUSED) and where is not None
        self.text.setText(text + (" · kept to the plan today?" if asks and not answered else ""))
        self.kept.setVisible(asks and not answered)
        self.not_kept.setVisible(asks and not answered)
        self.show()

    def answer(self, kept: bool) -> None:
        if self.experiment is None:
            return
        try:
            change = ops.tick_day(self.ctx.store, self.experiment, self.ctx.today(), kept)
        except Exception as exc:
            show_error(self, "Could not save the answer", exc)
            return
        perform(self.ctx, self, change)
