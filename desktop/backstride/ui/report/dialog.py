"""File > Report for my physiotherapist… (Ctrl+P): the options, a live preview, Save, Print.

Every change of an option rebuilds the PDF off the GUI thread (``run_task``, its own
connection) while a busy line shows; a change made during a build is applied after it,
so builds never pile up. Closing the dialog mid-build drops the result (the task's owner
is gone). Options are remembered in QSettings; the profile lives in the data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backstride.core.units import KM, MILES
from backstride.report.options import (
    DEFAULT_SECTIONS,
    DEFAULT_WEEKS,
    MAX_QUESTION_CHARS,
    SECTIONS,
    WEEK_CHOICES,
    ReportOptions,
    last_weeks,
    ordered_sections,
)
from backstride.store.profile import load_profile
from backstride.ui.context import AppContext
from backstride.ui.display_units import display_unit
from backstride.ui.errors import error_text
from backstride.ui.form import pydate, qdate
from backstride.ui.report.printing import load_pdf, print_with_dialog, save_pdf, system_paper
from backstride.ui.theme import themed_style
from backstride.ui.worker import Progress, Task, run_task

SETTINGS_GROUP = "report"
CUSTOM = 0  # the period combo's "custom dates" entry holds 0 weeks
REBUILD_DELAY_MS = 300  # typing the question rebuilds once the runner pauses


@dataclass(frozen=True, slots=True)
class Built:
    pdf: bytes
    options: ReportOptions


class ReportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_dialog")
        self.setWindowTitle("Report for my physiotherapist")
        self.ctx = ctx
        self.built: Built | None = None
        self.document: QPdfDocument | None = None
        self._task: Task[Built] | None = None
        self._pending = False
        self._build_widgets()
        self._restore()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REBUILD_DELAY_MS)
        self._timer.timeout.connect(self.rebuild)
        self._connect()
        self._show_profile()
        self.resize(1180, 820)
        self.rebuild()

    # -- widgets ----------------------------------------------------------
    def _build_widgets(self) -> None:
        self.period = QComboBox()
        self.period.setObjectName("report_period")
        for weeks in WEEK_CHOICES:
            self.period.addItem(f"Last {weeks} weeks", weeks)
        self.period.addItem("Custom dates", CUSTOM)
        self.date_from = QDateEdit()
        self.date_from.setObjectName("report_from")
        self.date_to = QDateEdit()
        self.date_to.setObjectName("report_to")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.paper = QComboBox()
        self.paper.setObjectName("report_paper")
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        self.units = QComboBox()
        self.units.setObjectName("report_units")
        self.units.addItem("Kilometres", KM.code)
        self.units.addItem("Miles", MILES.code)
        self.notes = QCheckBox("Include my diary &notes (they can be private)")
        self.notes.setObjectName("report_notes")
        self.sections: dict[str, QCheckBox] = {}
        box = QGroupBox("Sections")
        box_layout = QVBoxLayout(box)
        box_layout.setSpacing(2)
        for key, title in SECTIONS.items():
            check = QCheckBox(title)
            check.setObjectName(f"section_{key}")
            self.sections[key] = check
            box_layout.addWidget(check)
        self.question = QPlainTextEdit()
        self.question.setObjectName("report_question")
        self.question.setPlaceholderText(
            "A question you want to ask at the visit (printed on page 1)"
        )
        self.question.setMaximumHeight(80)
        self.question.setTabChangesFocus(True)
        self.profile_label = QLabel()
        self.profile_label.setObjectName("report_profile")
        self.profile_label.setWordWrap(True)
        self.profile_button = QPushButton("Pro&file…")
        self.profile_button.setObjectName("report_profile_button")
        self.profile_button.setToolTip("Your name and year of birth on the report (optional)")
        self.problem = QLabel()
        self.problem.setObjectName("report_problem")
        self.problem.setWordWrap(True)
        themed_style(self.problem, lambda s: f"color: {s.error_text};")
        self.problem.hide()
        self.busy = QProgressBar()
        self.busy.setObjectName("report_busy")
        self.busy.setRange(0, 0)  # no steps to count: a moving bar says it is working
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.status = QLabel()
        self.status.setObjectName("report_status")

        form = QFormLayout()
        form.addRow("&Period:", self.period)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.date_to)
        form.addRow("", dates)
        form.addRow("P&aper:", self.paper)
        form.addRow("&Distances:", self.units)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_label, 1)
        profile_row.addWidget(self.profile_button)
        left = QVBoxLayout()
        left.addLayout(profile_row)
        left.addLayout(form)
        left.addWidget(self.notes)
        left.addWidget(box)
        question_label = QLabel("My &question for the visit:")
        question_label.setBuddy(self.question)
        left.addWidget(question_label)
        left.addWidget(self.question)
        left.addWidget(self.problem)
        left.addStretch(1)
        left.addWidget(self.status)
        left.addWidget(self.busy)
        self.save_button = QPushButton("&Save as PDF…")
        self.save_button.setObjectName("report_save")
        self.print_button = QPushButton("P&rint…")
        self.print_button.setObjectName("report_print")
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        left.addLayout(buttons)
        holder = QWidget()
        holder.setLayout(left)
        holder.setFixedWidth(360)
        self.preview = QPdfView(self)
        self.preview.setObjectName("report_preview")
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview.setAccessibleName("Report preview")
        layout = QHBoxLayout(self)
        layout.addWidget(holder)
        layout.addWidget(self.preview, 1)
        self._enable_output(False)

    def _connect(self) -> None:
        self.period.currentIndexChanged.connect(self._period_changed)
        for widget in (self.paper, self.units):
            widget.currentIndexChanged.connect(self._changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._changed)
        self.notes.toggled.connect(self._changed)
        for check in self.sections.values():
            check.toggled.connect(self._changed)
        self.question.textChanged.connect(self._timer.start)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_report)
        self.profile_button.clicked.connect(self.edit_profile)

    # -- options ----------------------------------------------------------
    def options(self) -> ReportOptions:
        weeks = self.period.currentData()
        if weeks == CUSTOM:
            start, end = pydate(self.date_from.date()), pydate(self.date_to.date())
        else:
            start, end = last_weeks(self.ctx.today(), int(weeks))
        return ReportOptions(
            start=start,
            end=end,
            paper=str(self.paper.currentData()),
            unit=str(self.units.currentData()),
            sections=ordered_sections(k for k, c in self.sections.items() if c.isChecked()),
            notes=self.notes.isChecked(),
            question=self.question.toPlainText().strip()[:MAX_QUESTION_CHARS],
        )

    def _restore(self) -> None:
        s = QSettings()
        s.beginGroup(SETTINGS_GROUP)
        weeks = str(s.value("weeks", DEFAULT_WEEKS))
        index = self.period.findData(int(weeks) if weeks.isdigit() else DEFAULT_WEEKS)
        self.period.setCurrentIndex(index if index >= 0 else self.period.findData(DEFAULT_WEEKS))
        today = self.ctx.today()
        start, end = last_weeks(today, DEFAULT_WEEKS)
        self.date_from.setDate(qdate(_day(s.value("from"), start)))
        self.date_to.setDate(qdate(_day(s.value("to"), end)))
        paper = self.paper.findData(s.value("paper", system_paper()))
        self.paper.setCurrentIndex(max(0, paper))
        units = self.units.findData(s.value("units", display_unit().code))
        self.units.setCurrentIndex(max(0, units))
        self.notes.setChecked(s.value("notes", "true") in (True, "true"))
        chosen = s.value("sections", ",".join(DEFAULT_SECTIONS))
        picked = set(str(chosen).split(",")) if chosen else set()
        for key, check in self.sections.items():
            check.setChecked(key in picked)
        self.question.setPlainText(str(s.value("question", "")))
        s.endGroup()
        self._show_dates()

    def _remember(self, options: ReportOptions) -> None:
        s = QSettings()
        s.beginGroup(SETTINGS_GROUP)
        s.setValue("weeks", int(self.period.currentData()))
        s.setValue("from", options.start.isoformat())
        s.setValue("to", options.end.isoformat())
        s.setValue("paper", options.paper)
        s.setValue("units", options.unit)
        s.setValue("notes", "true" if options.notes else "false")
        s.setValue("sections", ",".join(options.sections))
        s.setValue("question", options.question)
        s.endGroup()

    def _show_dates(self) -> None:
        custom = self.period.currentData() == CUSTOM
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            start, end = last_weeks(self.ctx.today(), int(self.period.currentData()))
            for edit, day in ((self.date_from, start), (self.date_to, end)):
                edit.blockSignals(True)
                edit.setDate(qdate(day))
                edit.blockSignals(False)

    def _period_changed(self) -> None:
        self._show_dates()
        self._changed()

    def _changed(self) -> None:
        self._timer.start()

    # -- profile ----------------------------------------------------------
    def _show_profile(self) -> None:
        profile = load_profile(self.ctx.store)
        if profile.empty:
            self.profile_label.setText(
                "Add your name and year of birth, so your physiotherapist can file the pages?"
            )
            return
        parts = [profile.name] if profile.name else []
        if profile.birth_year is not None:
            parts.append(f"born {profile.birth_year}")
        self.profile_label.setText("On the report: " + ", ".join(parts))

    def edit_profile(self) -> None:
        from backstride.ui.report.profile_dialog import ProfileDialog

        dialog = ProfileDialog(self.ctx.store, self.ctx.today(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._show_profile()
            self.rebuild()

    # -- building ---------------------------------------------------------
    def rebuild(self) -> None:
        """Build the PDF for the current options (after the one being built, if any)."""
        self._timer.stop()
        if self._task is not None:
            self._pending = True
            return
        options = self.options()
        self._remember(options)
        store, now = self.ctx.store, self.ctx.now()

        def work(_progress: Progress) -> Built:
            from backstride.report.data import build_report
            from backstride.report.pdf import render_pdf
            from backstride.store.experiments import with_ticks
            from backstride.store.profile import load_report_records

            own = store.reopen()
            try:
                records = load_report_records(own, options.end)
                experiments = with_ticks(own)
            finally:
                own.close()
            report = build_report(
                records.dataset,
                records.assessments,
                options,
                now,
                profile=records.profile,
                experiments=experiments,
            )
            return Built(render_pdf(report), options)

        self._set_busy(True)
        self._task = run_task(self, work, self._built, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.status.setText("Building the report…" if busy else self.status.text())

    def _finish(self) -> bool:
        """The build is over; True when the options changed meanwhile (rebuilt)."""
        self._task = None
        if self._pending:
            self._pending = False
            self.rebuild()
            return True
        self._set_busy(False)
        return False

    def _built(self, built: Built) -> None:
        if self._finish():
            return
        self.problem.hide()
        old = self.document
        self.built = built
        self.document = load_pdf(built.pdf, self)
        self.preview.setDocument(self.document)
        if old is not None:
            old.deleteLater()
        pages = self.document.pageCount()
        self.status.setText(f"{pages} page{'' if pages == 1 else 's'}, ready to save or print.")
        self._enable_output(True)

    def _failed(self, exc: Exception) -> None:
        if self._finish():
            return
        self.problem.setText(error_text(exc))
        self.problem.show()
        self.status.setText("The report could not be built with these options.")
        self._enable_output(False)

    def _enable_output(self, on: bool) -> None:
        self.save_button.setEnabled(on)
        self.print_button.setEnabled(on)

    # -- output -----------------------------------------------------------
    def suggested_name(self) -> str:
        end = self.built.options.end if self.built else self.ctx.today()
        return f"backstride-report-{end.isoformat()}.pdf"

    def save(self) -> None:
        if self.built is None:
            return
        saved = save_pdf(self, self.built.pdf, self.suggested_name())
        if saved is not None:
            self.status.setText(f"Saved {saved.name}.")

    def print_report(self) -> None:
        if self.document is not None and print_with_dialog(self, self.document):
            self.status.setText("Sent to the printer.")


def _day(value: object, default: date) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return default


__all__ = ["ReportDialog"]
