"""What every page shares: the open store, the undo stack and the change notice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
