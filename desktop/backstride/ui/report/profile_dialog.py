"""File > Profile…: the name and year of birth printed on the report (both optional)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from backstride.core.errors import FieldProblem
from backstride.store.database import Store
from backstride.store.profile import MAX_NAME_LENGTH, Profile, load_profile, save_profile
from backstride.ui.form import FormDialog


class ProfileDialog(FormDialog):
    def __init__(self, store: Store, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profile_dialog")
        self.setWindowTitle("Profile")
        self._store = store
        self._today = today
        current = load_profile(store)
        self.name = QLineEdit(current.name)
        self.name.setObjectName("profile_name")
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.name.setPlaceholderText("optional")
        self.year = QLineEdit("" if current.birth_year is None else str(current.birth_year))
        self.year.setObjectName("profile_birth_year")
        self.year.setPlaceholderText("optional, e.g. 1985")
        self.year.setMaxLength(4)
        intro = QLabel(
            "Printed at the top of the report for your physiotherapist, so the page can be "
            "told apart from other patients'. Both are optional and stay in your data file."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self._label("&Name:", self.name), self.name)
        form.addRow("", self._error_label("name"))
        form.addRow(self._label("&Year of birth:", self.year), self.year)
        form.addRow("", self._error_label("birth_year", "general"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self._save_cancel(self.save))

    def save(self) -> None:
        text = self.year.text().strip()
        if text and not (text.isascii() and text.isdigit()):
            self._show_problems([FieldProblem("birth_year", "Type the year as four digits.")])
            return
        value = Profile(self.name.text(), int(text) if text else None)
        self._save_and_close(value, lambda p: save_profile(self._store, p, self._today))


__all__ = ["ProfileDialog"]
