"""Read everything the analysis and the report need, in one value."""

from __future__ import annotations

from datetime import date

from backstride.core.models import Dataset
from backstride.store.database import Store
from backstride.store.habits import list_habit_days
from backstride.store.pain import list_pain_entries
from backstride.store.runs import list_runs
from backstride.store.shoes import list_shoes


def load_dataset(store: Store, start: date | None = None, end: date | None = None) -> Dataset:
    return Dataset(
        pain=tuple(list_pain_entries(store, start, end)),
        runs=tuple(list_runs(store, start, end)),
        habits=tuple(list_habit_days(store, start, end)),
        shoes=tuple(u.shoe for u in list_shoes(store)),
    )
