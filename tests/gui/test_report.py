"""The report dialog (issue 13): options, live preview, Save, Print, the profile, and the
emergency check-up page's own Print / Save as PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from backstride.core.demo import generate_demo
from backstride.core.triage import evaluate, parse_answers
from backstride.store.database import Store
from backstride.store.demo import fill_demo
from backstride.store.profile import Profile, load_profile, save_profile
from backstride.ui.checkup.result_view import ResultView
from backstride.ui.context import AppContext
from backstride.ui.data_events import DataEvents
from backstride.ui.report.dialog import ReportDialog
from backstride.ui.report.printing import load_pdf, print_document
from backstride.ui.report.profile_dialog import ProfileDialog
from backstride.ui.worker import database_pool

pytestmark = pytest.mark.gui
END = date(2026, 6, 28)
WAIT_MS = 20000


def make_dialog(qtbot, store: Store, track: bool = True) -> ReportDialog:  # type: ignore[no-untyped-def]
    ctx = AppContext(
        store=store,
        events=DataEvents(),
        undo=QUndoStack(),
        now=lambda: datetime(2026, 6, 28, 10, 0, tzinfo=UTC),
    )
    dialog = ReportDialog(ctx)
    dialog._test_ctx = ctx  # type: ignore[attr-defined]  # keep the events object alive
    if track:
        qtbot.addWidget(dialog)
    return dialog


def wait_built(qtbot, dialog: ReportDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.built is not None and dialog._task is None, timeout=WAIT_MS)


@pytest.fixture
def demo(store: Store) -> Store:
    fill_demo(store, generate_demo(120, seed=3, end=END), "demo")
    return store


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def test_the_preview_shows_the_report(qtbot, demo: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, demo)
    dialog.show()
    assert dialog.busy.isVisible()  # building off the GUI thread, with a busy bar
    wait_built(qtbot, dialog)
    assert dialog.document is not None and dialog.document.pageCount() >= 2
    assert dialog.preview.document() is dialog.document
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    assert not dialog.busy.isVisible()
    assert "page" in dialog.status.text()
    assert "Add your name" in dialog.profile_label.text()  # offered on the first report


def test_options_rebuild_and_are_remembered(qtbot, demo: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, demo)
    wait_built(qtbot, dialog)
    for key, check in dialog.sections.items():
        check.setChecked(key == "summary")
    dialog.period.setCurrentIndex(dialog.period.findData(4))
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    dialog.question.setPlainText("Can I run the half marathon?")
    dialog.rebuild()  # what the pause after typing does
    qtbot.waitUntil(
        lambda: (
            dialog.built is not None
            and dialog.built.options.sections == ("summary",)
            and dialog.built.options.question == "Can I run the half marathon?"
            and dialog._task is None
        ),
        timeout=WAIT_MS,
    )
    assert dialog.document is not None and dialog.document.pageCount() == 1
    assert dialog.built.options.paper == "letter" and dialog.built.options.days == 28
    dialog.close()
    again = make_dialog(qtbot, demo)
    assert again.period.currentData() == 4 and again.paper.currentData() == "letter"
    assert [k for k, c in again.sections.items() if c.isChecked()] == ["summary"]
    assert again.question.toPlainText() == "Can I run the half marathon?"
    wait_built(qtbot, again)
    QSettings().remove("report")


def test_no_section_is_said_in_words(qtbot, demo: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, demo)
    wait_built(qtbot, dialog)
    for check in dialog.sections.values():
        check.setChecked(False)
    dialog.rebuild()
    qtbot.waitUntil(lambda: not dialog.problem.isHidden() and dialog._task is None, timeout=WAIT_MS)
    assert "at least one section" in dialog.problem.text()
    assert not dialog.save_button.isEnabled()


def test_save_writes_the_pdf(qtbot, demo: Store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "for my physio"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))
    dialog = make_dialog(qtbot, demo)
    wait_built(qtbot, dialog)
    dialog.save_button.click()
    saved = target.with_name("for my physio.pdf")
    assert saved.read_bytes() == dialog.built.pdf  # type: ignore[union-attr]
    assert saved.stat().st_mode & 0o077 == 0
    assert "Saved" in dialog.status.text()


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler-utils")
def test_print_renders_every_page(qtbot, demo: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, demo)
    wait_built(qtbot, dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert dialog.document is not None
    assert print_document(dialog.document, printer) == dialog.document.pageCount()
    assert pdf_pages(out) == dialog.document.pageCount()


def test_closing_mid_build_drops_the_result(qtbot, demo: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, demo, track=False)
    task = dialog._task
    assert task is not None
    dialog.close()
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=WAIT_MS)
    assert task.orphaned  # its result is dropped, never handed to the deleted dialog
    assert database_pool().waitForDone(WAIT_MS)


def test_the_profile_is_saved_and_shown(qtbot, demo: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = ProfileDialog(demo, END)
    qtbot.addWidget(dialog)
    dialog.name.setText("Zoë Ιωάννου")
    dialog.year.setText("19x5")
    dialog.save()
    assert dialog.result() != ProfileDialog.DialogCode.Accepted
    assert "four digits" in dialog.findChild(QWidget, "error_birth_year").text()  # type: ignore[union-attr]
    dialog.year.setText("2099")
    dialog.save()
    assert "1900 to 2026" in dialog.findChild(QWidget, "error_birth_year").text()  # type: ignore[union-attr]
    dialog.year.setText("1985")
    dialog.save()
    assert load_profile(demo) == Profile("Zoë Ιωάννου", 1985)
    report = make_dialog(qtbot, demo)
    assert report.profile_label.text() == "On the report: Zoë Ιωάννου, born 1985"
    wait_built(qtbot, report)


def test_the_profile_in_miles_shows_and_reads_feet_inches_and_pounds(  # type: ignore[no-untyped-def]
    qtbot, demo: Store
) -> None:
    from backstride.core.units import MILES
    from backstride.store.profile import save_profile

    save_profile(demo, Profile("Ana", 1985, 172.0, 68.3, 2015), END)
    dialog = ProfileDialog(demo, END)
    qtbot.addWidget(dialog)
    fields = dialog.fields
    fields.set_unit(MILES)
    assert (fields.height.text(), fields.weight.text()) == ("5 ft 8 in", "151")
    assert fields.read() == (Profile("Ana", 1985, 172.0, 68.3, 2015), [])  # kept exactly
    fields.weight.setText("700")
    dialog.save()
    assert "56-661 lb" in dialog.findChild(QWidget, "error_weight_kg").text()  # type: ignore[union-attr]
    fields.height.setText("5'10\"")
    fields.weight.setText("160")
    dialog.save()
    assert load_profile(demo) == Profile("Ana", 1985, 177.8, 72.57, 2015)


def test_the_main_window_opens_the_report_with_ctrl_p(qtbot, demo: Store) -> None:  # type: ignore[no-untyped-def]
    from backstride.ui.app import create_window

    save_profile(demo, Profile("R", None), END)
    window = create_window(demo)
    qtbot.addWidget(window)
    action = window.findChild(QAction, "clinician_report")
    assert action is not None and action.shortcut().toString() == "Ctrl+P"
    window.show_report()
    dialog = window.findChild(ReportDialog)
    assert dialog is not None
    wait_built(qtbot, dialog)
    dialog.close()


@pytest.mark.parametrize("flag", ["saddle_numbness", "fever"])
def test_the_emergency_and_urgent_pages_print(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch, flag: str
) -> None:
    view = ResultView()
    qtbot.addWidget(view)
    view.show_result(evaluate(parse_answers({"red_flags": {flag: True}})))
    view.show()
    assert view.print_button.isVisible() and view.save_button.isVisible()
    target = tmp_path / "check-up.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))
    view.save_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_document(load_pdf(view.result_pdf(), view), printer) == 1


def test_a_self_care_result_has_no_print_row(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = ResultView()
    qtbot.addWidget(view)
    flags = {k: False for k in ("saddle_numbness",)}
    view.show_result(evaluate(parse_answers({"red_flags": flags})))
    view.show()
    assert view.result is not None and view.result.tier != "emergency"
    assert view.output_row.isVisible() == (view.result.tier in ("emergency", "urgent"))


def test_mnemonics_are_unique_and_land(qtbot, demo: Store) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.test_mnemonics import check

    dialog = make_dialog(qtbot, demo)
    wait_built(qtbot, dialog)
    check(qtbot, dialog)
    check(qtbot, ProfileDialog(demo, END))
