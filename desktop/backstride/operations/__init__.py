"""One small function per user action (Anki's `aqt/operations` idea).

Each operation validates, writes through the store and returns a `Change`: what it did (the
saved record), how to do it again and undo it, and which kinds of data changed. It speaks
no Qt: the ui layer puts the Change on its undo stack and announces its kinds, in one place
(`ui/context.perform`), so every page gets undo and the "what changed" notice the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

# The kinds of data an operation can change; pages refresh on the kinds they show.
PAIN = "pain"
RUNS = "runs"
HABITS = "habits"
SHOES = "shoes"
ASSESSMENTS = "assessments"
ALL_DATA = (PAIN, RUNS, HABITS, SHOES, ASSESSMENTS)
PROFILE = "profile"  # the runner's profile (report header, check-up answers)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """An operation that has been done: the record it produced, redo/undo, what changed."""

    text: str  # for the undo stack: "add entry for 02 Jan"
    result: T
    redo: Callable[[], object]
    undo: Callable[[], object]
    kinds: tuple[str, ...]
