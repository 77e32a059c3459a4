"""File > Profile…: the runner's optional profile (core.profile), printed at the top of the
report and offered as answers in the check-up. The welcome's profile page uses the same
fields (ProfileFields)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from backstride.core.errors import FieldProblem
from backstride.core.profile import LIMITS, MAX_NAME_LENGTH, Profile
from backstride.core.typed_text import FieldError, format_number, parse_number, parse_whole
from backstride.operations.profile import update_profile
from backstride.store.database import Store
from backstride.store.profile import load_profile
from backstride.ui.context import AppContext, perform
from backstride.ui.form import FormDialog

T = TypeVar("T")

PROFILE_INTRO = (
    "Printed at the top of the report for your physiotherapist; your age, height and weight "
    "also fill in those check-up questions (you check them there). Every field is optional "
    "and stays in your data file on this computer."
)


class ProfileFields:
    """The profile's fields, laid out in a form with an error line under each."""

    def __init__(self, dialog: FormDialog, current: Profile) -> None:
        def edit(name: str, text: str, placeholder: str, width: int | None = None) -> QLineEdit:
            field = QLineEdit(text)
            field.setObjectName(f"profile_{name}")
            field.setPlaceholderText(placeholder)
            if width is not None:
                field.setMaximumWidth(width)
            return field

        height, weight = LIMITS["height_cm"], LIMITS["weight_kg"]
        self.name = edit("name", current.name, "optional")
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.year = edit("birth_year", _year(current.birth_year), "e.g. 1985", 160)
        self.year.setMaxLength(4)
        self.height = edit(
            "height_cm", format_number(current.height_cm, 1), f"cm, {height.text(unit='')}", 160
        )
        self.weight = edit(
            "weight_kg", format_number(current.weight_kg, 1), f"kg, {weight.text(unit='')}", 160
        )
        self.since = edit("running_since", _year(current.running_since), "year, e.g. 2015", 160)
        self.since.setMaxLength(4)
        self.form = QFormLayout()
        rows: tuple[tuple[str, QLineEdit, tuple[str, ...]], ...] = (
            ("N&ame:", self.name, ("name",)),
            ("&Year of birth:", self.year, ("birth_year",)),
            ("&Height (cm):", self.height, ("height_cm",)),
            ("&Weight (kg):", self.weight, ("weight_kg",)),
            ("Running &since (year):", self.since, ("running_since", "general")),
        )
        for label, field, keys in rows:
            self.form.addRow(dialog._label(label, field), field)
            self.form.addRow("", dialog._error_label(*keys))

    def read(self) -> tuple[Profile, list[FieldProblem]]:
        """The typed profile, and what cannot be read as typed (checked in core after)."""
        problems: list[FieldProblem] = []

        def read(key: str, field: QLineEdit, parse: Callable[[str], T | None]) -> T | None:
            try:
                return parse(field.text())
            except FieldError as exc:
                problems.append(FieldProblem(key, str(exc)))
                return None

        profile = Profile(
            name=self.name.text(),
            birth_year=read("birth_year", self.year, _parse_year),
            height_cm=read("height_cm", self.height, parse_number),
            weight_kg=read("weight_kg", self.weight, parse_number),
            running_since=read("running_since", self.since, _parse_year),
        )
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
        profile, problems = self.fields.read()
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
