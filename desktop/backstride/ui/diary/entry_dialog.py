"""The pain-entry form: quick with the keyboard alone (Ctrl+N, a number, Enter).

The dialog saves through a callback while it is still open, so a failed save shows its
message beside the field and keeps everything the runner typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import PainEntry
from backstride.core.pain import pain_entry_problems
from backstride.core.vocab import HELPED, QUALITIES, TIMINGS, WORSE
from backstride.ui.form import DATE_FORMAT, FormDialog
from backstride.ui.widgets.body_map import RegionPicker

SaveFn = Callable[[PainEntry], object]


class CodeChecks(QWidget):
    """A group of check boxes, one per code, in a compact grid."""

    # Three columns keep the form narrow enough for a 1440x900 screen at 150 %.
    def __init__(self, vocab: Mapping[str, str], columns: int = 3) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        self._boxes: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(vocab.items()):
            box = QCheckBox(label)
            box.setObjectName(f"check_{code}")
            self._boxes[code] = box
            grid.addWidget(box, i // columns, i % columns)
        if self._boxes:
            # Its label's Alt+letter lands on the first box, where Space ticks it (a label
            # focuses only a buddy that takes focus; Tab skips a widget with a proxy).
            self.setFocusProxy(next(iter(self._boxes.values())))
            self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, box in self._boxes.items() if box.isChecked())

    def set_codes(self, codes: tuple[str, ...]) -> None:
        for code, box in self._boxes.items():
            box.setChecked(code in codes)

    def box(self, code: str) -> QCheckBox:
        return self._boxes[code]


class PainEntryDialog(FormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        save: SaveFn,
        initial: PainEntry | None = None,
        title: str = "New pain entry",
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("PainEntryDialog")
        self._save = save
        self._today: Callable[[], date] = lambda: now().date()
        self._editing_id = initial.id if initial else None
        self.saved: PainEntry | None = None
        self._build()
        at = now()
        self._load(
            initial
            or PainEntry(
                day=at.date(), time=at.time().replace(second=0, microsecond=0), intensity=0
            )
        )
        self.intensity.setFocus()
        self.intensity.selectAll()

    # -- building ---------------------------------------------------------
    def _build(self) -> None:
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(DATE_FORMAT)
        self.day.setObjectName("day")
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.time.setObjectName("time")
        self.has_time = QCheckBox("at")
        self.has_time.setToolTip("Untick if you don't remember the time")
        self.has_time.toggled.connect(self.time.setEnabled)

        self.intensity = QSpinBox()
        self.intensity.setRange(0, 10)
        self.intensity.setObjectName("intensity")
        self.intensity.setAccessibleName("Pain intensity from 0, no pain, to 10, worst imaginable")
        self.intensity.setFixedWidth(70)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 10)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the spin box is the keyboard path
        self.slider.valueChanged.connect(self.intensity.setValue)
        self.intensity.valueChanged.connect(self.slider.setValue)

        self.regions = RegionPicker()
        self.regions.setObjectName("regions")
        self.regions.map.setMinimumSize(180, 360)

        self.timing = QComboBox()
        self.timing.setObjectName("timing")
        self.timing.addItem("—", None)
        for code, label in TIMINGS.items():
            self.timing.addItem(label, code)
        self.quality = CodeChecks(QUALITIES)
        self.stiffness = QSpinBox()
        self.stiffness.setObjectName("stiffness")
        self.stiffness.setRange(-1, 1440)
        self.stiffness.setSpecialValueText("not noted")
        self.stiffness.setSuffix(" min")
        self.stiffness.setToolTip("How long your back felt stiff after getting up")
        self.worse = CodeChecks(WORSE)
        self.helped = CodeChecks(HELPED)
        self.medication = QLineEdit()
        self.medication.setObjectName("medication")
        self.medication.setPlaceholderText("e.g. ibuprofen 400 mg at 08:00")
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)

        when = QHBoxLayout()
        when.addWidget(self.day)
        when.addWidget(self.has_time)
        when.addWidget(self.time)
        when.addStretch(1)

        font = self.intensity.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.intensity.setFont(font)
        scale = QHBoxLayout()
        scale.addWidget(self.intensity, 0, Qt.AlignmentFlag.AlignTop)
        scale_box = QVBoxLayout()
        scale_box.addWidget(self.slider)
        anchors = QHBoxLayout()
        anchors.addWidget(QLabel("0 no pain"))
        anchors.addStretch(1)
        anchors.addWidget(QLabel("10 worst imaginable"))
        scale_box.addLayout(anchors)
        scale.addLayout(scale_box, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label("&Date", self.day), when)
        form.addRow("", self._error_label("date"))
        form.addRow(self._label("&Pain (0–10)", self.intensity), scale)
        form.addRow("", self._error_label("intensity"))
        form.addRow(self._label("Whe&n", self.timing), self.timing)
        form.addRow(self._label("Felt &like", self.quality), self.quality)
        form.addRow(self._label("Morning &stiffness", self.stiffness), self.stiffness)
        form.addRow("", self._error_label("stiffness_min"))
        form.addRow(self._label("&Worse with", self.worse), self.worse)
        form.addRow(self._label("&Helped", self.helped), self.helped)
        form.addRow(
            self._label("&Medication", self.medication), self._with_counter(self.medication)
        )
        form.addRow("", self._error_label("medication"))
        form.addRow(self._label("N&ote", self.note), self._with_counter(self.note))
        form.addRow("", self._error_label("note"))

        where = QGroupBox("Where (click the body or tick the list)")
        where_layout = QVBoxLayout(where)
        where_layout.addWidget(self.regions)
        where_layout.addWidget(self._error_label("regions"))

        body = QHBoxLayout()
        body.addLayout(form, 3)
        body.addWidget(where, 2)

        self.buttons = self._save_cancel(self._try_save)
        self.general_error = self._error_label("general")

        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(self.general_error)
        outer.addWidget(self.buttons)

    # -- values -----------------------------------------------------------
    def _load(self, e: PainEntry) -> None:
        self.day.setDate(QDate(e.day.year, e.day.month, e.day.day))
        self.has_time.setChecked(e.time is not None)
        self.time.setEnabled(e.time is not None)
        t = e.time or time(12, 0)
        self.time.setTime(QTime(t.hour, t.minute))
        self.intensity.setValue(e.intensity)
        self.regions.setRegions(e.regions)
        self.timing.setCurrentIndex(max(0, self.timing.findData(e.timing)))
        self.quality.set_codes(e.quality)
        self.stiffness.setValue(-1 if e.stiffness_min is None else e.stiffness_min)
        self.worse.set_codes(e.worse)
        self.helped.set_codes(e.helped)
        self.medication.setText(e.medication)
        self.note.setPlainText(e.note)

    def entry(self) -> PainEntry:
        q = self.day.date()
        t = self.time.time()
        return PainEntry(
            id=self._editing_id,
            day=date(q.year(), q.month(), q.day()),
            time=time(t.hour(), t.minute()) if self.has_time.isChecked() else None,
            intensity=self.intensity.value(),
            regions=self.regions.regions(),
            timing=self.timing.currentData(),
            quality=self.quality.codes(),
            stiffness_min=None if self.stiffness.value() < 0 else self.stiffness.value(),
            worse=self.worse.codes(),
            helped=self.helped.codes(),
            medication=self.medication.text().strip(),
            note=self.note.toPlainText().strip(),
        )

    def _try_save(self) -> None:
        entry = self.entry()
        problems = pain_entry_problems(entry, self._today())
        if problems:
            self._show_problems(problems)
            return
        self._save_and_close(entry, self._save)
