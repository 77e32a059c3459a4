"""PDF bytes in the app: shown with QtPdf, saved owner-only, printed page by page.

Printing renders each PDF page to an image at the printer's own resolution, so what
comes out of the printer is what the preview shows, with no second layout engine.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QObject, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from backstride.core.safe_write import write_private
from backstride.report.options import paper_for_locale
from backstride.ui.errors import show_error

POINTS_PER_INCH = 72


def system_paper() -> str:
    """a4 or letter, from the system's locale."""
    return paper_for_locale(QLocale.system().name())


def load_pdf(data: bytes, parent: QObject) -> QPdfDocument:
    """A QPdfDocument reading from memory (the buffer lives as long as the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Print every page, each rendered at the printer's resolution and fitted to its
    printable area; returns the pages printed (0 when the printer could not start)."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        dpi = printer.resolution()
        area = printer.pageLayout().paintRectPixels(dpi)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(
                round(points.width() * dpi / POINTS_PER_INCH),
                round(points.height() * dpi / POINTS_PER_INCH),
            ).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            image = document.render(page, size)
            painter.drawImage(QRect(0, 0, size.width(), size.height()), image)
    finally:
        painter.end()
    return document.pageCount()


def print_with_dialog(parent: QWidget, document: QPdfDocument) -> bool:
    """The system print dialog, then the pages; True when they were sent."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    if not print_document(document, printer):
        show_error(parent, "Print", OSError("The printer could not be started."))
        return False
    return True


def save_pdf(parent: QWidget, data: bytes, suggested: str) -> Path | None:
    """Ask where, then write the PDF owner-only and atomically; None when cancelled or
    refused (the refusal is shown in words)."""
    name, _ = QFileDialog.getSaveFileName(parent, "Save as PDF", suggested, "PDF (*.pdf)")
    if not name:
        return None
    target = Path(name)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    return write_pdf(parent, data, target)


def write_pdf(parent: QWidget, data: bytes, target: Path) -> Path | None:
    try:
        write_private(target, lambda f: f.buffer.write(data))
    except OSError as exc:
        show_error(parent, "Save as PDF", exc)
        return None
    return target
