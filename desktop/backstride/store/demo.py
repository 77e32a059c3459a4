"""Fill a separate database with the demo runner, never mixing demo rows with real ones."""

from __future__ import annotations

from backstride.core.models import Dataset
from backstride.store.database import Store, StoreError
from backstride.store.habits import import_habit_days
from backstride.store.pain import import_pain_entries
from backstride.store.runs import add_runs
from backstride.store.shoes import import_shoes

DEMO_KEY = "demo"
_TABLES = ("pain_entry", "run", "habit_day", "shoe", "assessment")


def is_demo(store: Store) -> bool:
    return store.get_meta(DEMO_KEY) is not None


def holds_data(store: Store) -> bool:
    with store.read() as db:
        return any(db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in _TABLES)


def fill_demo(store: Store, data: Dataset, description: str) -> None:
    """Replace a demo database's rows with data; refuses a database with real data."""
    if holds_data(store) and not is_demo(store):
        raise StoreError(
            f"{store.path} holds your own data, so demo data will not be written into it. "
            "Use an empty folder, e.g. --data-dir /tmp/backstride-demo."
        )
    with store.write() as db:
        for table in _TABLES:
            db.execute(f"DELETE FROM {table}")
        store.set_meta(DEMO_KEY, description)
        import_shoes(store, data.shoes)
        add_runs(store, data.runs, create_shoes=True)
        import_habit_days(store, data.habits)
        import_pain_entries(store, data.pain)
