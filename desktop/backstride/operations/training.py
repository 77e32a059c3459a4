"""Training-log operations: runs, habit days and shoes."""

from __future__ import annotations

from datetime import date

from backstride.core.models import HabitDay, Run, Shoe
from backstride.core.training import validate_habit_day, validate_run, validate_shoe
from backstride.operations import HABITS, RUNS, SHOES, Change
from backstride.store import habits as habit_store
from backstride.store import runs as run_store
from backstride.store import shoes as shoe_store
from backstride.store.database import Store

# A shoe's name shows on its runs, so changing a shoe changes what the runs show too.
_SHOE_KINDS = (SHOES, RUNS)


def _id(record: Run | Shoe) -> int:
    assert record.id is not None, "the store gives every saved record an id"
    return record.id


def add_run(store: Store, run: Run, today: date) -> Change[Run]:
    saved = run_store.add_run(store, validate_run(run, today))
    run_id = _id(saved)
    return Change(
        f"add run on {saved.day:%d %b}",
        saved,
        redo=lambda: run_store.add_run(store, saved),
        undo=lambda: run_store.delete_run(store, run_id),
        kinds=(RUNS,),
    )


def edit_run(store: Store, old: Run, new: Run, today: date) -> Change[Run]:
    """`old` must be the run as stored (read without its profile, which is kept)."""
    saved = run_store.update_run(store, validate_run(new, today))
    return Change(
        f"edit run on {saved.day:%d %b}",
        saved,
        redo=lambda: run_store.update_run(store, saved),
        undo=lambda: run_store.update_run(store, old),
        kinds=(RUNS,),
    )


def delete_run(store: Store, run_id: int) -> Change[Run] | None:
    removed = run_store.delete_run(store, run_id)
    if removed is None:
        return None
    return Change(
        f"delete run on {removed.day:%d %b}",
        removed,
        redo=lambda: run_store.delete_run(store, run_id),
        undo=lambda: run_store.add_run(store, removed),
        kinds=(RUNS,),
    )


def is_empty(h: HabitDay) -> bool:
    """A day with nothing recorded: saving it removes the day's row."""
    return h == HabitDay(day=h.day)


def log_habits(store: Store, habits: HabitDay, today: date) -> Change[HabitDay]:
    """Save the day's habits, or clear the day when everything was emptied."""
    day = habits.day
    cleared = is_empty(habits)

    def do() -> HabitDay | None:
        if cleared:
            return habit_store.delete_habit_day(store, day)
        return habit_store.save_habit_day(store, habits)

    if not cleared:
        validate_habit_day(habits, today)
    before = do()

    def undo() -> object:
        if before is None:
            return habit_store.delete_habit_day(store, day)
        return habit_store.save_habit_day(store, before)

    verb = "clear" if cleared else "log"
    return Change(f"{verb} habits of {day:%d %b}", habits, redo=do, undo=undo, kinds=(HABITS,))


def add_shoe(store: Store, shoe: Shoe, today: date) -> Change[Shoe]:
    saved = shoe_store.add_shoe(store, validate_shoe(shoe, today))
    shoe_id = _id(saved)
    return Change(
        f"add shoe {saved.name}",
        saved,
        redo=lambda: shoe_store.add_shoe(store, saved),
        undo=lambda: shoe_store.delete_shoe(store, shoe_id),
        kinds=_SHOE_KINDS,
    )


def edit_shoe(store: Store, old: Shoe, new: Shoe, today: date) -> Change[Shoe]:
    saved = shoe_store.update_shoe(store, validate_shoe(new, today))
    return Change(
        f"edit shoe {saved.name}",
        saved,
        redo=lambda: shoe_store.update_shoe(store, saved),
        undo=lambda: shoe_store.update_shoe(store, old),
        kinds=_SHOE_KINDS,
    )


def delete_shoe(store: Store, shoe_id: int) -> Change[tuple[Shoe, list[int]]] | None:
    """Deleting a shoe unlinks its runs; undo links them again."""
    removed = shoe_store.delete_shoe(store, shoe_id)
    if removed is None:
        return None
    shoe, run_ids = removed
    return Change(
        f"delete shoe {shoe.name}",
        removed,
        redo=lambda: shoe_store.delete_shoe(store, shoe_id),
        undo=lambda: shoe_store.restore_shoe(store, shoe, run_ids),
        kinds=_SHOE_KINDS,
    )
