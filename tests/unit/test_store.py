from __future__ import annotations

import sqlite3
import stat
from datetime import date, time
from pathlib import Path

import pytest

from backstride.core.models import PainEntry
from backstride.store import pain as pain_store
from backstride.store.database import (
    APPLICATION_ID,
    DB_FILENAME,
    StoreError,
    load_migrations,
    open_store,
    schema_version,
)


def test_migrations_from_empty_create_every_table_strict(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        conn = store.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {
            name: sql
            for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'")
        }
        assert {"pain_entry", "run", "habit_day", "shoe", "assessment", "meta"} <= set(tables)
        assert all(sql.rstrip().endswith("STRICT") for sql in tables.values())
    finally:
        store.close()


def test_file_is_owner_only(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    mode = stat.S_IMODE((tmp_path / DB_FILENAME).stat().st_mode)
    assert mode == 0o600


def test_reopen_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    pain_store.add_pain_entry(store, PainEntry(day=date(2026, 1, 2), intensity=3))
    store.close()
    store = open_store(tmp_path)
    assert [e.intensity for e in pain_store.list_pain_entries(store)] == [3]
    store.close()


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    path = tmp_path / DB_FILENAME
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(load_migrations()) + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version of Backstride"):
        open_store(tmp_path)
    assert path.read_bytes() == before


def test_not_an_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    path.write_bytes(b"hello, this is a text file\n" * 10)
    with pytest.raises(StoreError, match="not a Backstride data file"):
        open_store(tmp_path)
    assert path.read_bytes() == b"hello, this is a text file\n" * 10


def test_other_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        open_store(tmp_path)
    assert path.read_bytes() == before


def test_damaged_file_is_refused_and_untouched(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    for i in range(300):
        pain_store.add_pain_entry(
            store, PainEntry(day=date(2025, 1, 1), intensity=i % 11, note="x" * 200)
        )
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    path = tmp_path / DB_FILENAME
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 2 + 2000] = b"\xff" * 2000  # scribble over a b-tree page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        open_store(tmp_path)
    assert path.read_bytes() == bytes(data)


def test_unwritable_folder_gives_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot open its data file"):
        open_store(blocker / "sub")


def test_constraint_error_becomes_clear_message(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        with pytest.raises(StoreError, match="'intensity' is out of range"):
            pain_store.add_pain_entry(store, PainEntry(day=date(2026, 1, 1), intensity=11))
        assert pain_store.list_pain_entries(store) == []
    finally:
        store.close()


def test_write_is_transactional(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    good = PainEntry(day=date(2026, 1, 1), intensity=2)
    bad = PainEntry(day=date(2026, 1, 1), intensity=42)
    with pytest.raises(StoreError):
        pain_store.import_pain_entries(store, [good, bad])
    assert pain_store.count_pain_entries(store) == 0
    store.close()


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = open_store(tmp_path)
    yield s
    s.close()


def test_pain_crud_and_undo_restores_same_id(store) -> None:  # type: ignore[no-untyped-def]
    e = pain_store.add_pain_entry(
        store,
        PainEntry(
            day=date(2026, 3, 4),
            time=time(7, 5),
            intensity=4,
            regions=("lower_back_left", "saddle"),
            timing="on_waking",
            quality=("aching",),
            stiffness_min=20,
            worse=("sitting",),
            helped=("heat", "topical"),
            medication="ibuprofen",
            note="after long run",
        ),
    )
    assert e.id is not None
    assert pain_store.get_pain_entry(store, e.id) == e
    changed = pain_store.update_pain_entry(store, e.__class__(**{**_fields(e), "intensity": 6}))
    assert pain_store.get_pain_entry(store, e.id) == changed
    removed = pain_store.delete_pain_entry(store, e.id)
    assert removed == changed
    assert pain_store.get_pain_entry(store, e.id) is None
    pain_store.add_pain_entry(store, removed)
    assert pain_store.get_pain_entry(store, e.id) == changed


def _fields(e: PainEntry) -> dict[str, object]:
    return {f: getattr(e, f) for f in e.__slots__}


def test_filters_by_range_and_region_and_worst_by_day(store) -> None:  # type: ignore[no-untyped-def]
    for day, intensity, regions in [
        (date(2026, 1, 1), 2, ("upper_back",)),
        (date(2026, 1, 1), 5, ("lower_back_centre",)),
        (date(2026, 1, 3), 0, ()),
        (date(2026, 2, 1), 7, ("lower_back_centre", "thigh_left")),
    ]:
        pain_store.add_pain_entry(store, PainEntry(day=day, intensity=intensity, regions=regions))
    jan = pain_store.list_pain_entries(store, date(2026, 1, 1), date(2026, 1, 31))
    assert [e.intensity for e in jan] == [2, 5, 0]
    centre = pain_store.list_pain_entries(store, region="lower_back_centre")
    assert [e.intensity for e in centre] == [5, 7]
    # "lower_back_centre" must not match a prefix of another code
    assert pain_store.list_pain_entries(store, region="lower_back") == []
    worst = pain_store.worst_pain_by_day(store, date(2026, 1, 1), date(2026, 1, 31))
    assert worst == {date(2026, 1, 1): 5, date(2026, 1, 3): 0}
    assert date(2026, 1, 2) not in worst  # a missing day stays missing
    last = pain_store.last_pain_entry(store)
    assert last is not None and last.intensity == 7


def test_damage_in_a_big_file_is_reported_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstride.store import database

    store = open_store(tmp_path)
    for i in range(300):
        pain_store.add_pain_entry(
            store, PainEntry(day=date(2025, 1, 1), intensity=i % 11, note="x" * 200)
        )
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    path = tmp_path / DB_FILENAME
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 2 + 2000] = b"\xff" * 2000
    path.write_bytes(bytes(data))
    monkeypatch.setattr(database, "QUICK_CHECK_MAX_BYTES", 0)  # as if the file were big
    try:
        store = open_store(tmp_path)
    except StoreError as exc:  # caught while opening: fine too
        assert "damaged" in str(exc)
        return
    with pytest.raises(StoreError, match="damaged"):
        pain_store.list_pain_entries(store)
    store.close()
    assert path.read_bytes() == bytes(data)
