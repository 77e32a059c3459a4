"""Backups of the data file with SQLite's online backup API, checked after writing.

A backup is a complete, self-contained SQLite file (no WAL beside it) named
`backstride-YYYY-MM-DD-HHMMSS-REASON.sqlite3` in the backup folder (settings.py). It is
written under a temporary name, checked (integrity_check, ours, schema version) and only
then given its name, so a listed backup is always a good one. Restoring copies the backup
into the live file through SQLite (the backup API in the other direction), in one
transaction: other processes with the file open see the restored data, and a crash
mid-restore leaves the data as it was.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from backstride.store.database import (
    APPLICATION_ID,
    NewerVersionError,
    Store,
    StoreError,
    load_migrations,
    migrate,
)
from backstride.store.settings import backup_folder

REASONS = {
    "daily": "daily",
    "manual": "made by you",
    "upgrade": "before an upgrade",
    "restore": "before a restore",
    "import": "before an import",
    "recovery": "before a recovery",
}
# Retention, newest first: the newest few whatever their age (several imports a day each
# keep their own), then the newest backup of each of the last 7 days, 4 weeks, 12 months.
KEEP_NEWEST = 5
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
COUNTED_TABLES = {
    "pain_entry": "diary entries",
    "run": "runs",
    "habit_day": "habit days",
    "assessment": "check-ups",
    "shoe": "shoes",
}
_NAME = re.compile(r"^backstride-(\d{4}-\d{2}-\d{2}-\d{6})-([a-z]+)(?:-(\d+))?\.sqlite3$")
_PARTIAL_PREFIX = ".backstride-backup-"
_STALE_PARTIAL_S = 3600


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime  # local time, from the name
    reason: str
    size: int

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, self.reason)


@dataclass(frozen=True, slots=True)
class BackupContents:
    """What a backup file holds, read without changing it."""

    problem: str | None  # None: a good Backstride backup
    version: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem:
            return f"unusable: {self.problem}"
        return ", ".join(f"{self.counts.get(t, 0)} {noun}" for t, noun in COUNTED_TABLES.items())


@dataclass(frozen=True, slots=True)
class CheckReport:
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _backup_error(folder: Path, exc: BaseException) -> StoreError:
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return StoreError(
        f"Backstride could not write a backup into {folder} ({detail}). Check that the folder "
        "exists and has free space, or choose another backup folder (File > Backups…, or "
        "`backstride backups --set-folder DIR`)."
    )


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unique_name(folder: Path, stamp: str, reason: str) -> Path:
    path = folder / f"backstride-{stamp}-{reason}.sqlite3"
    n = 2
    while path.exists():
        path = folder / f"backstride-{stamp}-{reason}-{n}.sqlite3"
        n += 1
    return path


def _verify(conn: sqlite3.Connection) -> str | None:
    """None when conn holds a sound Backstride database this version can read."""
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return f"it cannot be read ({exc})"
    if check != "ok":
        return f"it is damaged ({check})"
    if app_id != APPLICATION_ID:
        return "it is not a Backstride data file"
    if version == 0:
        return "it holds no Backstride data"
    return None


def make_backup(
    store: Store,
    folder: Path,
    reason: str,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Backup:
    """Copy the data file into folder as a checked backup; StoreError if that fails.

    Runs on the store's own thread (a worker passes its reopen()ed store); readers and
    writers in other connections carry on meanwhile (WAL)."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    now = now or datetime.now()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp_name = tempfile.mkstemp(prefix=_PARTIAL_PREFIX, suffix=".partial", dir=folder)
        os.close(fd)  # a new file of our own, not one SQLite has open
    except OSError as exc:
        raise _backup_error(folder, exc) from exc
    tmp = Path(tmp_name)
    try:
        dest = sqlite3.connect(tmp_name, isolation_level=None)
        try:

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            with store.read() as conn:
                conn.backup(dest, pages=1024, progress=step)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            problem = _verify(dest)
        finally:
            dest.close()
        if problem is not None:
            raise StoreError(f"The backup just written was not sound ({problem}); try again.")
        _fsync_path(tmp)
        final = _unique_name(folder, now.strftime("%Y-%m-%d-%H%M%S"), reason)
        os.link(tmp, final)  # never replaces an existing backup
        size = final.stat().st_size
    except sqlite3.Error as exc:
        raise _backup_error(folder, exc) from exc
    except OSError as exc:
        raise _backup_error(folder, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return Backup(final, now.replace(microsecond=0), reason, size)


def backup_before(store: Store, reason: str, now: datetime | None = None) -> Backup:
    """A backup into the data folder's backup folder before a risky change, then prune."""
    folder = backup_folder(store.path.parent)
    made = make_backup(store, folder, reason, now)
    prune_backups(folder)
    return made


def list_backups(folder: Path) -> list[Backup]:
    """The backups in folder, newest first (files of other names are ignored)."""
    found: list[Backup] = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise _backup_error(folder, exc) from exc
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        try:
            taken = datetime.strptime(match.group(1), "%Y-%m-%d-%H%M%S")
            size = entry.stat(follow_symlinks=False).st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(Path(entry.path), taken, match.group(2), size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def inspect_backup(path: Path) -> BackupContents:
    """Check a backup file and count what it holds, read-only and without locks (a backup
    is never written after it is named, so `immutable` is true)."""
    if not path.is_file():
        return BackupContents(problem="there is no such file")
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        return BackupContents(problem=f"it cannot be opened ({exc})")
    try:
        problem = _verify(conn)
        if problem is not None:
            return BackupContents(problem=problem)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        counts = {
            table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in COUNTED_TABLES
        }
    except sqlite3.Error as exc:
        return BackupContents(problem=f"it cannot be read ({exc})")
    finally:
        conn.close()
    return BackupContents(problem=None, version=version, counts=counts)


def newest_good_backup(folder: Path) -> tuple[Backup, BackupContents] | None:
    for backup in list_backups(folder):
        contents = inspect_backup(backup.path)
        if contents.ok:
            return backup, contents
    return None


def backups_to_keep(backups: list[Backup]) -> set[Path]:
    """Which of these backups the retention rule keeps (see KEEP_*)."""
    newest_first = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep = {b.path for b in newest_first[:KEEP_NEWEST]}
    buckets: tuple[tuple[Callable[[date], object], int], ...] = (
        (lambda d: d, KEEP_DAILY),
        (lambda d: d.isocalendar()[:2], KEEP_WEEKLY),
        (lambda d: (d.year, d.month), KEEP_MONTHLY),
    )
    for bucket_of, limit in buckets:
        seen: set[object] = set()
        for backup in newest_first:
            bucket = bucket_of(backup.taken_at.date())
            if bucket not in seen and len(seen) < limit:
                seen.add(bucket)
                keep.add(backup.path)
    return keep


def prune_backups(folder: Path) -> list[Path]:
    """Delete backups the retention rule no longer keeps, and stale half-written ones."""
    backups = list_backups(folder)
    keep = backups_to_keep(backups)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    cutoff = time.time() - _STALE_PARTIAL_S
    for entry in os.scandir(folder):
        if entry.name.startswith(_PARTIAL_PREFIX) and entry.stat().st_mtime < cutoff:
            Path(entry.path).unlink(missing_ok=True)
    return removed


def daily_backup_due(folder: Path, today: date) -> bool:
    """True unless a backup was already made today (of any kind)."""
    newest = next(iter(list_backups(folder)), None)
    return newest is None or newest.taken_at.date() < today


def restore_backup(store: Store, backup_path: Path, now: datetime | None = None) -> Backup:
    """Replace the store's data with the backup's; returns the backup made just before,
    from which the restore itself can be undone. The backup is checked first; on any
    failure the data file is unchanged."""
    contents = inspect_backup(backup_path)
    if not contents.ok:
        raise StoreError(
            f"The backup {backup_path.name} cannot be restored: {contents.problem}. Your data "
            "file was not changed; choose another backup."
        )
    migrations = load_migrations()
    if contents.version > len(migrations):
        raise NewerVersionError(
            f"The backup {backup_path.name} was made by a newer version of Backstride. Install "
            "it to restore this backup; your data file was not changed."
        )
    safety = backup_before(store, "restore", now)
    store.ensure_in_place()
    try:
        src = sqlite3.connect(f"{backup_path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            src.backup(store.conn)  # one transaction into the live file
        finally:
            src.close()
        migrate(store.conn, migrations)
    except sqlite3.Error as exc:
        raise StoreError(
            f"The backup {backup_path.name} could not be restored ({exc}); your data file was "
            f"not changed. A copy of it as it was is in {safety.path}."
        ) from exc
    return safety


def check_store(store: Store) -> CheckReport:
    """Integrity and foreign-key checks of the whole file, in words."""
    problems: list[str] = []
    with store.read() as db:
        for (line,) in db.execute("PRAGMA integrity_check").fetchall():
            if line != "ok":
                problems.append(f"damaged: {line}")
        for table, rowid, parent, _fk in db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"{table} row {rowid} refers to a missing {parent} record")
    return CheckReport(problems)


def age_text(backup: Backup, now: datetime) -> str:
    """'today', 'yesterday', '3 days ago', '5 weeks ago', '4 months ago'."""
    days = (now.date() - backup.taken_at.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    return f"{days // 30} months ago"
