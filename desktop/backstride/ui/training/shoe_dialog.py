"""The shoe form: name, first use, retired (a date, or still in use) and a warning distance."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from backstride.core.errors import FieldProblem
from backstride.core.models import Shoe
from backstride.core.training import shoe_problems
from backstride.core.units import KM, DistanceUnit
from backstride.ui.form import FormDialog, pydate, qdate

SaveFn = Callable[[Shoe], object]


class ShoeDialog(FormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        save: SaveFn,
        unit: DistanceUnit = KM,
        initial: Shoe | None = None,
        taken_names: Collection[str] = (),
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit shoe" if initial else "New shoe")
        self.setObjectName("ShoeDialog")
        self._save = save
        self._unit = unit
        self._initial = initial
        self._taken = {n for n in taken_names if initial is None or n != initial.name}
        self._today = today
        self.saved: Shoe | None = None
        self._build()
        self._load(initial or Shoe(name="", first_used=today()))
        self.name.setFocus()

    def _build(self) -> None:
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setPlaceholderText("e.g. Pegasus 40 blue")
        self.name.setMaxLength(120)
        self.has_first_used = QCheckBox("known:")
        self.has_first_used.setObjectName("has_first_used")
        self.first_used = QDateEdit()
        self.first_used.setCalendarPopup(True)
        self.first_used.setObjectName("first_used")
        self.first_used.setDisplayFormat("d MMM yyyy")
        self.has_first_used.toggled.connect(self.first_used.setEnabled)
        self.is_retired = QCheckBox("retired on")
        self.is_retired.setObjectName("is_retired")
        self.retired = QDateEdit()
        self.retired.setCalendarPopup(True)
        self.retired.setObjectName("retired")
        self.retired.setDisplayFormat("d MMM yyyy")
        self.is_retired.toggled.connect(self.retired.setEnabled)
        self.warn = QDoubleSpinBox()
        self.warn.setObjectName("warn")
        self.warn.setDecimals(0)
        self.warn.setRange(1, 10_000)
        self.warn.setSingleStep(50)
        self.warn.setSuffix(f" {self._unit.code}")
        self.warn.setToolTip("The shoe list warns once the shoe has run this far")

        first = QHBoxLayout()
        first.addWidget(self.has_first_used)
        first.addWidget(self.first_used)
        first.addStretch(1)
        retired = QHBoxLayout()
        retired.addWidget(self.is_retired)
        retired.addWidget(self.retired)
        retired.addStretch(1)

        form = QFormLayout()
        form.addRow(self._label("&Name", self.name), self.name)
        form.addRow("", self._error_label("name"))
        form.addRow(self._label("&First use", self.has_first_used), first)
        form.addRow("", self._error_label("first_used"))
        form.addRow(self._label("&Retired", self.is_retired), retired)
        form.addRow("", self._error_label("retired"))
        form.addRow(self._label("&Warn after", self.warn), self.warn)
        form.addRow("", self._error_label("warn_km"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setDefault(True)
        self.buttons.accepted.connect(self._try_save)
        self.buttons.rejected.connect(self.reject)
        self.general_error = self._error_label("general")
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.general_error)
        outer.addWidget(self.buttons)
        self.resize(380, self.sizeHint().height())

    def _load(self, s: Shoe) -> None:
        today = self._today()
        self.name.setText(s.name)
        self.has_first_used.setChecked(s.first_used is not None)
        self.first_used.setEnabled(s.first_used is not None)
        self.first_used.setDate(qdate(s.first_used or today))
        self.is_retired.setChecked(s.retired is not None)
        self.retired.setEnabled(s.retired is not None)
        self.retired.setDate(qdate(s.retired or today))
        self.warn.setValue(round(self._unit.from_metres(s.warn_km * 1000.0)))

    def shoe(self) -> Shoe:
        warn_km = self._unit.to_metres(self.warn.value()) / 1000.0
        if self._initial is not None and round(
            self._unit.from_metres(self._initial.warn_km * 1000.0)
        ) == round(self.warn.value()):
            warn_km = self._initial.warn_km  # unchanged: keep the exact stored figure
        first_used = pydate(self.first_used.date()) if self.has_first_used.isChecked() else None
        retired = pydate(self.retired.date()) if self.is_retired.isChecked() else None
        return replace(
            self._initial or Shoe(name=""),
            name=self.name.text().strip(),
            first_used=first_used,
            retired=retired,
            warn_km=warn_km,
        )

    def _try_save(self) -> None:
        shoe = self.shoe()
        problems = shoe_problems(shoe, self._today())
        if shoe.name in self._taken:
            problems.append(
                FieldProblem("name", f"you already have a shoe called “{shoe.name}”; pick another")
            )
        if shoe.retired is not None and shoe.retired > self._today():
            problems.append(FieldProblem("retired", "the retirement date cannot be in the future"))
        self._show_problems(problems)
        if problems:
            return
        self._save_and_close(shoe, self._save)
