"""The daily habits form: one row per day, quick for today and yesterday by keyboard.

Ctrl+Shift+H opens it on today, filled with what today already holds; Alt+T and Alt+Y
switch between today and yesterday (the date field reaches any other day). Each field is
optional: an empty field is unknown, never 0.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise

from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from backstride.core.errors import EXPECTED_ERRORS, FieldProblem
from backstride.core.models import HabitDay
from backstride.core.training import habit_problems
from backstride.core.typed_text import format_number, parse_hours, parse_number, parse_whole
from backstride.operations.training import is_empty
from backstride.ui.form import DATE_FORMAT, FormDialog, ValueField, pydate, qdate

SaveFn = Callable[[HabitDay], object]
LoadFn = Callable[[date], HabitDay | None]


class HabitDialog(FormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        save: SaveFn,
        load_day: LoadFn,
        day: date | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Daily habits")
        self.setObjectName("HabitDialog")
        self._save = save
        self._load_day = load_day
        self._today = today
        self._stored: HabitDay | None = None
        self._loading = False
        self.dirty = False
        self.saved: HabitDay | None = None
        self._build()
        self.day.setDate(qdate(day or today()))
        self._day_changed()
        self.core.setFocus()
        self.core.selectAll()

    def _build(self) -> None:
        self.today_button = QRadioButton("&Today")
        self.today_button.setObjectName("today")
        self.yesterday_button = QRadioButton("&Yesterday")
        self.yesterday_button.setObjectName("yesterday")
        self._which = QButtonGroup(self)
        self._which.addButton(self.today_button)
        self._which.addButton(self.yesterday_button)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setObjectName("day")
        self.day.setDisplayFormat(DATE_FORMAT)
        self.today_button.clicked.connect(lambda: self._go(0))
        self.yesterday_button.clicked.connect(lambda: self._go(1))
        self.day.dateChanged.connect(self._day_changed)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        self.core: ValueField[int] = ValueField("core_min", parse_whole, "minutes", 110)
        self.core.setToolTip("Core and back-strengthening exercise, in minutes")
        self.stretch: ValueField[int] = ValueField("stretch_min", parse_whole, "minutes", 110)
        self.cross: ValueField[int] = ValueField("cross_min", parse_whole, "minutes", 110)
        self.cross.setToolTip("Cycling, swimming, gym… anything but running, in minutes")
        self.sleep: ValueField[float] = ValueField("sleep_h", parse_hours, "hours, e.g. 7.5", 110)
        self.weight: ValueField[float] = ValueField("weight_kg", parse_number, "kg", 110)
        self.fatigue: ValueField[int] = ValueField("fatigue", parse_whole, "0–10", 110)
        self.fatigue.setToolTip("How tired you felt today: 0 fresh … 10 exhausted")
        self.sitting: ValueField[float] = ValueField("sitting_h", parse_hours, "hours", 110)
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(54)
        for field in self._fields().values():
            field.textChanged.connect(self._touched)
        self.note.textChanged.connect(self._touched)

        which = QHBoxLayout()
        which.addWidget(self.today_button)
        which.addWidget(self.yesterday_button)
        which.addWidget(self.day)
        which.addStretch(1)

        form = QFormLayout()
        form.addRow(self._label("&Day", self.day), which)
        form.addRow("", self.status)
        form.addRow("", self._error_label("date"))
        rows = (
            ("&Core / back strengthening (min)", self.core, "core_min"),
            ("&Stretching / mobility (min)", self.stretch, "stretch_min"),
            ("Cross-t&raining (min)", self.cross, "cross_min"),
            ("S&leep (hours)", self.sleep, "sleep_h"),
            ("Body &weight (kg)", self.weight, "weight_kg"),
            ("&Fatigue (0–10)", self.fatigue, "fatigue"),
            ("&Hours sitting", self.sitting, "sitting_h"),
        )
        for text, field, name in rows:
            form.addRow(self._label(text, field), field)
            form.addRow("", self._error_label(name))
        form.addRow(self._label("N&ote", self.note), self._with_counter(self.note))
        form.addRow("", self._error_label("note"))
        hint = QLabel("Leave a field empty if you don't know; empty is not 0.")
        hint.setStyleSheet("color: palette(mid);")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setDefault(True)
        save.setToolTip("Save (Enter)")
        self.buttons.accepted.connect(self._try_save)
        self.buttons.rejected.connect(self.reject)
        self.general_error = self._error_label("general")

        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(hint)
        outer.addWidget(self.general_error)
        outer.addWidget(self.buttons)
        order: list[QWidget] = [self.core, *list(self._fields().values())[1:], self.note]
        for a, b in pairwise(order):
            self.setTabOrder(a, b)

    def _fields(self) -> dict[str, ValueField[int] | ValueField[float]]:
        return {
            "core_min": self.core,
            "stretch_min": self.stretch,
            "cross_min": self.cross,
            "sleep_h": self.sleep,
            "weight_kg": self.weight,
            "fatigue": self.fatigue,
            "sitting_h": self.sitting,
        }

    # -- the day ----------------------------------------------------------
    def selected_day(self) -> date:
        return pydate(self.day.date())

    def _go(self, days_back: int) -> None:
        self.day.setDate(qdate(self._today() - timedelta(days=days_back)))
        self.core.setFocus()  # Alt+Y, then type straight away
        self.core.selectAll()

    def _touched(self) -> None:
        if not self._loading:
            self.dirty = True

    def _day_changed(self) -> None:
        day = self.selected_day()
        back = (self._today() - day).days
        self._which.setExclusive(False)
        self.today_button.setChecked(back == 0)
        self.yesterday_button.setChecked(back == 1)
        self._which.setExclusive(True)
        try:
            self._stored = self._load_day(day)
        except EXPECTED_ERRORS as exc:
            self._stored = None
            self._show_problems([FieldProblem("general", str(exc))])
        if not self.dirty:  # show the day's saved values; never overwrite typing
            self._fill(self._stored or HabitDay(day=day))
        if self._stored is None:
            self.status.setText(f"Nothing logged for {day:%a %d %b} yet.")
        elif self.dirty:
            self.status.setText(
                f"{day:%a %d %b} already has habits logged: saving replaces them with these."
            )
        else:
            self.status.setText(f"Logged before for {day:%a %d %b}: change what you need.")

    def _fill(self, h: HabitDay) -> None:
        self._loading = True
        try:
            self.core.set_value(h.core_min, _int_text(h.core_min))
            self.stretch.set_value(h.stretch_min, _int_text(h.stretch_min))
            self.cross.set_value(h.cross_min, _int_text(h.cross_min))
            self.sleep.set_value(h.sleep_h, format_number(h.sleep_h))
            self.weight.set_value(h.weight_kg, format_number(h.weight_kg))
            self.fatigue.set_value(h.fatigue, _int_text(h.fatigue))
            self.sitting.set_value(h.sitting_h, format_number(h.sitting_h))
            self.note.setPlainText(h.note)
        finally:
            self._loading = False

    # -- saving -----------------------------------------------------------
    def habit(self) -> tuple[HabitDay, list[FieldProblem]]:
        problems: list[FieldProblem] = []
        whole = self._read(
            {
                "core_min": self.core,
                "stretch_min": self.stretch,
                "cross_min": self.cross,
                "fatigue": self.fatigue,
            },
            problems,
        )
        real = self._read(
            {"sleep_h": self.sleep, "weight_kg": self.weight, "sitting_h": self.sitting}, problems
        )
        h = HabitDay(
            day=self.selected_day(),
            core_min=whole["core_min"],
            stretch_min=whole["stretch_min"],
            cross_min=whole["cross_min"],
            sleep_h=real["sleep_h"],
            weight_kg=real["weight_kg"],
            fatigue=whole["fatigue"],
            sitting_h=real["sitting_h"],
            note=self.note.toPlainText().strip(),
        )
        return h, problems

    def _try_save(self) -> None:
        h, problems = self.habit()
        if not problems:
            problems = habit_problems(h, self._today())
        if not problems and is_empty(h) and self._stored is None:
            problems = [
                FieldProblem("general", "nothing to save: fill in at least one field, or press Esc")
            ]
        self._show_problems(problems)
        if problems:
            return
        self._save_and_close(h, self._save)


def _int_text(value: int | None) -> str:
    return "" if value is None else str(value)
