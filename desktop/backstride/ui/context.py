"""What every page shares: the open store, the undo stack, the change notice, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from backstride.operations import Change
from backstride.store.database import Store
from backstride.ui.data_events import DataEvents
from backstride.ui.errors import show_error


def _now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class AppContext:
    store: Store
    events: DataEvents
    undo: QUndoStack
    is_demo: bool = False
    now: Callable[[], datetime] = _now  # the one clock of the app; tests pass their own

    def today(self) -> date:
        return self.now().date()


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


T = TypeVar("T")


def perform(ctx: AppContext, widget: QWidget, change: Change[T]) -> T:
    """Record an operation that has been done: on the undo stack, then the change notice.

    The one place every page's writes pass through (Anki's CollectionOp); errors are the
    operation's to raise and the caller's to show beside the field they concern."""
    ctx.undo.push(
        StoreCommand(
            ctx,
            change.text,
            do=change.redo,
            undo=change.undo,
            changes=change.kinds,
            parent_widget=widget,
            already_done=True,
        )
    )
    return change.result


def perform_delete(
    ctx: AppContext,
    widget: QWidget,
    noun: str,
    delete: Callable[[], Change[T] | None],
    kinds: tuple[str, ...],
) -> T | None:
    """Delete now with undo; errors are shown. None when nothing was deleted (gone already,
    e.g. deleted in another window: the pages of `kinds` refresh)."""
    try:
        change = delete()
    except Exception as exc:
        show_error(widget, f"Could not delete the {noun}", exc)
        return None
    if change is None:
        ctx.events.announce(*kinds)
        return None
    return perform(ctx, widget, change)
