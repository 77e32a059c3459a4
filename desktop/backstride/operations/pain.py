"""Diary operations: add, log no pain, edit, delete."""

from __future__ import annotations

from datetime import date, datetime

from backstride.core.models import PainEntry
from backstride.core.pain import no_pain_entry, validate_pain_entry
from backstride.operations import PAIN, Change
from backstride.store import pain as pain_store
from backstride.store.database import Store


def _saved_id(entry: PainEntry) -> int:
    assert entry.id is not None, "the store gives every saved entry an id"
    return entry.id


def add_entry(store: Store, entry: PainEntry, today: date) -> Change[PainEntry]:
    saved = pain_store.add_pain_entry(store, validate_pain_entry(entry, today))
    entry_id = _saved_id(saved)
    return Change(
        f"add entry for {saved.day:%d %b}",
        saved,
        redo=lambda: pain_store.add_pain_entry(store, saved),
        undo=lambda: pain_store.delete_pain_entry(store, entry_id),
        kinds=(PAIN,),
    )


def log_no_pain(store: Store, now: datetime) -> Change[PainEntry]:
    change = add_entry(store, no_pain_entry(now), now.date())
    return Change("log no pain today", change.result, change.redo, change.undo, change.kinds)


def edit_entry(store: Store, old: PainEntry, new: PainEntry, today: date) -> Change[PainEntry]:
    saved = pain_store.update_pain_entry(store, validate_pain_entry(new, today))
    return Change(
        f"edit entry for {saved.day:%d %b}",
        saved,
        redo=lambda: pain_store.update_pain_entry(store, saved),
        undo=lambda: pain_store.update_pain_entry(store, old),
        kinds=(PAIN,),
    )


def delete_entry(store: Store, entry_id: int) -> Change[PainEntry] | None:
    """None when the entry was gone already (deleted in another window)."""
    removed = pain_store.delete_pain_entry(store, entry_id)
    if removed is None:
        return None
    return Change(
        f"delete entry for {removed.day:%d %b}",
        removed,
        redo=lambda: pain_store.delete_pain_entry(store, entry_id),
        undo=lambda: pain_store.add_pain_entry(store, removed),
        kinds=(PAIN,),
    )
