"""What the entry dialogs share: typed fields where empty means unknown, and problems
shown beside the field they concern (the pain-entry dialog's style).

A field that shows a stored value keeps that exact value while its text is unchanged, so
opening and saving a run never rounds its distance or time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QWidget

from backstride.core.errors import EXPECTED_ERRORS, FieldProblem, ValidationError
from backstride.core.typed_text import FieldError

T = TypeVar("T")


class ValueField(QLineEdit, Generic[T]):
    """A line edit for an optional value: empty text is None (unknown), never 0."""

    def __init__(
        self,
        name: str,
        parse: Callable[[str], T | None],
        placeholder: str = "",
        width: int | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        self._parse = parse
        self._shown: tuple[str, T | None] | None = None
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(False)
        if width is not None:
            self.setMaximumWidth(width)

    def set_value(self, value: T | None, text: str) -> None:
        self.setText(text)
        self._shown = (text, value)

    def value(self) -> T | None:
        """The typed value; raises FieldError with what to type instead."""
        text = self.text()
        if self._shown is not None and self._shown[0] == text:
            return self._shown[1]
        return self._parse(text)


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def sentence(message: str) -> str:
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


class FormDialog(QDialog):
    """A dialog whose problems appear beside their fields; unknown fields go to `general`."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._errors: dict[str, QLabel] = {}

    def _save_cancel(self, save: Callable[[], None]) -> QDialogButtonBox:
        """Save (the default button: Enter anywhere in the form saves) and Cancel."""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        button = buttons.button(QDialogButtonBox.StandardButton.Save)
        button.setDefault(True)
        button.setToolTip("Save (Enter)")
        buttons.accepted.connect(save)
        buttons.rejected.connect(self.reject)
        return buttons

    saved: Any = None

    def _save_and_close(self, value: Any, save: Callable[[Any], object]) -> None:
        """Save while the dialog is open: a refusal is shown beside its field and everything
        typed stays; on success the dialog closes with `saved` set."""
        try:
            save(value)
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return
        except EXPECTED_ERRORS as exc:
            self._show_problems([FieldProblem("general", str(exc))])
            return
        self.saved = value
        self.accept()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _error_label(self, *fields: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"error_{fields[0]}")
        label.setWordWrap(True)
        label.setStyleSheet("color: #b00020;")
        label.hide()
        for field in fields:
            self._errors[field] = label
        return label

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        for label in self._errors.values():
            label.clear()
            label.hide()
        for p in problems:
            label = self._errors.get(p.field, self._errors["general"])
            text = sentence(p.message)
            label.setText(f"{label.text()} {text}".strip() if label.isVisible() else text)
            label.show()

    def _read(
        self, fields: dict[str, ValueField[T]], problems: list[FieldProblem]
    ) -> dict[str, T | None]:
        """Every field's value; a field that cannot be read adds a problem instead."""
        values: dict[str, T | None] = {}
        for name, field in fields.items():
            try:
                values[name] = field.value()
            except FieldError as exc:
                problems.append(FieldProblem(name, str(exc)))
                values[name] = None
        return values
