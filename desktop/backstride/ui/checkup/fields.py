"""One widget per check-up question kind, all rendered from questions.toml.

Every field starts unanswered and can go back to unanswered: a yes/no question has Yes, No
and Not sure (none ticked at first), because an unanswered warning sign must never read as
"no". Keyboard: Tab moves between questions; in a yes/no question Y, N and S (not sure)
answer it and move on, arrows and Space work as usual.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from backstride.core.triage_wording import Question
from backstride.core.vocab import REGIONS
from backstride.ui.theme import themed_style
from backstride.ui.widgets.body_map import RegionPicker

NOT_SURE = "Not sure"
ERROR_STYLE = "color: #a1260d;"
NOTE_STYLE = "color: #2f5f8a;"


class QuestionField(QWidget):
    """A question's text, help, input and error line. Subclasses provide the input."""

    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setObjectName(f"field_{question.key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 10)
        layout.setSpacing(4)
        self.text_label = QLabel(question.text)
        self.text_label.setWordWrap(True)
        self.text_label.setObjectName("question_text")
        font = self.text_label.font()
        font.setBold(True)
        self.text_label.setFont(font)
        layout.addWidget(self.text_label)
        if question.help:
            help_label = QLabel(question.help)
            help_label.setWordWrap(True)
            help_label.setObjectName("question_help")
            palette = help_label.palette()
            palette.setColor(
                QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
            )
            help_label.setPalette(palette)
            layout.addWidget(help_label)
        self.body = QHBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.body)
        self.note = QLabel()
        self.note.setObjectName(f"note_{question.key}")
        themed_style(self.note, lambda s: f"color: {s.link};")  # light or dark (ui/theme.py)
        self.note.hide()
        layout.addWidget(self.note)
        self.error = QLabel()
        self.error.setObjectName(f"error_{question.key}")
        self.error.setWordWrap(True)
        themed_style(self.error, lambda s: f"color: {s.error_text};")
        self.error.hide()
        layout.addWidget(self.error)

    # -- what subclasses implement -----------------------------------------
    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        raise NotImplementedError

    def left_blank(self) -> bool:
        """Nothing chosen in a question that asks for a choice (Enter points it out on a
        warning-sign page). Numbers and lists may be left empty."""
        return False

    # -- shared -----------------------------------------------------------
    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_note(self, text: str) -> None:
        """A small line under the input, e.g. where a pre-filled answer came from."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _describe(self, widget: QWidget) -> None:
        widget.setAccessibleDescription(self.question.text)


class _ButtonsField(QuestionField):
    """Radio buttons for codes plus "Not sure"; none ticked means unanswered."""

    def __init__(
        self,
        question: Question,
        options: list[tuple[Any, str]],
        horizontal: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(question, parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[Any, QRadioButton] = {}
        box = QHBoxLayout() if horizontal else QVBoxLayout()
        box.setSpacing(18 if horizontal else 2)
        for value, label in [*options, (None, NOT_SURE)]:
            button = QRadioButton(label)
            button.setObjectName(f"{question.key}={value}")
            self._describe(button)
            self.group.addButton(button)
            self.buttons[value] = button
            box.addWidget(button)
        if horizontal:
            box.addStretch(1)
        self.body.addLayout(box)
        self.group.buttonToggled.connect(self._toggled)

    def _toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def value(self) -> Any:
        for value, button in self.buttons.items():
            if button.isChecked():
                return value
        return None

    def set_value(self, value: Any) -> None:
        button = self.buttons.get(value)
        if button is None or value is None:
            # Untick all: an exclusive group only lets go when made non-exclusive.
            self.group.setExclusive(False)
            for b in self.buttons.values():
                b.setChecked(False)
            self.group.setExclusive(True)
            return
        button.setChecked(True)

    def left_blank(self) -> bool:
        return self.group.checkedButton() is None  # "Not sure" is an answer here

    def focus_target(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked if isinstance(checked, QRadioButton) else next(iter(self.buttons.values()))


class YesNoField(_ButtonsField):
    KEYS: ClassVar[dict[Qt.Key, bool | None]] = {
        Qt.Key.Key_Y: True,
        Qt.Key.Key_N: False,
        Qt.Key.Key_S: None,
    }

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, [(True, "Yes"), (False, "No")], True, parent)
        self.buttons[True].setToolTip("Y")
        self.buttons[False].setToolTip("N")
        self.buttons[None].setToolTip("S: counts as not answered")
        for button in self.buttons.values():
            button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = Qt.Key(event.key())
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if key in self.KEYS and mods == Qt.KeyboardModifier.NoModifier:
                target = self.buttons[self.KEYS[key]]
                target.setChecked(True)
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                target.focusNextChild()  # on to the next question
                # ...but never out of the page onto Back or Cancel, where Enter would
                # press that button instead of Next.
                now = self.window().focusWidget()
                page = self.parentWidget()
                if page is not None and (now is None or not page.isAncestorOf(now)):
                    target.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)


class ChoiceField(_ButtonsField):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        options: list[tuple[Any, str]] = [(c.code, c.label) for c in question.choices]
        super().__init__(question, options, False, parent)


class MultiField(QuestionField):
    """Tick any; none ticked is the answer "none of these" (an empty list)."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        rows = (len(question.choices) + 1) // 2
        for i, choice in enumerate(question.choices):
            box = QCheckBox(choice.label)
            box.setObjectName(f"{question.key}={choice.code}")
            self._describe(box)
            box.toggled.connect(lambda _=False: self.changed.emit())
            self.boxes[choice.code] = box
            grid.addWidget(box, i % rows, i // rows)
        self.body.addLayout(grid)

    def value(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or ())
        for code, box in self.boxes.items():
            box.setChecked(code in chosen)

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()))


class NumberField(QuestionField):
    """A line edit: empty is unanswered; range errors come from the answers' validation."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.edit = QLineEdit()
        self.edit.setObjectName(question.key)
        self.edit.setPlaceholderText("not answered")
        self.edit.setFixedWidth(110)
        self.edit.setAccessibleName(question.label)
        self._describe(self.edit)
        # Digits and one decimal mark only; the range is checked on Next, with words.
        pattern = r"\d{0,5}" if question.integer else r"\d{0,5}([.,]\d{0,2})?"
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))
        self.edit.textChanged.connect(lambda _: self.changed.emit())
        self.text_label.setBuddy(self.edit)
        self.body.addWidget(self.edit)
        self.body.addWidget(QLabel(question.unit))
        self.body.addStretch(1)

    def value(self) -> Any:
        text = self.edit.text().strip().replace(",", ".")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return text  # reported as "expected a number" by the validation
        return int(number) if self.question.integer and number.is_integer() else number

    def set_value(self, value: Any) -> None:
        if value is None:
            self.edit.clear()
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.edit.setText(f"{value:g}")
        else:
            self.edit.setText(str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class RegionsField(QuestionField):
    """The body map and its list; nothing marked is unanswered."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.picker = RegionPicker()
        self.picker.setObjectName(question.key)
        self.picker.setFixedHeight(330)
        self.picker.regionsChanged.connect(lambda _: self.changed.emit())
        self.picker.map.installEventFilter(self)
        self.body.addWidget(self.picker)
        self.body.addStretch(1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # In a wizard Enter means "Next", as on every other question; Space still toggles.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
            QApplication.sendEvent(self.window(), copy)
            return True
        return super().eventFilter(watched, event)

    def value(self) -> list[str] | None:
        return list(self.picker.regions()) or None

    def set_value(self, value: Any) -> None:
        # Codes this version does not know (an older check-up's) are left out, not an error.
        self.picker.setRegions(c for c in (value or ()) if c in REGIONS)

    def focus_target(self) -> QWidget:
        return self.picker.map


def make_field(question: Question, parent: QWidget | None = None) -> QuestionField:
    if question.kind == "yes_no":
        return YesNoField(question, parent)
    if question.kind == "choice":
        return ChoiceField(question, parent)
    if question.kind == "multi":
        return MultiField(question, parent)
    if question.kind == "number":
        return NumberField(question, parent)
    return RegionsField(question, parent)
