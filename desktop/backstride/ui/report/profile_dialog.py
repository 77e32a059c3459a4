"""File > Profile…: the runner's optional profile (core.profile), printed at the top of the
report and offered as answers in the check-up. The welcome's profile page uses the same
fields (ProfileFields)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from backstride.core.errors import FieldProblem
from backstride.core.profile import (
    LIMITS,
    MAX_NAME_LENGTH,
    Profile,
    measure_problems,
    profile_problems,
)
from backstride.core.typed_text import FieldError, parse_whole
from backstride.core.units import (
    HEIGHT_EXAMPLE,
    KM,
    DistanceUnit,
    height_field,
    height_range,
    parse_height,
    parse_weight,
    weight_field,
    weight_range,
)
from backstride.operations.profile import update_profile
from backstride.store.database import Store
from backstride.store.profile import load_profile
from backstride.ui.context import AppContext, perform
from backstride.ui.display_units import display_unit
from backstride.ui.form import FormDialog

T = TypeVar("T")

PROFILE_INTRO = (
    "Printed at the top of the report for your physiotherapist; your age, height and weight "
    "also fill in those check-up questions (you check them there). Every field is optional "
    "and stays in your data file on this computer."
)


class ProfileFields:
    """The profile's fields, laid out in a form with an error line under each. Height and
    weight are in the runner's units (ui.display_units): cm and kg, or with miles feet and
    inches and pounds; the profile holds cm and kg either way (core.units converts)."""

    def __init__(
        self, dialog: FormDialog, current: Profile, unit: DistanceUnit | None = None
    ) -> None:
        def edit(name: str, text: str, placeholder: str, width: int | None = None) -> QLineEdit:
            field = QLineEdit(text)
            field.setObjectName(f"profile_{name}")
            field.setPlaceholderText(placeholder)
            if width is not None:
                field.setMaximumWidth(width)
            return field

        self.name = edit("name", current.name, "optional")
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.year = edit("birth_year", _year(current.birth_year), "e.g. 1985", 160)
        self.year.setMaxLength(4)
        self.height = edit("height_cm", "", "", 160)
        self.weight = edit("weight_kg", "", "", 160)
        self.since = edit("running_since", _year(current.running_since), "year, e.g. 2015", 160)
        self.since.setMaxLength(4)
        self.height_label = dialog._label("&Height (cm):", self.height)
        self.weight_label = dialog._label("&Weight (kg):", self.weight)
        self.form = QFormLayout()
        rows: tuple[tuple[QLabel, QLineEdit, tuple[str, ...]], ...] = (
            (dialog._label("N&ame:", self.name), self.name, ("name",)),
            (dialog._label("&Year of birth:", self.year), self.year, ("birth_year",)),
            (self.height_label, self.height, ("height_cm",)),
            (self.weight_label, self.weight, ("weight_kg",)),
            (
                dialog._label("Running &since (year):", self.since),
                self.since,
                ("running_since", "general"),
            ),
        )
        for label, field, keys in rows:
            self.form.addRow(label, field)
            self.form.addRow("", dialog._error_label(*keys))
        # The stored value behind each text shown: an unchanged field keeps its value exactly
        # (5 ft 8 in shown for 172 cm reads back as 172 cm, not 172.72).
        self._shown = {"height_cm": ("", current.height_cm), "weight_kg": ("", current.weight_kg)}
        self.unit = KM
        self.set_unit(display_unit() if unit is None else unit)

    def set_unit(self, unit: DistanceUnit) -> None:
        """Show height and weight in unit (what is typed there is read back in it)."""
        height, weight = LIMITS["height_cm"], LIMITS["weight_kg"]
        typed_height, typed_weight = self._read_measures()
        self.unit = unit
        self.height_label.setText("&Height (ft, in):" if unit.imperial else "&Height (cm):")
        self.weight_label.setText("&Weight (lb):" if unit.imperial else "&Weight (kg):")
        self.height.setPlaceholderText(
            HEIGHT_EXAMPLE if unit.imperial else height_range(height.low, height.high, unit)
        )
        self.weight.setPlaceholderText(weight_range(weight.low, weight.high, unit))
        self.height.setText(height_field(typed_height, unit))
        self.weight.setText(weight_field(typed_weight, unit))
        self._shown = {
            "height_cm": (self.height.text(), typed_height),
            "weight_kg": (self.weight.text(), typed_weight),
        }

    def _read_measures(self) -> tuple[float | None, float | None]:
        """Height and weight as typed (None when empty or unreadable)."""
        found: list[float | None] = []
        for key, field, parse in (
            ("height_cm", self.height, parse_height),
            ("weight_kg", self.weight, parse_weight),
        ):
            shown, value = self._shown[key]
            if field.text() == shown:
                found.append(value)
                continue
            try:
                found.append(parse(field.text(), self.unit))
            except FieldError:
                found.append(None)
        return found[0], found[1]

    def read(self, today: date | None = None) -> tuple[Profile, list[FieldProblem]]:
        """The typed profile, and what cannot be read as typed or is out of its limits, said
        in the units shown (with today, every check of core.profile; without, height and
        weight). The profile operation checks it again, in cm and kg, when it is saved."""
        problems: list[FieldProblem] = []

        def read(key: str, field: QLineEdit, parse: Callable[[str], T | None]) -> T | None:
            try:
                return parse(field.text())
            except FieldError as exc:
                problems.append(FieldProblem(key, str(exc)))
                return None

        def measure(
            key: str, field: QLineEdit, parse: Callable[[str], float | None]
        ) -> float | None:
            shown, value = self._shown[key]
            return value if field.text() == shown else read(key, field, parse)

        profile = Profile(
            name=self.name.text(),
            birth_year=read("birth_year", self.year, _parse_year),
            height_cm=measure("height_cm", self.height, lambda t: parse_height(t, self.unit)),
            weight_kg=measure("weight_kg", self.weight, lambda t: parse_weight(t, self.unit)),
            running_since=read("running_since", self.since, _parse_year),
        )
        unread = {p.field for p in problems}
        found = (
            measure_problems(profile, self.unit)
            if today is None
            else profile_problems(profile, today, self.unit)
        )
        problems += [p for p in found if p.field not in unread]
        return profile, problems


def _year(value: int | None) -> str:
    return "" if value is None else str(value)


def _parse_year(text: str) -> int | None:
    stripped = text.strip()
    if stripped and not (stripped.isascii() and stripped.isdigit() and len(stripped) == 4):
        raise FieldError("type the year as four digits, e.g. 1985")
    return parse_whole(stripped)


class ProfileDialog(FormDialog):
    """Edit the profile of store. ``save`` stores it; by default the profile operation,
    and File > Profile… passes one that also puts it on the undo stack."""

    def __init__(
        self,
        store: Store,
        today: date,
        parent: QWidget | None = None,
        save: Callable[[Profile], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profile_dialog")
        self.setWindowTitle("Profile")
        self._today = today
        self._save: Callable[[Profile], object] = save or (
            lambda p: update_profile(store, p, today).result
        )
        intro = QLabel(PROFILE_INTRO)
        intro.setWordWrap(True)
        self.fields = ProfileFields(self, load_profile(store))
        self.name, self.year = self.fields.name, self.fields.year
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.fields.form)
        layout.addWidget(self._save_cancel(self.save))
        self.setMinimumWidth(440)

    def save(self) -> None:
        profile, problems = self.fields.read(self._today)
        if problems:
            self._show_problems(problems)
            return
        self._save_and_close(profile, self._save)


def open_profile_dialog(ctx: AppContext, parent: QWidget) -> Profile | None:
    """File > Profile…: the saved profile (undoable with Ctrl+Z), or None when cancelled."""
    dialog: ProfileDialog | None = None

    def save(profile: Profile) -> Profile:
        assert dialog is not None
        return perform(ctx, dialog, update_profile(ctx.store, profile, ctx.today()))

    dialog = ProfileDialog(ctx.store, ctx.today(), parent, save)
    dialog.exec()
    saved = dialog.saved if isinstance(dialog.saved, Profile) else None
    dialog.deleteLater()
    return saved


__all__ = ["PROFILE_INTRO", "ProfileDialog", "ProfileFields", "open_profile_dialog"]
