"""The check-up wizard: warning signs, history, the pain's pattern, running; then the result.

Pages and questions come from questions.toml (``load_questions()``), the result from the
pure rules (``evaluate``). A "yes" to an emergency warning sign skips the other pages: Next
goes straight to the result, which can still be saved. When the body map contradicts a
warning-sign "no" (the saddle area, or both legs, marked), the recheck page asks that
question again directly, straight after the body map. Each page's answers are checked with
``parse_answers`` before moving on, so a number out of range is explained beside its
question in the rules' own words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from backstride.core.errors import FieldProblem
from backstride.core.triage import (
    EMERGENCY_FLAGS,
    Answers,
    AnswersError,
    TriageResult,
    body_map_conflicts,
    evaluate,
    load_questions,
    parse_answers,
    tier_wording,
    urgent_sign_answered,
)
from backstride.core.triage_record import nest_answers
from backstride.core.triage_wording import Page
from backstride.ui.checkup.fields import ERROR_STYLE, QuestionField, make_field
from backstride.ui.checkup.result_view import TIER_STYLES, ResultView
from backstride.ui.errors import error_text
from backstride.ui.screen_fit import resize_within_screen

RED_FLAGS, HISTORY, PATTERN, RECHECK, RUNNING, RESULT = range(6)
QUESTION_PAGES = (RED_FLAGS, HISTORY, PATTERN, RECHECK, RUNNING)
PREFILL_NOTE = "Filled in from your training log; change anything that's wrong."
PREFILL_FIELD_NOTE = "From your training log"
PROFILE_FIELD_NOTE = "From your profile (File › Profile…)"
AGE_FIELD_NOTE = (
    "From your year of birth: the age you reach this year (one less before your birthday)"
)
PROFILE_NOTE = "Filled in from your profile; change anything that's wrong."
KEYS_HINT = (
    "Keys: Tab moves to the next question; Y, N or S (not sure) answers a yes/no question; "
    "Enter goes to the next page."
)
UNANSWERED_NOTE = "Not answered yet: answer it, or press Enter again to go on without."

SaveCallback = Callable[[Answers, TriageResult], object]


def _notice(style: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(style)
    label.hide()
    return label


class QuestionPage(QWizardPage):
    """One [[pages]] table of questions.toml, in a scroll area."""

    def __init__(self, page: Page, step: int | None, steps: int) -> None:
        super().__init__()
        self.code = page.code
        self.setObjectName(f"page_{page.code}")
        # A page shown only when needed (the recheck) has no step number.
        self.setTitle(page.title if step is None else f"Step {step} of {steps}: {page.title}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(page.intro)
        intro.setWordWrap(True)
        intro.setObjectName("intro")
        layout.addWidget(intro)
        self.notice = _notice("background: #eaf2fb; color: #1d3f63; padding: 6px;")
        self.notice.setObjectName("notice")
        layout.addWidget(self.notice)
        self.alert = _notice("")
        self.alert.setObjectName("alert")
        layout.addWidget(self.alert)

        self.fields: dict[str, QuestionField] = {}
        self.content = inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(4, 4, 12, 4)
        for question in page.questions:
            field = make_field(question)
            self.fields[question.key] = field
            column.addWidget(field)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("questions")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(inner)
        layout.addWidget(self.scroll_area, 1)
        # The unanswered questions Enter has gone to, each once, before leaving the page.
        self._pointed_out: set[str] = set()

    def point_out_unanswered(self) -> bool:
        """Go to the first shown question still unanswered that Enter has not gone to yet,
        scrolled into view with a note; False when there is none left."""
        for key, field in self.fields.items():
            if not field.isHidden() and field.left_blank() and key not in self._pointed_out:
                self._pointed_out.add(key)
                field.set_note(UNANSWERED_NOTE)
                field.changed.connect(lambda f=field: f.set_note(""))
                field.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
                self.scroll_area.ensureWidgetVisible(field, 0, 12)
                return True
        return False

    def answers(self) -> dict[str, Any]:
        return {key: field.value() for key, field in self.fields.items()}

    def set_answers(self, flat: Mapping[str, Any]) -> None:
        for key, value in flat.items():
            if key in self.fields:
                self.fields[key].set_value(value)

    def show_problems(self, problems: list[FieldProblem]) -> bool:
        """Show each problem beside its question; True if this page had none."""
        mine = {p.field: p.message for p in problems if p.field in self.fields}
        for key, field in self.fields.items():
            field.set_error(mine.get(key, ""))
        first = next((f for k, f in self.fields.items() if k in mine), None)
        if first is not None:
            first.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(first)
        return first is None

    def show_only(self, keys: set[str]) -> None:
        """Show just these questions; the others are hidden and unanswered."""
        for key, field in self.fields.items():
            if key not in keys:
                field.set_value(None)
            field.setVisible(key in keys)

    def focus_first(self) -> None:
        first = next(f for f in self.fields.values() if not f.isHidden())
        first.focus_target().setFocus(Qt.FocusReason.TabFocusReason)
        self.scroll_area.verticalScrollBar().setValue(0)

    def validatePage(self) -> bool:
        wizard = self.wizard()
        return wizard.validate_page(self) if isinstance(wizard, CheckupWizard) else True


class ResultPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page_result")
        self.setTitle("Your result")
        self.setFinalPage(True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Save")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Close &without saving")
        self.view = ResultView()
        self.hint = QLabel(
            "Save keeps your answers and this result in your check-up history, to compare "
            "with next time."
        )
        self.hint.setWordWrap(True)
        self.error = _notice(ERROR_STYLE)
        self.error.setObjectName("save_error")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)

    def initializePage(self) -> None:
        wizard = self.wizard()
        if isinstance(wizard, CheckupWizard):
            self.error.hide()
            self.view.show_result(wizard.evaluate_answers()[1])


class CheckupWizard(QWizard):
    """The guided check-up. ``save`` stores answers and result; its errors are shown here."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        save: SaveCallback | None = None,
        prefill: Mapping[str, Any] | None = None,
        earlier: Mapping[str, Any] | None = None,
        earlier_when: str = "",
        profile: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CheckupWizard")
        self.setWindowTitle("Check-up")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self._save = save
        self.saved: object | None = None
        self._dirty = False
        self._finished = False
        pages = load_questions().pages
        steps = [p for p in pages if p.code != "recheck"]
        self.question_pages: list[QuestionPage] = []
        for page_id, page in zip(QUESTION_PAGES, pages, strict=True):
            step = steps.index(page) + 1 if page in steps else None
            widget = QuestionPage(page, step, len(steps))
            self.setPage(page_id, widget)
            self.question_pages.append(widget)
        self.result_page = ResultPage()
        self.setPage(RESULT, self.result_page)
        self.fields: dict[str, QuestionField] = {
            key: field for p in self.question_pages for key, field in p.fields.items()
        }
        self._fill(prefill or {}, earlier, earlier_when)
        self._fill_from_profile(profile or {})
        for field in self.fields.values():
            field.changed.connect(self._changed)
        self._update_alert()
        self.currentIdChanged.connect(self._page_shown)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        resize_within_screen(self, 780, 720)

    # -- filling in -------------------------------------------------------
    def _fill(
        self, prefill: Mapping[str, Any], earlier: Mapping[str, Any] | None, when: str
    ) -> None:
        if earlier:
            # Warning signs are asked afresh every time; only the age carries over.
            carried = {
                k: v for k, v in earlier.items() if not k.startswith(("red_flags.", "recheck."))
            }
            for page in self.question_pages:
                page.set_answers(carried)
            source = f"your check-up of {when}" if when else "your last check-up"
            self._notice(
                RED_FLAGS,
                f"The warning signs are asked afresh each time; your age is from {source}.",
            )
            for page_id in (HISTORY, PATTERN, RUNNING):  # not the recheck: asked afresh
                self._notice(
                    page_id, f"Filled in from {source}; change anything that is different."
                )
        known = {k: v for k, v in prefill.items() if k in self.fields and v is not None}
        for key, value in known.items():
            self.fields[key].set_value(value)
            self.fields[key].set_note(PREFILL_FIELD_NOTE)
        if known:
            self._notice(RUNNING, PREFILL_NOTE)
        self._notice(RED_FLAGS, KEYS_HINT, append=True)

    def _fill_from_profile(self, profile: Mapping[str, Any]) -> None:
        """The profile's answers (core.profile.checkup_answers) for questions still blank
        (the training log and an earlier check-up come first); each says where it is from."""
        pages = set()
        for key, value in profile.items():
            if key not in self.fields or value is None or self.fields[key].value() is not None:
                continue
            self.fields[key].set_value(value)
            self.fields[key].set_note(AGE_FIELD_NOTE if key == "age" else PROFILE_FIELD_NOTE)
            pages.add(RED_FLAGS if key == "age" else RUNNING)
        for page_id in sorted(pages):
            self._notice(page_id, PROFILE_NOTE)

    def _notice(self, page_id: int, text: str, append: bool = False) -> None:
        label = self.question_pages[page_id].notice
        # The latest note first, e.g. the training log before an earlier check-up.
        parts = [label.text(), text] if append else [text, label.text()]
        label.setText("\n".join(p for p in parts if p))
        label.show()

    # -- answers ----------------------------------------------------------
    def flat_answers(self) -> dict[str, Any]:
        """Answers of the pages on the way to here (skipped pages count as unanswered)."""
        flat: dict[str, Any] = {}
        for page_id in self.visitedIds():
            if page_id != RESULT:
                flat.update(self.question_pages[page_id].answers())
        return flat

    def evaluate_answers(self) -> tuple[Answers, TriageResult]:
        answers = parse_answers(nest_answers(self.flat_answers()))
        return answers, evaluate(answers)

    def validate_page(self, page: QuestionPage) -> bool:
        """The page's answers parse; on a warning-sign page, Enter first goes to each
        unanswered question in turn, so none is skipped unseen below the fold."""
        try:
            parse_answers(nest_answers(self.flat_answers()))
        except AnswersError as exc:
            return page.show_problems(exc.problems)
        page.show_problems([])  # clears the errors shown before
        warnings = (self.question_pages[RED_FLAGS], self.question_pages[RECHECK])
        if page in warnings and not self.emergency_answered():
            return not page.point_out_unanswered()
        return True

    def emergency_answered(self) -> bool:
        rechecks = self.question_pages[RECHECK].fields
        keys = (*EMERGENCY_FLAGS, *rechecks)
        return any(self.fields[k].value() is True for k in keys)

    def _warning_answers(self, keys: tuple[str, ...]) -> Answers:
        """The answers to these questions alone; one that does not parse (an age out of
        range, explained when the page is left) counts as unanswered here."""
        flat = {k: self.fields[k].value() for k in keys}
        try:
            return parse_answers(nest_answers(flat))
        except AnswersError as exc:
            bad = {p.field for p in exc.problems}
            return parse_answers(nest_answers({k: v for k, v in flat.items() if k not in bad}))

    def urgent_answered(self) -> bool:
        keys = (*self.question_pages[RED_FLAGS].fields, "history.conditions")
        return urgent_sign_answered(self._warning_answers(keys))

    def conflicting_rechecks(self) -> set[str]:
        """The recheck questions the body map calls for: a region contradicts a "no"."""
        keys = (*self.question_pages[RED_FLAGS].fields, "pattern.regions")
        return {c.recheck for c in body_map_conflicts(self._warning_answers(keys))}

    # -- navigation -------------------------------------------------------
    def nextId(self) -> int:
        current = self.currentId()
        if current in (RED_FLAGS, RECHECK) and self.emergency_answered():
            return RESULT
        if current == PATTERN:
            return RECHECK if self.conflicting_rechecks() else RUNNING
        if current == RUNNING:
            return RESULT
        if current in (RED_FLAGS, HISTORY, RECHECK):
            return current + 1
        return -1

    def initializePage(self, page_id: int) -> None:
        if page_id == RECHECK:
            self.question_pages[RECHECK].show_only(self.conflicting_rechecks())
        elif page_id == RUNNING and RECHECK not in self.visitedIds():
            # The body map no longer calls for it: an earlier answer there must not linger.
            self.question_pages[RECHECK].show_only(set())
        super().initializePage(page_id)

    def _changed(self) -> None:
        self._dirty = True
        self._update_alert()

    def _update_alert(self) -> None:
        page = self.question_pages[RED_FLAGS]
        emergency = self.emergency_answered()
        self.question_pages[RECHECK].setButtonText(
            QWizard.WizardButton.NextButton, "&See what to do now" if emergency else "&Next >"
        )
        if emergency:
            style, text = (
                TIER_STYLES["emergency"],
                (
                    f"{tier_wording('emergency').headline}: you answered yes to an emergency "
                    "warning sign. Press Enter to see what to do now."
                ),
            )
            page.setButtonText(QWizard.WizardButton.NextButton, "&See what to do now")
        elif self.urgent_answered():
            style, text = (
                TIER_STYLES["urgent"],
                (
                    f"{tier_wording('urgent').headline}: you answered yes to a warning sign that "
                    "needs a doctor's check. The result says more; the other questions are "
                    "optional."
                ),
            )
            page.setButtonText(QWizard.WizardButton.NextButton, "&Next >")
        else:
            page.alert.hide()
            page.setButtonText(QWizard.WizardButton.NextButton, "&Next >")
            return
        page.alert.setStyleSheet(
            f"background: {style.background}; color: {style.text}; padding: 8px;"
            "font-weight: bold; border-radius: 4px;"
        )
        page.alert.setText(text)
        page.alert.show()

    def _page_shown(self, page_id: int) -> None:
        if page_id == RESULT:
            self.result_page.view.details.setFocus(Qt.FocusReason.OtherFocusReason)
        elif 0 <= page_id < len(self.question_pages):
            self.question_pages[page_id].focus_first()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Keep the question in focus scrolled into view (Tab walks past the fold)."""
        if new is None:
            return
        for page in self.question_pages:
            if page.isVisible() and page.content.isAncestorOf(new):
                field: QWidget | None = new
                while field is not None and not isinstance(field, QuestionField):
                    field = field.parentWidget()
                page.scroll_area.ensureWidgetVisible(field or new, 0, 12)

    # -- finishing --------------------------------------------------------
    def accept(self) -> None:
        try:
            answers, result = self.evaluate_answers()
            if self._save is not None:
                self.saved = self._save(answers, result)
        except Exception as exc:  # shown on the page; the answers stay
            self.result_page.error.setText(f"Not saved: {error_text(exc)}")
            self.result_page.error.show()
            return
        self._dirty = False
        super().accept()

    def reject(self) -> None:
        if self._dirty and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Close the check-up?",
            "Your answers are not saved. Close the check-up without saving them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def done(self, result: int) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and not self._finished:
            app.focusChanged.disconnect(self._focus_changed)
        self._finished = True
        super().done(result)
