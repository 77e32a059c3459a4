"""Backups: checked after writing, kept 7 daily / 4 weekly / 12 monthly, restorable (and a
restore undoable), made before migrations, listed and checked from the CLI."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from backstride.cli import main
from backstride.core.models import PainEntry
from backstride.store import backup as backup_store
from backstride.store import database
from backstride.store import pain as pain_store
from backstride.store.backup import (
    KEEP_DAILY,
    KEEP_MONTHLY,
    KEEP_NEWEST,
    KEEP_WEEKLY,
    Backup,
    backup_before,
    backups_to_keep,
    daily_backup_due,
    inspect_backup,
    list_backups,
    make_backup,
    restore_backup,
)
from backstride.store.database import DB_FILENAME, Store, StoreError, open_store
from backstride.store.settings import backup_folder, load_settings, update_settings


def _add(store: Store, n: int, day: date = date(2025, 3, 1)) -> None:
    for i in range(n):
        pain_store.add_pain_entry(store, PainEntry(day=day, intensity=i % 11, note=f"n{i}"))


def _count(store: Store) -> int:
    return pain_store.count_pain_entries(store)


def test_backup_is_complete_checked_and_private(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        _add(store, 25)
        made = make_backup(store, tmp_path / "b", "manual", datetime(2026, 5, 1, 8, 30, 0))
    finally:
        store.close()
    assert made.path.name == "backstride-2026-05-01-083000-manual.sqlite3"
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [made.path.name]  # no WAL
    contents = inspect_backup(made.path)
    assert contents.ok and contents.counts["pain_entry"] == 25
    assert list_backups(tmp_path / "b") == [made]


def test_backup_never_replaces_another(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        when = datetime(2026, 5, 1, 8, 30, 0)
        first = make_backup(store, tmp_path / "b", "manual", when)
        second = make_backup(store, tmp_path / "b", "manual", when)
    finally:
        store.close()
    assert first.path != second.path and first.path.exists() and second.path.exists()


def test_backup_into_unwritable_place_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = open_store(tmp_path / "data")
    try:
        with pytest.raises(StoreError, match="could not write a backup"):
            make_backup(store, blocker / "sub", "manual")
    finally:
        store.close()


def _fake(folder: Path, when: datetime) -> Backup:
    return Backup(folder / f"backstride-{when:%Y-%m-%d-%H%M%S}-daily.sqlite3", when, "daily", 1)


def test_retention_keeps_7_daily_4_weekly_12_monthly(tmp_path: Path) -> None:
    start = datetime(2024, 1, 1, 9, 0)
    backups = [_fake(tmp_path, start + timedelta(days=d)) for d in range(730)]
    kept = backups_to_keep(backups)
    newest = start + timedelta(days=729)
    days = sorted({b.taken_at.date() for b in backups if b.path in kept}, reverse=True)
    assert days[:KEEP_DAILY] == [newest.date() - timedelta(days=i) for i in range(KEEP_DAILY)]
    weeks = {d.isocalendar()[:2] for d in days}
    months = {(d.year, d.month) for d in days}
    assert len(months) == KEEP_MONTHLY
    assert len(weeks) >= KEEP_WEEKLY
    # nothing else: the daily, weekly and monthly picks overlap
    assert len(kept) <= KEEP_NEWEST + KEEP_DAILY + KEEP_WEEKLY + KEEP_MONTHLY
    assert min(days) >= (newest - timedelta(days=31 * KEEP_MONTHLY)).date()


def test_retention_keeps_several_imports_of_one_day(tmp_path: Path) -> None:
    start = datetime(2026, 3, 1, 9, 0)
    backups = [_fake(tmp_path, start + timedelta(minutes=m)) for m in range(8)]
    assert len(backups_to_keep(backups)) == KEEP_NEWEST + 0  # the newest five of the day


def test_prune_deletes_only_what_retention_drops(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    folder = tmp_path / "b"
    try:
        for d in range(20):
            make_backup(store, folder, "daily", datetime(2026, 1, 1, 7) + timedelta(days=d))
    finally:
        store.close()
    (folder / "notes.txt").write_text("mine")
    expected = backups_to_keep(list_backups(folder))
    removed = backup_store.prune_backups(folder)
    left = list_backups(folder)
    assert len(left) + len(removed) == 20 and removed
    assert {b.path for b in left} == expected
    assert backup_store.prune_backups(folder) == []  # pruning twice removes nothing more
    assert (folder / "notes.txt").exists()


def test_daily_backup_due_once_a_day(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        assert daily_backup_due(tmp_path / "b", date(2026, 5, 1))
        make_backup(store, tmp_path / "b", "daily", datetime(2026, 5, 1, 8))
    finally:
        store.close()
    assert not daily_backup_due(tmp_path / "b", date(2026, 5, 1))
    assert daily_backup_due(tmp_path / "b", date(2026, 5, 2))


def test_restore_replaces_data_and_can_be_undone(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    other = store.reopen()  # another connection (the GUI while a worker restores)
    try:
        _add(store, 5)
        five = backup_before(store, "manual")
        _add(store, 7)
        assert _count(store) == 12
        safety = restore_backup(store, five.path)
        assert _count(store) == 5 and _count(other) == 5  # every connection sees it
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert inspect_backup(safety.path).counts["pain_entry"] == 12
        restore_backup(store, safety.path)  # undo the restore
        assert _count(store) == 12
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        other.close()
        store.close()


def test_damaged_backup_is_refused_and_data_unchanged(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        _add(store, 200)
        made = backup_before(store, "manual")
        data = bytearray(made.path.read_bytes())
        data[4096 * 2 : 4096 * 2 + 3000] = b"\x00" * 3000
        made.path.write_bytes(bytes(data))
        assert not inspect_backup(made.path).ok
        with pytest.raises(StoreError, match="cannot be restored"):
            restore_backup(store, made.path)
        assert _count(store) == 200
    finally:
        store.close()


def test_backup_before_migration_and_no_migration_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "data")
    _add(store, 3)
    store.close()
    real = database.load_migrations()
    extra = database.Migration(len(real) + 1, "9999_extra.sql", "CREATE TABLE extra (x INT);")
    monkeypatch.setattr(database, "load_migrations", lambda: [*real, extra])
    monkeypatch.setattr(backup_store, "load_migrations", lambda: [*real, extra])

    def failing(store: Store, reason: str, now: datetime | None = None) -> Backup:
        raise StoreError("no room for a backup")

    monkeypatch.setattr(backup_store, "backup_before", failing)
    with pytest.raises(StoreError, match="no room"):
        open_store(tmp_path / "data")
    conn = sqlite3.connect(tmp_path / "data" / DB_FILENAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(real)  # not upgraded
    conn.close()
    monkeypatch.undo()
    monkeypatch.setattr(database, "load_migrations", lambda: [*real, extra])
    store = open_store(tmp_path / "data")
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(real) + 1
    finally:
        store.close()
    (made,) = list_backups(tmp_path / "data" / "backups")
    assert made.reason == "upgrade" and inspect_backup(made.path).counts["pain_entry"] == 3


def test_backup_folder_setting(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    assert backup_folder(data) == data / "backups"
    update_settings(data, backup_folder=tmp_path / "synced")
    assert backup_folder(data) == tmp_path / "synced"
    assert load_settings(data).daily_backup
    (data / "settings.json").write_text("{broken")
    assert backup_folder(data) == data / "backups"  # unreadable settings: the defaults


# -- CLI -------------------------------------------------------------------------------
def test_cli_backup_backups_restore_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = open_store(data)
    _add(store, 4)
    store.close()
    assert main(["--data-dir", str(data), "backup"]) == 0
    assert "checked backup" in capsys.readouterr().out
    store = open_store(data)
    _add(store, 2)
    store.close()
    assert main(["--data-dir", str(data), "backups"]) == 0
    out = capsys.readouterr().out
    assert "backups in" in out and "4 diary entries" in out
    (made,) = list_backups(data / "backups")
    assert main(["--data-dir", str(data), "restore", str(made.path)]) == 0
    assert "restore it to undo" in capsys.readouterr().out
    store = open_store(data)
    assert _count(store) == 4
    store.close()
    assert main(["--data-dir", str(data), "check"]) == 0
    assert "no problems found" in capsys.readouterr().out


def test_cli_backups_set_folder_and_daily(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    synced = tmp_path / "synced"
    assert main(["--data-dir", str(data), "backups", "--set-folder", str(synced)]) == 1
    assert "not a folder" in capsys.readouterr().err
    synced.mkdir()
    assert main(["--data-dir", str(data), "backups", "--set-folder", str(synced)]) == 0
    assert main(["--data-dir", str(data), "backups", "--daily", "off"]) == 0
    assert load_settings(data).backup_folder == synced
    assert not load_settings(data).daily_backup
    assert main(["--data-dir", str(data), "backup"]) == 0
    assert len(list_backups(synced)) == 1


def test_cli_check_finds_broken_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    conn = sqlite3.connect(data / DB_FILENAME)
    conn.execute(
        "INSERT INTO run (start, day, shoe_id) VALUES ('2026-01-01T08:00', '2026-01-01', 7)"
    )
    conn.commit()
    conn.close()
    assert main(["--data-dir", str(data), "check"]) == 1
    assert "refers to a missing shoe" in capsys.readouterr().out


def test_cli_restore_refuses_a_bad_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_text("hello")
    assert main(["--data-dir", str(data), "restore", str(bad)]) == 1
    assert "cannot be restored" in capsys.readouterr().err
