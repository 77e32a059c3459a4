"""What every page shares: the open store, the undo stack and the change notice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from backstride.store.database import Store
from backstride.ui.data_events import DataEvents
from backstride.ui.errors import show_error


@dataclass
class AppContext:
    store: Store
    events: DataEvents
    undo: QUndoStack
    is_demo: bool = False


class StoreCommand(QUndoCommand):
    """An undoable change to the store: do/undo are small store operations.

    A failure during undo or redo is shown and the command is dropped from the stack, so
    the runner is told and never loses an entry silently.
    """

    def __init__(
        self,
        ctx: AppContext,
        text: str,
        do: Callable[[], object],
        undo: Callable[[], object],
        changes: tuple[str, ...],
        parent_widget: QWidget | None = None,
        already_done: bool = False,
    ) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._do = do
        self._undo = undo
        self._changes = changes
        self._widget = parent_widget
        self._skip_next_redo = already_done  # the caller did it and handled its errors

    def _run(self, action: Callable[[], object], verb: str) -> None:
        try:
            action()
        except Exception as exc:  # shown to the user; the stack stays consistent
            self.setObsolete(True)
            show_error(self._widget, f"Could not {verb} “{self.text()}”", exc)
        finally:
            self._ctx.events.announce(*self._changes)

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            self._ctx.events.announce(*self._changes)
            return
        self._run(self._do, "redo")

    def undo(self) -> None:
        self._run(self._undo, "undo")


R = TypeVar("R")


def delete_undoably(
    ctx: AppContext,
    widget: QWidget,
    noun: str,
    delete: Callable[[], R | None],
    restore: Callable[[R], object],
    describe: Callable[[R], str],
    changes: tuple[str, ...],
) -> R | None:
    """Delete now and push the undo; returns what was deleted, None if nothing was.

    `delete` returns the removed record (None when it was already gone); `restore` puts it
    back as it was, for Ctrl+Z. Errors are shown and nothing is pushed.
    """
    try:
        removed = delete()
    except Exception as exc:
        show_error(widget, f"Could not delete the {noun}", exc)
        return None
    if removed is None:
        ctx.events.announce(*changes)  # gone already (another window?): refresh the view
        return None
    push_done(ctx, widget, describe(removed), delete, lambda: restore(removed), changes)
    return removed


def push_done(
    ctx: AppContext,
    widget: QWidget,
    text: str,
    do: Callable[[], object],
    undo: Callable[[], object],
    changes: tuple[str, ...],
) -> None:
    """Record a change the caller has just made (and handled errors for) on the undo stack."""
    ctx.undo.push(
        StoreCommand(
            ctx, text, do=do, undo=undo, changes=changes, parent_widget=widget, already_done=True
        )
    )
