"""One Monday-to-Sunday week at a glance: each day's runs, that day's worst pain and the
next morning's pain as coloured chips, and the habits done."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import HabitDay, Run
from backstride.core.training_days import (
    TrainingDay,
    WeekTotals,
    descent_total_text,
    monday_of,
)
from backstride.core.units import KM, DistanceUnit, duration
from backstride.ui.theme import app_scheme
from backstride.ui.widgets.pain_colors import pain_color, text_color_for


def _muted() -> str:
    """Muted words: the scheme's placeholder colour (4.5:1 in light and dark, ui/theme.py)."""
    return app_scheme().placeholder


def pain_chip(label: str, value: int | None) -> str:
    """A small coloured chip on the diary's pain scale; a missing value says so in grey."""
    if value is None:  # missing, never 0
        return f'<span style="color:{_muted()};">{label}: –</span>'
    bg = pain_color(value)
    fg = text_color_for(bg)
    return (
        f"{label}: <span style='background-color:{bg.name()}; color:{fg.name()};'>"
        f"&nbsp;<b>{value}</b>&nbsp;</span>"
    )


def run_html(run: Run, unit: DistanceUnit) -> str:
    head = " · ".join(
        x for x in (unit.distance(run.distance_m, 1), duration(run.moving_time_s)) if x
    )
    details = [unit.pace(run.moving_time_s, run.distance_m)]
    if run.descent_m is not None:
        details.append("↓" + unit.climb(run.descent_m).replace(" ", "\u00a0"))  # one piece
    effort = []
    if run.rpe is not None:
        effort.append(f"RPE {run.rpe}")
    if run.warmup_min is not None:
        effort.append("no warm-up" if run.warmup_min == 0 else f"warm-up {run.warmup_min}′")
    lines = [f"<b>{escape(head or 'run')}</b>", " · ".join(d for d in details if d)]
    lines.append(" · ".join(effort))
    return "<br>".join(line for line in lines if line)


def habits_html(h: HabitDay | None) -> str:
    if h is None:
        return f'<span style="color:{_muted()};">no habits logged</span>'
    done = [
        f"{name} {minutes}′"
        for name, minutes in (
            ("core", h.core_min),
            ("stretch", h.stretch_min),
            ("cross", h.cross_min),
        )
        if minutes
    ]
    other = []
    if h.sleep_h is not None:
        other.append(f"sleep {h.sleep_h:g} h")
    if h.fatigue is not None:
        other.append(f"fatigue {h.fatigue}")
    lines = [" · ".join(done), " · ".join(other)]
    text = "<br>".join(line for line in lines if line)
    return text or f'<span style="color:{_muted()};">habits: nothing done</span>'


class DayCard(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("day_card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.header = QLabel()
        self.runs = QLabel()
        self.pain = QLabel()
        self.habits = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        for label in (self.header, self.runs, self.pain, self.habits):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            layout.addWidget(label)
        layout.addStretch(1)

    def show_day(self, d: TrainingDay | None, day: date, today: date, unit: DistanceUnit) -> None:
        self.setProperty("today", day == today)
        style = (
            "#day_card { border: 2px solid #2f6db5; border-radius: 4px; }" if day == today else ""
        )
        self.setStyleSheet(style)
        self.header.setText(f"<b>{day:%a %d %b}</b>" + (" · today" if day == today else ""))
        if day > today or d is None:
            self.runs.setText(f'<span style="color:{_muted()};">—</span>')
            self.pain.clear()
            self.habits.clear()
            self._describe(day)
            return
        self.runs.setText(
            "<br>".join(run_html(r, unit) for r in d.runs)
            or f'<span style="color:{_muted()};">no run</span>'
        )
        self.pain.setText(
            pain_chip("pain", d.worst_pain)
            + "<br>"
            + pain_chip("next morning", d.next_morning_pain)
        )
        self.habits.setText(habits_html(d.habits))
        self._describe(day)

    def _describe(self, day: date) -> None:
        """The card's accessible name and description: the day, and what its labels say."""
        from PySide6.QtGui import QTextDocumentFragment

        self.setAccessibleName(f"{day:%A %d %B}")
        parts = (self.runs.text(), self.pain.text(), self.habits.text())
        self.setAccessibleDescription(
            "; ".join(
                QTextDocumentFragment.fromHtml(p).toPlainText().replace("\n", ", ")
                for p in parts
                if p
            )
        )


class WeekView(QWidget):
    """Shows the week of `monday`; the arrows ask the page for another week."""

    week_requested = Signal(object)  # the Monday (a date) to show

    def __init__(self, today: Callable[[], date]) -> None:
        super().__init__()
        self.setObjectName("week_view")
        self.monday = monday_of(today())
        self.previous = QPushButton("◀ Previous")
        self.previous.setObjectName("previous_week")
        self.previous.setToolTip("The week before (Alt+Left)")
        self.previous.setShortcut(QKeySequence("Alt+Left"))
        self.this_week = QPushButton("This week")
        self.this_week.setObjectName("this_week")
        self.this_week.setToolTip("Back to this week (Alt+Home)")
        self.this_week.setShortcut(QKeySequence("Alt+Home"))
        self.next = QPushButton("Next ▶")
        self.next.setObjectName("next_week")
        self.next.setToolTip("The week after (Alt+Right)")
        self.next.setShortcut(QKeySequence("Alt+Right"))
        self.title = QLabel()
        self.title.setObjectName("week_title")
        self.totals = QLabel()
        self.totals.setObjectName("week_totals")
        self.previous.clicked.connect(lambda: self.week_requested.emit(self.monday - _WEEK))
        self.next.clicked.connect(lambda: self.week_requested.emit(self.monday + _WEEK))
        self.this_week.clicked.connect(lambda: self.week_requested.emit(None))

        top = QHBoxLayout()
        top.addWidget(self.previous)
        top.addWidget(self.this_week)
        top.addWidget(self.next)
        top.addSpacing(12)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.totals)

        self.cards = [DayCard() for _ in range(7)]
        grid = QGridLayout()
        grid.setSpacing(6)
        for i, card in enumerate(self.cards):
            grid.addWidget(card, 0, i)
            grid.setColumnStretch(i, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(grid)

    def show_week(
        self,
        monday: date,
        days: Sequence[TrainingDay],
        totals: WeekTotals,
        today: date,
        unit: DistanceUnit = KM,
    ) -> None:
        self.monday = monday
        sunday = monday + timedelta(days=6)
        self.title.setText(f"<b>{_span_text(monday, sunday)}</b>")
        self.next.setEnabled(sunday < today)
        self.this_week.setEnabled(monday != monday_of(today))
        by_day = {d.day: d for d in days}
        for i, card in enumerate(self.cards):
            day = monday + timedelta(days=i)
            card.show_day(by_day.get(day), day, today, unit)
        if totals.runs:
            runs = f"{totals.runs} run" + ("" if totals.runs == 1 else "s")
            self.totals.setText(
                f"{runs} · {unit.distance(totals.distance_m, 1)} · "
                f"{duration(totals.moving_time_s)} · ↓{descent_total_text(totals, unit)}"
            )
        else:
            self.totals.setText("no runs this week")


_WEEK = timedelta(days=7)


def _span_text(first: date, last: date) -> str:
    if first.year != last.year:
        return f"{first:%d %b %Y} – {last:%d %b %Y}"
    if first.month != last.month:
        return f"{first:%d %b} – {last:%d %b %Y}"
    return f"{first:%d}–{last:%d %b %Y}"
