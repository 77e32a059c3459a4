"""User-facing error dialogs: words in the dialog, tracebacks only in the log file."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from backstride.core.errors import EXPECTED_ERRORS

log = logging.getLogger("backstride")

EXPECTED = EXPECTED_ERRORS


def error_text(exc: BaseException) -> str:
    if isinstance(exc, EXPECTED):
        return str(exc)
    log.error("unexpected error", exc_info=exc)
    return (
        "Something went wrong inside Backstride and the action was not completed. "
        "Your saved data is unchanged. Details are in the log file (Help > About)."
    )


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    QMessageBox.warning(parent, title, error_text(exc))
