"""The run form: a hand-entered run, quick with the keyboard (type, Tab, Enter).

Empty optional fields stay unknown. Impossible values are explained beside their field;
unusual but possible ones (core.training.run_doubts, e.g. a world-record pace) must be
confirmed with the "Yes, this is right" box before Save works, so nothing odd is saved
silently. Like the pain form, it saves through a callback while still open, so a failed
save keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from itertools import pairwise

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from backstride.core.errors import FieldProblem
from backstride.core.models import Run
from backstride.core.training import run_doubts, run_problems
from backstride.core.typed_text import (
    FieldError,
    format_clock_duration,
    format_number,
    parse_duration,
    parse_number,
    parse_whole,
)
from backstride.core.units import KM, DistanceUnit
from backstride.core.vocab import SURFACES
from backstride.ui.form import DATE_FORMAT, FormDialog, ValueField, pydate, qdate, sentence
from backstride.ui.theme import themed_style

SaveFn = Callable[[Run], object]


class RunDialog(FormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        save: SaveFn,
        unit: DistanceUnit = KM,
        shoes: Sequence[str] = (),
        initial: Run | None = None,
        title: str = "New run",
        now: Callable[[], datetime] = datetime.now,
        day: date | None = None,
        default_shoe: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("RunDialog")
        self._save = save
        self._unit = unit
        self._today: Callable[[], date] = lambda: now().date()
        self._initial = initial
        self._doubts_shown: tuple[str, ...] = ()
        self.saved: Run | None = None
        names = list(shoes)
        if initial is not None and initial.shoe and initial.shoe not in names:
            names.append(initial.shoe)  # a retired shoe stays selectable on its old runs
        self._build(names)
        if initial is not None:
            self._load(initial)
        else:
            at = now()
            self.day.setDate(qdate(day or at.date()))
            self.start.setTime(QTime(at.hour, at.minute - at.minute % 5))
            self.shoe.setCurrentIndex(max(0, self.shoe.findData(default_shoe)))
        self._refresh()
        self.distance.setFocus()

    # -- building ---------------------------------------------------------
    def _build(self, shoes: Sequence[str]) -> None:
        u = self._unit
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setObjectName("day")
        self.day.setDisplayFormat(DATE_FORMAT)
        self.start = QTimeEdit()
        self.start.setObjectName("start")
        self.start.setDisplayFormat("HH:mm")
        self.distance: ValueField[float] = ValueField(
            "distance", lambda t: _to_metres(t, u), f"e.g. 10.5 ({u.code})", 150
        )
        self.distance.setAccessibleName(f"Distance in {u.code}")
        self.moving_time: ValueField[float] = ValueField(
            "moving_time", parse_duration, "h:mm:ss, e.g. 0:52:30", 150
        )
        self.moving_time.setAccessibleName("Moving time, hours minutes seconds")
        self.pace = QLabel()
        self.pace.setObjectName("pace")
        # Ascent and descent in the unit's climb unit: metres with km, feet with miles.
        self.ascent: ValueField[float] = ValueField(
            "ascent", lambda t: _climb_to_metres(t, u), u.climb_code, 150
        )
        self.descent: ValueField[float] = ValueField(
            "descent", lambda t: _climb_to_metres(t, u), u.climb_code, 150
        )
        self.descent.setToolTip("How far you ran downhill; long or steep descents load the back")
        self.rpe: ValueField[int] = ValueField("rpe", parse_whole, "0–10, empty: not recorded", 150)
        self.rpe.setToolTip("How hard the run felt, judged after it: 0 rest … 10 maximal effort")
        self.rpe.setAccessibleName("Effort from 0, rest, to 10, maximal")
        self.warmup: ValueField[int] = ValueField(
            "warmup_min", parse_whole, "not recorded (0 = none)", 150
        )
        self.warmup.setToolTip("Minutes of warm-up before the run; 0 if you did none")
        self.surface = QComboBox()
        self.surface.setObjectName("surface")
        self.surface.addItem("—", None)
        for code, label in SURFACES.items():
            self.surface.addItem(label, code)
        self.shoe = QComboBox()
        self.shoe.setObjectName("shoe")
        self.shoe.addItem("—", None)
        for name in shoes:
            self.shoe.addItem(name, name)
        self.avg_hr: ValueField[float] = ValueField("avg_hr", parse_number, "beats/min", 150)
        self.cadence: ValueField[float] = ValueField("cadence", parse_number, "steps/min", 150)
        self.vertical_oscillation: ValueField[float] = ValueField(
            "vertical_oscillation", parse_number, "cm", 150
        )
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(54)
        for edit in (self.distance, self.moving_time, self.descent):
            edit.textChanged.connect(self._refresh)
        self.day.dateChanged.connect(self._refresh)

        when = QHBoxLayout()
        when.addWidget(self.day)
        when.addWidget(QLabel("at"))
        when.addWidget(self.start)
        when.addStretch(1)

        main = QFormLayout()
        main.addRow(self._label("&Date", self.day), when)
        main.addRow(self._error_label("date", "start"))
        main.addRow(self._label(f"D&istance ({u.code})", self.distance), self.distance)
        main.addRow(self._error_label("distance"))
        main.addRow(self._label("&Moving time", self.moving_time), self.moving_time)
        main.addRow(self._error_label("moving_time"))
        main.addRow("Pace", self.pace)
        main.addRow(self._label(f"&Ascent ({u.climb_code})", self.ascent), self.ascent)
        main.addRow(self._error_label("ascent"))
        main.addRow(self._label(f"D&escent ({u.climb_code})", self.descent), self.descent)
        main.addRow(self._error_label("descent"))
        main.addRow(self._label("Effo&rt (0–10)", self.rpe), self.rpe)
        main.addRow(self._error_label("rpe"))
        main.addRow(self._label("&Warm-up (min)", self.warmup), self.warmup)
        main.addRow(self._error_label("warmup_min"))

        more_box = QGroupBox("More, if you know it")
        more = QFormLayout(more_box)
        more.addRow(self._label("Sur&face", self.surface), self.surface)
        more.addRow(self._error_label("surface"))
        more.addRow(self._label("&Shoe", self.shoe), self.shoe)
        more.addRow(self._label("Average &heart rate", self.avg_hr), self.avg_hr)
        more.addRow(self._error_label("avg_hr"))
        more.addRow(self._label("&Cadence (steps/min)", self.cadence), self.cadence)
        more.addRow(self._error_label("cadence"))
        more.addRow(
            self._label("&Vertical oscillation (cm)", self.vertical_oscillation),
            self.vertical_oscillation,
        )
        more.addRow(self._error_label("vertical_oscillation"))

        columns = QHBoxLayout()
        columns.addLayout(main, 1)
        columns.addWidget(more_box, 1, Qt.AlignmentFlag.AlignTop)

        note_row = QFormLayout()
        note_row.addRow(self._label("N&ote", self.note), self._with_counter(self.note))
        note_row.addRow("", self._error_label("note"))

        # Unusual values: shown as typed, confirmed with a tick (never a silent save).
        self.doubt_box = QFrame()
        self.doubt_box.setObjectName("doubt_box")
        themed_style(
            self.doubt_box,
            lambda s: (
                f"#doubt_box {{ background: {s.notice_background}; border: 1px solid #e0b84c; "
                "border-radius: 4px; }"
            ),
        )
        self.doubt_text = QLabel()
        self.doubt_text.setObjectName("doubt_text")
        self.doubt_text.setWordWrap(True)
        self.confirm = QCheckBox("Yes, this is right")
        self.confirm.setObjectName("confirm")
        self.confirm.setToolTip("Tick to save these values as they are")
        doubt_layout = QVBoxLayout(self.doubt_box)
        doubt_layout.addWidget(self.doubt_text)
        doubt_layout.addWidget(self.confirm)
        self.doubt_box.hide()

        self.buttons = self._save_cancel(self._try_save)
        self.general_error = self._error_label("general")

        outer = QVBoxLayout(self)
        outer.addLayout(columns)
        outer.addLayout(note_row)
        outer.addWidget(self.doubt_box)
        outer.addWidget(self.general_error)
        outer.addWidget(self.buttons)

        self.setTabOrder(self.day, self.start)
        order: list[QWidget] = [
            self.start,
            self.distance,
            self.moving_time,
            self.ascent,
            self.descent,
            self.rpe,
            self.warmup,
            self.surface,
            self.shoe,
            self.avg_hr,
            self.cadence,
            self.vertical_oscillation,
            self.note,
            self.confirm,
        ]
        for a, b in pairwise(order):
            self.setTabOrder(a, b)

    # -- values -----------------------------------------------------------
    def _load(self, run: Run) -> None:
        u = self._unit
        self.day.setDate(qdate(run.day))
        self.start.setTime(QTime(run.start.hour, run.start.minute))
        d = run.distance_m
        self.distance.set_value(d, "" if d is None else format_number(u.from_metres(d), 2))
        self.moving_time.set_value(run.moving_time_s, format_clock_duration(run.moving_time_s))
        for field, metres in ((self.ascent, run.ascent_m), (self.descent, run.descent_m)):
            shown = None if metres is None else metres / u.climb_metres
            field.set_value(metres, format_number(shown, 1))
        self.avg_hr.set_value(run.avg_hr, format_number(run.avg_hr, 1))
        self.cadence.set_value(run.cadence_spm, format_number(run.cadence_spm, 1))
        vo = run.vertical_oscillation_cm
        self.vertical_oscillation.set_value(vo, format_number(vo, 1))
        self.rpe.set_value(run.rpe, "" if run.rpe is None else str(run.rpe))
        self.warmup.set_value(run.warmup_min, "" if run.warmup_min is None else str(run.warmup_min))
        self.surface.setCurrentIndex(max(0, self.surface.findData(run.surface)))
        self.shoe.setCurrentIndex(max(0, self.shoe.findData(run.shoe)))
        self.note.setPlainText(run.note)

    def _start(self) -> datetime:
        t = self.start.time()
        naive = datetime.combine(pydate(self.day.date()), time(t.hour(), t.minute()))
        if self._initial is not None and self._initial.start.tzinfo is not None:
            return naive.replace(tzinfo=self._initial.start.tzinfo)  # keep the run's own zone
        return naive.astimezone()  # the computer's zone

    def run(self) -> tuple[Run, list[FieldProblem]]:
        """The run as typed, and the fields that could not be read."""
        problems: list[FieldProblem] = []
        floats = self._read(
            {
                "distance": self.distance,
                "moving_time": self.moving_time,
                "ascent": self.ascent,
                "descent": self.descent,
                "avg_hr": self.avg_hr,
                "cadence": self.cadence,
                "vertical_oscillation": self.vertical_oscillation,
            },
            problems,
        )
        whole = self._read({"rpe": self.rpe, "warmup_min": self.warmup}, problems)
        values = {
            "start": self._start(),
            "distance_m": floats["distance"],
            "moving_time_s": floats["moving_time"],
            "ascent_m": floats["ascent"],
            "descent_m": floats["descent"],
            "avg_hr": floats["avg_hr"],
            "cadence_spm": floats["cadence"],
            "vertical_oscillation_cm": floats["vertical_oscillation"],
            "rpe": whole["rpe"],
            "warmup_min": whole["warmup_min"],
            "surface": self.surface.currentData(),
            "shoe": self.shoe.currentData(),
            "note": self.note.toPlainText().strip(),
        }
        if self._initial is not None:  # keep what the form does not show (track data, source)
            return replace(self._initial, **values), problems
        return Run(**values), problems

    def _refresh(self) -> None:
        """Live pace, and the doubts the current values raise."""
        try:
            metres = self.distance.value()
            seconds = self.moving_time.value()
            descent = self.descent.value()
        except FieldError:
            self.pace.setText("—")
            return
        self.pace.setText(self._unit.pace(seconds, metres) or "—")
        probe = Run(
            start=self._start(), distance_m=metres, moving_time_s=seconds, descent_m=descent
        )
        self._set_doubts(tuple(d.message for d in run_doubts(probe)))

    def _set_doubts(self, doubts: tuple[str, ...]) -> None:
        if doubts != self._doubts_shown:
            self.confirm.setChecked(False)  # a new doubt needs its own confirmation
            self._doubts_shown = doubts
        self.doubt_text.setText("<b>Please check:</b> " + " ".join(sentence(d) for d in doubts))
        self.doubt_box.setVisible(bool(doubts))

    def _try_save(self) -> None:
        run, problems = self.run()
        # Every problem at once: a field that cannot be read says so, and the ranges of the
        # fields that can are checked in the same round (not on a second Save).
        unreadable = {p.field for p in problems}
        problems += [p for p in run_problems(run, self._today()) if p.field not in unreadable]
        if (
            run.distance_m is None
            and run.moving_time_s is None
            and not unreadable & {"distance", "moving_time"}
        ):
            problems.append(
                FieldProblem("distance", "enter the distance or the moving time (or both)")
            )
        self._show_problems(problems)
        if problems:
            return
        doubts = tuple(d.message for d in run_doubts(run))
        self._set_doubts(doubts)
        if doubts and not self.confirm.isChecked():
            self._show_problems(
                [
                    FieldProblem(
                        "general",
                        "correct the value, or tick “Yes, this is right” to save it as it is",
                    )
                ]
            )
            self.confirm.setFocus()
            return
        self._save_and_close(run, self._save)


def _to_metres(text: str, unit: DistanceUnit) -> float | None:
    value = parse_number(text)
    return None if value is None else unit.to_metres(value)


def _climb_to_metres(text: str, unit: DistanceUnit) -> float | None:
    value = parse_number(text)
    return None if value is None else value * unit.climb_metres
