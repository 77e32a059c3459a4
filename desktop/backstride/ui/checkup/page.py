"""The Check-up page: the latest result, the history of check-ups, retake and compare."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backstride.core.models import Assessment
from backstride.core.triage import RULES_VERSION, Answers, TriageResult, tier_wording
from backstride.core.triage_record import (
    RecordError,
    flatten_answers,
    result_from_record,
    when_text,
)
from backstride.operations import ASSESSMENTS
from backstride.operations import checkups as checkup_ops
from backstride.store import assessments as assessment_store
from backstride.ui.checkup.compare_dialog import CompareDialog
from backstride.ui.checkup.result_view import TIER_STYLES, ResultView
from backstride.ui.checkup.wizard import CheckupWizard
from backstride.ui.context import AppContext, perform, perform_delete
from backstride.ui.errors import show_error

log = logging.getLogger("backstride")

EMPTY_HTML = (
    "<h3>No check-ups yet</h3>"
    "<p>The check-up asks about warning signs first, then your back-pain history, the "
    "pain's pattern and your running. It takes 2 to 4 minutes.</p>"
    "<p>It tells you how soon to get care, which patterns your answers fit, and which running "
    "habits may be worth changing and how to test them in your diary. It is not a "
    "diagnosis.</p>"
    "<p>Press <b>Start check-up</b> (Alt+S) to begin.</p>"
)


def _tier_icon(tier: str) -> QIcon:
    style = TIER_STYLES.get(tier)
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(style.swatch if style else "#9aa4b1"))
    return QIcon(pixmap)


def _rules_item(version: str) -> QTableWidgetItem:
    """The rules version of a check-up; older rules are marked, as Retake uses the current."""
    if version == RULES_VERSION:
        return QTableWidgetItem(version)
    item = QTableWidgetItem(f"{version} (older)")
    item.setToolTip(
        f"Made by the check-up rules of version {version}; the current rules are "
        f"{RULES_VERSION}. Retake the check-up for a result by the current rules."
    )
    return item


class CheckupPage(QWidget):
    title = "Check-up"
    status_message = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("CheckupPage")
        self.ctx = ctx
        self.now = ctx.now
        self.assessments: list[Assessment] = []
        self._build()
        ctx.events.changed.connect(self._on_changed)
        self.reload()

    # -- layout -----------------------------------------------------------
    def _build(self) -> None:
        self.start_button = QPushButton("&Start check-up")
        self.start_button.setObjectName("start_checkup")
        self.start_button.setToolTip("A new check-up with blank answers (2 to 4 minutes)")
        self.retake_button = QPushButton("&Retake")
        self.retake_button.setObjectName("retake")
        self.retake_button.setToolTip(
            "A new check-up filled in with your last answers; warning signs are asked afresh"
        )
        self.compare_button = QPushButton("&Compare with previous")
        self.compare_button.setObjectName("compare")
        self.compare_button.setToolTip("What changed since the check-up before the selected one")
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setObjectName("delete")
        self.delete_button.setToolTip("Delete the selected check-up (Del); Ctrl+Z brings it back")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(lambda: self.start_checkup())
        self.retake_button.clicked.connect(self.retake)
        self.compare_button.clicked.connect(self.compare_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.retake_button, self.compare_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)

        self.history = QTableWidget(0, 3)
        self.history.setObjectName("history")
        self.history.setAccessibleName("Check-up history")
        self.history.setHorizontalHeaderLabels(["Date", "Result", "Rules"])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setTabKeyNavigation(False)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.history.itemSelectionChanged.connect(self._show_selected)
        self.delete_action = QAction(
            "&Delete check-up", self, shortcut=QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.history.addAction(self.delete_action)
        history_label = QLabel("&History")
        history_label.setBuddy(self.history)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(history_label)
        left.addWidget(self.history, 1)
        left_widget = QWidget()
        left_widget.setLayout(left)

        self.shown_label = QLabel()
        self.shown_label.setObjectName("shown")
        self.view = ResultView()
        self.result_panel = QWidget()
        right = QVBoxLayout(self.result_panel)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.shown_label)
        right.addWidget(self.view, 1)
        self.empty = QLabel(EMPTY_HTML)
        self.empty.setObjectName("empty_state")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(40)
        self.right_stack = QStackedWidget()
        self.right_stack.addWidget(self.result_panel)
        self.right_stack.addWidget(self.empty)

        self.splitter = QSplitter()
        self.splitter.addWidget(left_widget)
        self.splitter.addWidget(self.right_stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 800])
        outer = QVBoxLayout(self)
        outer.addLayout(buttons)
        outer.addWidget(self.splitter, 1)
        self.setTabOrder(self.delete_button, self.history)
        self.setTabOrder(self.history, self.view.details)

    # -- loading ----------------------------------------------------------
    def _on_changed(self, what: frozenset[str]) -> None:
        if ASSESSMENTS in what:
            self.reload()

    def reload(self, select_id: int | None = None) -> None:
        selected = self.selected_assessment()
        keep = select_id if select_id is not None else (selected.id if selected else None)
        try:
            self.assessments = assessment_store.list_assessments(self.ctx.store)
        except Exception as exc:
            self.assessments = []
            show_error(self, "Could not read your check-ups", exc)
        self.history.blockSignals(True)
        self.history.setRowCount(len(self.assessments))
        for row, a in enumerate(self.assessments):
            tier = str(a.result.get("tier", ""))
            try:
                name = tier_wording(tier).name
            except KeyError:
                name = tier or "?"
            when = QTableWidgetItem(when_text(a.taken_at))
            when.setData(Qt.ItemDataRole.UserRole, a.id)
            result = QTableWidgetItem(_tier_icon(tier), name)
            self.history.setItem(row, 0, when)
            self.history.setItem(row, 1, result)
            self.history.setItem(row, 2, _rules_item(a.rules_version))
        self.history.blockSignals(False)
        rows = [i for i, a in enumerate(self.assessments) if a.id == keep]
        if self.assessments:
            self.history.selectRow(rows[0] if rows else 0)
        self._show_selected()

    def selected_row(self) -> int | None:
        rows = self.history.selectionModel().selectedRows()
        return rows[0].row() if rows and rows[0].row() < len(self.assessments) else None

    def selected_assessment(self) -> Assessment | None:
        row = self.selected_row()
        return None if row is None else self.assessments[row]

    def _show_selected(self) -> None:
        selected = self.selected_assessment()
        has = selected is not None
        self.right_stack.setCurrentWidget(self.result_panel if has else self.empty)
        self.retake_button.setEnabled(bool(self.assessments))
        row = self.selected_row()
        self.compare_button.setEnabled(row is not None and row + 1 < len(self.assessments))
        self.delete_button.setEnabled(has)
        self.delete_action.setEnabled(has)
        if selected is None:
            return
        latest = " (latest)" if selected is self.assessments[0] else ""
        self.shown_label.setText(
            f"<b>Check-up of {when_text(selected.taken_at)}</b>{latest} · rules version "
            f"{selected.rules_version}"
        )
        try:
            self.view.show_result(result_from_record(selected.result), selected.taken_at)
        except RecordError as exc:
            self.view.details.setPlainText(
                f"This check-up's result cannot be shown: {exc}. Its answers are kept; retake "
                "the check-up for a new result."
            )

    # -- operations -------------------------------------------------------
    def _save(self, answers: Answers, result: TriageResult) -> Assessment:
        change = checkup_ops.save_checkup(self.ctx.store, answers, result, self.now())
        return perform(self.ctx, self, change)

    def _profile_answers(self) -> dict[str, Any]:
        """What the runner's profile answers (age, height, weight); none if unreadable."""
        from backstride.core.profile import checkup_answers
        from backstride.store.profile import load_profile

        try:
            return checkup_answers(load_profile(self.ctx.store), self.now().date())
        except Exception:  # the check-up works without the profile; the log says why
            log.warning("profile unreadable for the check-up", exc_info=True)
            return {}

    def start_checkup(self, earlier: Assessment | None = None) -> Assessment | None:
        """Open the wizard (blank, or filled in from ``earlier``); the saved check-up or None."""
        try:
            prefill = assessment_store.running_prefill(self.ctx.store, self.now().date())
        except Exception as exc:  # the check-up still works without the training log
            show_error(self, "Could not read the training log to fill in your running", exc)
            prefill = {}
        wizard = CheckupWizard(
            self,
            save=self._save,
            prefill=prefill,
            profile=self._profile_answers(),
            earlier=flatten_answers(earlier.answers) if earlier else None,
            earlier_when=when_text(earlier.taken_at) if earlier else "",
        )
        wizard.exec()
        wizard.deleteLater()
        saved = wizard.saved if isinstance(wizard.saved, Assessment) else None
        if saved is not None:
            self.reload(select_id=saved.id)
            self.status_message.emit("Check-up saved. Ctrl+Z undoes it.")
        return saved

    def retake(self) -> Assessment | None:
        latest = self.assessments[0] if self.assessments else None
        return self.start_checkup(earlier=latest)

    def compare_selected(self) -> None:
        row = self.selected_row()
        if row is None or row + 1 >= len(self.assessments):
            return
        dialog = CompareDialog(self, older=self.assessments[row + 1], newer=self.assessments[row])
        dialog.exec()
        dialog.deleteLater()

    def delete_selected(self) -> None:
        selected = self.selected_assessment()
        if selected is None or selected.id is None:
            return
        store, assessment_id = self.ctx.store, selected.id
        removed = perform_delete(
            self.ctx,
            self,
            "check-up",
            lambda: checkup_ops.delete_checkup(store, assessment_id),
            (ASSESSMENTS,),
        )
        if removed is not None:
            self.status_message.emit("Check-up deleted. Ctrl+Z brings it back.")
