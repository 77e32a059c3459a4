"""What the entry dialogs share: typed fields where empty means unknown, and problems
shown beside the field they concern (the pain-entry dialog's style).

A field that shows a stored value keeps that exact value while its text is unchanged, so
opening and saving a run never rounds its distance or time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from backstride.core.errors import EXPECTED_ERRORS, FieldProblem, ValidationError
from backstride.core.limits import NOTE_CHARS
from backstride.core.typed_text import FieldError
from backstride.ui.theme import app_scheme, themed_style

T = TypeVar("T")

# How the forms show a date (Qt's format), and the same in Python for their messages, so a
# problem names the date as the field shows it ("Sat 5 Dec 2026", not "2026-12-05").
DATE_FORMAT = "ddd d MMM yyyy"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Room a field leaves beside its placeholder text (frame and cursor margins).
_PLACEHOLDER_MARGIN = 16


def error_color() -> str:
    """The colour of an error's words in the scheme now applied (ui/theme.py)."""
    return app_scheme().error_text


def date_text(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def dates_as_shown(message: str) -> str:
    """message with each ISO date written as the date fields show it."""

    def shown(m: re.Match[str]) -> str:
        try:
            return date_text(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:  # not a real date: leave the text as it is
            return m[0]

    return _ISO_DATE.sub(shown, message)


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
            # Never narrower than the placeholder, which says what to type.
            hint = self.fontMetrics().horizontalAdvance(placeholder) + _PLACEHOLDER_MARGIN
            self.setMaximumWidth(max(width, hint))

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

    def showEvent(self, event: QShowEvent) -> None:
        for field in self.findChildren(QLineEdit):
            field.installEventFilter(self)  # installing twice keeps one filter
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """An Alt+letter that is no mnemonic here is swallowed: a line edit would type
        the letter (Alt+N put an "n" into the cadence)."""
        if (
            isinstance(watched, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier  # AltGr
            and event.text()
        ):
            return True
        return super().eventFilter(watched, event)

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

    def _with_counter(self, edit: QPlainTextEdit | QLineEdit) -> QHBoxLayout:
        """edit beside a live count of its characters against NOTE_CHARS (red above it),
        so the limit is seen while typing, not only after Save."""
        counter = QLabel()
        counter.setObjectName(f"{edit.objectName()}_count")
        counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)

        def count() -> None:
            text = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
            over = len(text) > NOTE_CHARS
            counter.setText(f"{len(text):,}/{NOTE_CHARS:,}")
            counter.setStyleSheet(f"color: {error_color() if over else 'palette(mid)'};")
            counter.setToolTip(
                f"{len(text):,} characters; at most {NOTE_CHARS:,}"
                + (f": {len(text) - NOTE_CHARS:,} too many" if over else "")
            )

        edit.textChanged.connect(count)
        count()
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(counter, 0, Qt.AlignmentFlag.AlignBottom)
        return row

    def _error_label(self, *fields: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"error_{fields[0]}")
        label.setWordWrap(True)
        themed_style(label, lambda s: f"color: {s.error_text};")
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
            text = sentence(dates_as_shown(p.message))
            label.setText(f"{label.text()} {text}".strip() if label.isVisible() else text)
            label.show()
        self._fit_contents()

    def _fit_contents(self) -> None:
        """Grow, never shrink, until every message shows in full (wrapped messages need
        more height than the layout's minimum), within the screen's available area."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = max(self.width(), layout.totalMinimumSize().width())
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        height = max(self.height(), height, layout.totalSizeHint().height())
        screen = self.screen().availableGeometry()
        self.resize(min(width, screen.width()), min(height, screen.height()))

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
