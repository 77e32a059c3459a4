"""Recovery of a damaged data file: set it aside, then salvage what can still be read.

The damaged file is never changed or overwritten: `set_aside` gives it (and its WAL, which may
hold the last committed changes) a dated name beside the original, and `salvage` reads it
read-only through SQLite into a new, freshly migrated file, table by table and row by row, so
one bad page costs only the rows on it. What was saved and what was lost is counted, so the
recovery dialog can tell the runner in plain words.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from backstride.core.safe_write import sync_folder
from backstride.store.database import StoreError, load_migrations, open_store_file

# Files SQLite keeps beside a database: the WAL (committed changes not yet checkpointed), its
# index, and a rollback journal. A stray one beside a set-aside name would be read by SQLite as
# if it belonged to it, so a name is only taken when all of them are free.
COMPANIONS = ("-wal", "-shm", "-journal")

# When max(rowid) cannot be read, probing stops after this many rowids in a row found nothing.
PROBE_GIVE_UP = 10_000
# Even when max(rowid) is known, a run this long of unreadable rowids ends the probing (and
# makes the count unknown) rather than spending minutes on a pathological file.
PROBE_HARD_LIMIT = 1_000_000

_SMALLEST_ROWID = -(2**63)
# A scan that meets this many rows it already read is going round in circles.
_REPEATS_GIVE_UP = 1_000

# What reading damaged data can raise: SQLite's errors, and UnicodeDecodeError when an error
# message quotes damaged text (e.g. "malformed database schema (...)").
_READ_ERRORS = (sqlite3.DatabaseError, UnicodeDecodeError)

# Friendly nouns (singular, plural) for the tables, in the order the report lists them.
TABLE_NOUNS: dict[str, tuple[str, str]] = {
    "pain_entry": ("diary entry", "diary entries"),
    "run": ("run", "runs"),
    "run_profile": ("run profile", "run profiles"),
    "habit_day": ("habit day", "habit days"),
    "shoe": ("shoe", "shoes"),
    "assessment": ("check-up", "check-ups"),
    "meta": ("setting", "settings"),
}


# --- set aside ----------------------------------------------------------------------------


def set_aside(path: Path, now: datetime) -> Path:
    """Rename the damaged data file (and its -wal, -shm, -journal) to a dated name beside it.

    E.g. backstride.sqlite3 -> backstride.sqlite3.damaged-2026-12-01-081715 (then -2, -3... when
    taken). The WAL goes along under the new name + "-wal" so SQLite still finds the committed
    changes it holds. Nothing is overwritten: each name is claimed with a hard link (which fails
    if the name exists, even when another process races for it) and the old name is then
    removed; where hard links are unsupported a checked rename is used. The file is never
    opened (closing any descriptor to it would drop SQLite's locks in this process).
    Returns the new path; raises FileNotFoundError when path does not exist.
    """
    if not _taken(path):
        raise FileNotFoundError(f"{path} does not exist")
    moving = [s for s in COMPANIONS if _taken(_with_suffix(path, s))]
    base = f"{path.name}.damaged-{now:%Y-%m-%d-%H%M%S}"
    for n in itertools.count(1):
        target = path.with_name(base if n == 1 else f"{base}-{n}")
        if _claim(path, target, moving):
            return target
    raise AssertionError("unreachable")  # pragma: no cover


def _with_suffix(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _claim(path: Path, target: Path, moving: Sequence[str]) -> bool:
    """Move path (+ the companions in moving) to target; False when a target name is taken."""
    if any(_taken(_with_suffix(target, s)) for s in COMPANIONS if s not in moving):
        return False
    try:
        _link(path, target)
    except FileExistsError:
        return False
    except FileNotFoundError:
        raise
    except OSError:  # no hard links here (FAT, some network shares)
        return _claim_by_rename(path, target, moving)
    linked = [target]
    try:
        for suffix in moving:
            _link(_with_suffix(path, suffix), _with_suffix(target, suffix))
            linked.append(_with_suffix(target, suffix))
    except FileExistsError:
        for made in linked:
            os.unlink(made)
        return False
    except BaseException:
        for made in linked:
            os.unlink(made)
        raise
    # Companions go first: a -wal left beside a missing main file would be taken by SQLite
    # for the WAL of the new file created under the old name.
    removed: list[str] = []
    try:
        for suffix in (*moving, ""):
            os.unlink(_with_suffix(path, suffix))
            removed.append(suffix)
    except OSError:
        # E.g. Windows, where a file another program holds open cannot be removed: put the
        # old names back, and drop only the new names whose old name is there again.
        for suffix in removed:
            with contextlib.suppress(OSError):
                _link(_with_suffix(target, suffix), _with_suffix(path, suffix))
        for suffix in ("", *moving):
            if _taken(_with_suffix(path, suffix)):
                with contextlib.suppress(OSError):
                    os.unlink(_with_suffix(target, suffix))
        raise
    sync_folder(path.parent)
    return True


def _link(src: Path, dst: Path) -> None:
    """A hard link to src itself (a symlink is linked, not followed, like a rename)."""
    if os.link in os.supports_follow_symlinks:
        os.link(src, dst, follow_symlinks=False)
    else:
        os.link(src, dst)


def _taken(path: Path) -> bool:
    return os.path.lexists(path)  # a dangling symlink takes the name too


def _claim_by_rename(path: Path, target: Path, moving: Sequence[str]) -> bool:
    """The fallback without hard links: check, then rename (companions first, main file last).

    On POSIX a file created between the check and the rename would be replaced; on Windows
    the rename itself refuses an existing name.
    """
    if any(_taken(_with_suffix(target, s)) for s in ("", *moving)):
        return False
    renamed: list[str] = []
    try:
        for suffix in (*moving, ""):
            if _taken(_with_suffix(target, suffix)):
                raise FileExistsError(_with_suffix(target, suffix))
            os.rename(_with_suffix(path, suffix), _with_suffix(target, suffix))
            renamed.append(suffix)
    except FileExistsError:
        for suffix in reversed(renamed):
            os.rename(_with_suffix(target, suffix), _with_suffix(path, suffix))
        return False
    sync_folder(path.parent)
    return True


# --- the report ---------------------------------------------------------------------------


@dataclass(slots=True)
class TableSalvage:
    """What became of one table's rows."""

    table: str
    saved: int = 0
    unreadable: int | None = 0  # None: some rows could not be read and how many is unknown
    invalid: int = 0  # read, but out of range for the new file (CHECK, NOT NULL, type)
    orphaned: int = 0  # referred to a lost record, so left out
    unlinked: int = 0  # saved, but a link to a lost record was cleared (e.g. a run's shoe)
    unlinked_to: str | None = None  # the table those links pointed at
    lost_days: tuple[str, ...] = ()  # the days (YYYY-MM-DD) of unreadable rows, when known
    # unreadable is an upper bound: rowids have gaps, so some failed reads were no row at all
    unreadable_at_most: bool = False

    @property
    def lost(self) -> int | None:
        """Rows not saved, or None when the number is not known."""
        if self.unreadable is None:
            return None
        return self.unreadable + self.invalid + self.orphaned


@dataclass(slots=True)
class SalvageReport:
    """Per table (in TABLE_NOUNS order, then any others): saved and lost rows."""

    tables: dict[str, TableSalvage] = field(default_factory=dict)
    # The WAL could not be read (the file was opened immutable), so the changes committed
    # last before the damage are missing.
    wal_ignored: bool = False
    # Nothing at all could be read (header or schema damaged).
    unreadable_file: bool = False

    @property
    def saved(self) -> int:
        return sum(t.saved for t in self.tables.values())

    @property
    def complete(self) -> bool:
        """Every row was saved."""
        return not self.wal_ignored and all(
            t.lost == 0 and t.unlinked == 0 for t in self.tables.values()
        )

    def text(self) -> str:
        """The outcome in plain words, e.g. 'Saved 1,203 of 1,206 diary entries and 340 runs. …'"""
        if self.unreadable_file:
            return (
                "Nothing could be read from the damaged file: the part that says where "
                "everything is stored is damaged. Restoring a backup is the way back."
            )
        parts: list[str] = []
        notes: list[str] = []
        for t in self.tables.values():
            lost = t.lost
            if lost is None or t.unreadable_at_most:
                if t.saved:
                    parts.append(_count(t.saved, t.table))
            elif lost:
                parts.append(f"{t.saved:,} of {_count(t.saved + lost, t.table)}")
            elif t.saved:
                parts.append(_count(t.saved, t.table))
            notes.extend(_notes(t))
        if not parts and not notes:
            return "The damaged file held no records to save."
        sentences = [f"Saved {_join(parts)}."] if parts else ["Nothing could be saved."]
        sentences.extend(notes)
        if self.wal_ignored:
            sentences.append(
                "Changes saved in the last moments before the damage could not be read."
            )
        if self.complete:
            sentences.append("Nothing was lost.")
        return " ".join(sentences)


def _noun(table: str, n: int) -> str:
    singular, plural = TABLE_NOUNS.get(table, (f"{table} record", f"{table} records"))
    return singular if n == 1 else plural


def _count(n: int, table: str) -> str:
    return f"{n:,} {_noun(table, n)}"


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _days(t: TableSalvage) -> str:
    """' (from 3–9 March 2026 and 1 July 2026)', or '' when the days are not known."""
    days = []
    for text in t.lost_days:
        with contextlib.suppress(ValueError):
            days.append(date.fromisoformat(text))
    if not days:
        return ""
    days.sort()
    spans = [[days[0], days[0]]]
    for day in days[1:]:  # a damaged page holds a few weeks of rows: one span each
        if (day - spans[-1][1]).days > 7:
            spans.append([day, day])
        else:
            spans[-1][1] = day
    if len(spans) > 3:
        return f" (from several stretches between {_span(days[0], days[0])} and " + (
            f"{_span(days[-1], days[-1])})"
        )
    return f" (from {_join([_span(a, b) for a, b in spans])})"


def _span(first: date, last: date) -> str:
    """'3 March 2026', '3–9 March 2026', '28 February – 3 March 2026', or both in full."""
    month = _MONTHS[last.month - 1]
    if first == last:
        return f"{last.day} {month} {last.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {month} {last.year}"
    if first.year == last.year:
        return f"{first.day} {_MONTHS[first.month - 1]} – {last.day} {month} {last.year}"
    return f"{_span(first, first)} – {_span(last, last)}"


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _notes(t: TableSalvage) -> Iterator[str]:
    def was(n: int) -> str:
        return "was" if n == 1 else "were"

    if t.unreadable is None and t.saved:
        yield f"Some {_noun(t.table, 2)} could not be read, and how many is not known."
    elif t.unreadable is None:
        yield f"No {_noun(t.table, 2)} could be read, and how many there were is not known."
    elif t.unreadable and t.unreadable_at_most:
        yield f"Up to {_count(t.unreadable, t.table)} could not be read."
    elif t.unreadable:
        yield f"{_count(t.unreadable, t.table).capitalize()} could not be read{_days(t)}."
    if t.invalid:
        yield (
            f"{_count(t.invalid, t.table).capitalize()} held damaged values and "
            f"{was(t.invalid)} left out."
        )
    if t.orphaned:
        yield (
            f"{_count(t.orphaned, t.table).capitalize()} referred to a lost record and "
            f"{was(t.orphaned)} left out."
        )
    if t.unlinked:
        target = _noun(t.unlinked_to or "", 1) if t.unlinked_to in TABLE_NOUNS else "record"
        yield (
            f"{_count(t.unlinked, t.table).capitalize()} {was(t.unlinked)} saved without the "
            f"{target} {'it' if t.unlinked == 1 else 'they'} referred to, which could not be "
            "read."
        )


# --- salvage ------------------------------------------------------------------------------


def salvage(damaged: Path, dest: Path) -> SalvageReport:
    """Copy every readable row of the damaged file into a new data file at dest.

    dest must not exist; it is created and migrated by open_store_file, filled in one
    transaction with foreign keys off, then links to lost records are resolved (a nullable
    link is cleared, otherwise the row is left out) and dest must pass integrity_check. The
    damaged file is only read (read-only or immutable), never changed. Returns what was saved
    and lost per table; when nothing could be read (report.unreadable_file) dest is a valid
    but empty store. Raises StoreError when dest exists, damaged is missing or cannot be
    opened, or was written by a newer Backstride; on any failure dest is removed again.
    """
    if not damaged.is_file():
        raise StoreError(f"The damaged data file {damaged} is not there any more.")
    if dest.exists():
        raise StoreError(f"{dest} already exists; the saved records need a new file.")
    try:
        src, wal_ignored = _open_damaged(damaged)
    except sqlite3.Error as exc:
        raise StoreError(f"The damaged data file {damaged} cannot be opened ({exc}).") from exc
    try:
        _refuse_newer(src, damaged)
        store = open_store_file(dest)
        try:
            report = _copy_all(src, store.conn)
            report.wal_ignored = wal_ignored
            _check_result(store.conn, dest)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            store.close()
    except BaseException:
        for suffix in ("", *COMPANIONS):
            with contextlib.suppress(OSError):
                os.unlink(_with_suffix(dest, suffix))
        raise
    finally:
        src.close()
    return report


def _connect_read_only(path: Path, immutable: bool) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    # A damaged page can reach the query before it reaches a check: fail on it instead.
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA query_only = ON")
    # A flipped bit in a note should not cost the whole entry.
    conn.text_factory = lambda data: data.decode("utf-8", "replace")
    return conn


def _open_damaged(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A read-only connection, and whether the WAL had to be ignored.

    Without a -wal there is nothing the WAL could add, so the file is opened immutable (no
    -shm or -wal is created beside it, and a read-only folder is fine). With a -wal it is
    opened read-only so the WAL is read; that needs a -shm, which SQLite creates if it can;
    if it cannot, the file is opened immutable and the WAL's changes are missed.
    """
    if not _with_suffix(path, "-wal").exists():
        return _connect_read_only(path, immutable=True), False
    try:
        conn = _connect_read_only(path, immutable=False)
    except sqlite3.OperationalError:
        return _connect_read_only(path, immutable=True), True
    try:
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "unable to open" in text or "readonly" in text:  # the -shm, not damage
            conn.close()
            return _connect_read_only(path, immutable=True), True
    except _READ_ERRORS:
        pass  # damage: reported table by table
    return conn, False


def _refuse_newer(src: sqlite3.Connection, path: Path) -> None:
    try:
        version = int(src.execute("PRAGMA user_version").fetchone()[0])
    except _READ_ERRORS:
        return  # the header is unreadable; the copy will say so
    newest = len(load_migrations())
    if version > newest:
        raise StoreError(
            f"The damaged data file {path} was written by a newer version of Backstride (data "
            f"version {version}; this version knows up to {newest}). Install the newer "
            "Backstride to recover it, so nothing it added is lost; it has not been changed."
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _dest_tables(conn: sqlite3.Connection) -> list[str]:
    names = [
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"
        )
    ]
    order = list(TABLE_NOUNS)
    return sorted(names, key=lambda n: order.index(n) if n in order else len(order))


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({_quote(table)})")]


def _copy_all(src: sqlite3.Connection, dst: sqlite3.Connection) -> SalvageReport:
    report = SalvageReport()
    tables = _dest_tables(dst)
    for table in tables:
        report.tables[table] = TableSalvage(table)
    src_tables, schema_whole = _source_tables(src)
    if src_tables is None:
        report.unreadable_file = True
    for table, result in report.tables.items():
        if src_tables is None or (table not in src_tables and not schema_whole):
            result.unreadable = None  # its entry in the schema is damaged
    if src_tables is None:
        return report

    dst.execute("PRAGMA foreign_keys = OFF")  # only possible outside a transaction
    dst.execute("BEGIN")
    try:
        for table in tables:
            if table in src_tables:
                _copy_table(src, dst, table, report.tables[table])
        _resolve_links(dst, report)
        dst.execute("COMMIT")
    except BaseException:
        dst.rollback()
        raise
    finally:
        dst.execute("PRAGMA foreign_keys = ON")
    return report


def _source_tables(src: sqlite3.Connection) -> tuple[set[str] | None, bool]:
    """The damaged file's tables (None: unreadable), and whether its schema was read whole.

    One damaged entry makes SQLite refuse the whole schema ("malformed database schema");
    with writable_schema on it skips such entries (the connection stays read-only), so the
    other tables can still be read.
    """
    sql = "SELECT name FROM sqlite_schema WHERE type = 'table'"
    try:
        return {str(r[0]) for r in src.execute(sql)}, True
    except _READ_ERRORS:
        pass
    try:
        src.execute("PRAGMA writable_schema = ON")
        return {str(r[0]) for r in src.execute(sql)}, False
    except _READ_ERRORS:
        return None, False


def _copy_table(
    src: sqlite3.Connection, dst: sqlite3.Connection, table: str, result: TableSalvage
) -> None:
    try:
        have = set(_columns(src, table))
    except _READ_ERRORS:
        have = set()
    if not have:  # listed in the schema, but its definition cannot be read
        result.unreadable = None
        return
    columns = [c for c in _columns(dst, table) if c in have]
    if not columns:
        return
    names = ", ".join(_quote(c) for c in columns)
    insert = f"INSERT INTO {_quote(table)} ({names}) VALUES ({', '.join('?' * len(columns))})"
    if table == "meta":  # a setting the new file already has is replaced by the runner's own
        insert += " ON CONFLICT DO UPDATE SET value = excluded.value"

    def keep(row: Sequence[Any]) -> None:
        try:
            dst.execute(insert, row)
        except sqlite3.IntegrityError:
            result.invalid += 1
        else:
            result.saved += 1

    listing = _index_listing(src, table)
    scan = _scan(src, table, columns, keep, max(listing) if listing else None)
    if listing is not None:
        # The indexes list every row the table held: probe the ones the scan did not reach,
        # and count the ones still missing (unreadable, or unreachable through damaged keys).
        for rowid in sorted(listing.keys() - scan.read):
            with contextlib.suppress(*_READ_ERRORS):
                row = src.execute(_select(table, columns, "WHERE rowid = ?"), [rowid]).fetchone()
                if row is not None:
                    scan.read.add(rowid)
                    keep(row[1:])
        missing = listing.keys() - scan.read
        result.unreadable = len(missing)
        result.lost_days = tuple(sorted({d for r in missing if (d := listing[r]) is not None}))
    else:
        # count(*) adds up the cell counts of the table's pages without reading the rows,
        # so it still works when only rows are damaged, and says how many there were.
        counted, cells = _one(src, f"SELECT count(*) FROM {_quote(table)} NOT INDEXED")
        probed = len(scan.failed - scan.read)
        if counted and int(cells) >= len(scan.read):
            result.unreadable = int(cells) - len(scan.read)
            if not result.unreadable and _tree_damaged(src, table):
                result.unreadable = None  # damaged keys can hide rows, or show them twice
        elif scan.end_unknown or scan.start_unknown:
            result.unreadable = None
        elif probed:
            result.unreadable = probed
            # With gaps in the rowids, a failed probe may have been a rowid never used.
            result.unreadable_at_most = scan.sparse
        elif not counted or _tree_damaged(src, table):
            result.unreadable = None  # damage hid rows without an error; how many is unknown
        else:
            result.unreadable = 0


def _select(table: str, columns: Sequence[str], where: str) -> str:
    names = ", ".join(_quote(c) for c in columns)
    return f"SELECT rowid, {names} FROM {_quote(table)} {where}"


def _one(src: sqlite3.Connection, sql: str) -> tuple[bool, Any]:
    """(True, value) of a one-value query, (False, None) when it cannot be read."""
    try:
        row = src.execute(sql).fetchone()
    except _READ_ERRORS:
        return False, None
    return True, None if row is None else row[0]


@dataclass(slots=True)
class _Scan:
    read: set[int] = field(default_factory=set)  # rowids read (and handed to keep)
    failed: set[int] = field(default_factory=set)  # rowids whose probe raised
    end_unknown: bool = False  # stopped in a run of failures without knowing where rows end
    start_unknown: bool = False  # failures before the first row, without knowing where it is
    sparse: bool = False  # the rowids have gaps (deleted rows), so failures are an upper bound


def _scan(
    src: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    keep: Callable[[Sequence[Any]], None],
    indexed_top: int | None,
) -> _Scan:
    """Read rows by rowid in order, handing each to keep; past a failing read, probe rowids.

    A range scan stops at the first damaged page; probing the next rowids one by one
    (`WHERE rowid = ?` descends from the root, so it skips the bad page) finds where readable
    rows resume, and the range scan carries on from there. Probing ends at max(rowid) when
    that is readable (or an index says where rows end), else after PROBE_GIVE_UP rowids in a
    row found nothing.
    """
    q = _quote(table)
    by_rowid = _select(table, columns, "WHERE rowid = ?")
    scan = _Scan()
    top_ok, top = _one(src, f"SELECT max(rowid) FROM {q}")
    if not top_ok:
        top = indexed_top
    top_known = top is not None
    start = _SMALLEST_ROWID
    while True:
        last: int | None = None
        repeats = 0
        try:
            for row in src.execute(
                _select(table, columns, "WHERE rowid >= ? ORDER BY rowid"), [start]
            ):
                rowid = int(row[0])
                if last is not None and rowid != last + 1:
                    scan.sparse = True
                last = rowid
                if rowid in scan.read:  # a damaged b-tree can lead back to rows already read
                    repeats += 1
                    if repeats > _REPEATS_GIVE_UP:
                        break  # it loops: probe past it
                    continue
                scan.read.add(rowid)
                keep(row[1:])
            else:
                return scan  # reached the end of the table
        except _READ_ERRORS:
            pass
        guessed_start = False
        if last is not None:
            probe = max(last + 1, start)  # start only grows, so the scan ends
        elif start != _SMALLEST_ROWID:
            probe = start
        else:
            low_ok, low = _one(src, f"SELECT min(rowid) FROM {q}")
            probe = int(low) if low_ok and low is not None else 1
            guessed_start = not low_ok  # rows are guessed to start at 1
        misses = failures = 0
        while True:
            # Failures before the first row, when where rows start is a guess, may be no rows.
            scan.start_unknown |= guessed_start and failures > 0
            if top_known and probe > top:
                return scan
            if misses >= (PROBE_HARD_LIMIT if top_known else PROBE_GIVE_UP):
                scan.end_unknown = failures > 0
                return scan
            try:
                row = src.execute(by_rowid, [probe]).fetchone()
            except _READ_ERRORS:
                scan.failed.add(probe)
                misses += 1
                failures += 1
            else:
                if row is not None:
                    if probe not in scan.read:
                        scan.read.add(probe)
                        keep(row[1:])
                    break
                misses += 1
                scan.sparse = True
            probe += 1
        start = probe + 1


def _tree_damaged(src: sqlite3.Connection, table: str) -> bool:
    """integrity_check finds damage in a table that has no index (so the message is its own).

    Damaged keys can hide rows from every read without an error; only this check sees it.
    """
    try:
        if src.execute(f"PRAGMA index_list({_quote(table)})").fetchone() is not None:
            return False  # the check would mix in its indexes' damage
        check = src.execute(f"PRAGMA integrity_check({_quote(table)})").fetchall()
    except _READ_ERRORS:
        return True
    return [str(r[0]) for r in check] != ["ok"]


def _index_listing(src: sqlite3.Connection, table: str) -> dict[int, str | None] | None:
    """Every rowid the table's readable indexes all list (with its day, when one has it).

    An index is a separate b-tree holding each row's rowid, so it usually survives damage to
    the table's own pages: it tells exactly how many rows were lost, and from which days.
    None when no index can be read whole.
    """
    try:
        indexes = [
            str(r[1])
            for r in src.execute(f"PRAGMA index_list({_quote(table)})")
            if not r[4]  # a partial index lists only some rows
        ]
        with_day = {
            i
            for i in indexes
            if "day" in {r[2] for r in src.execute(f"PRAGMA index_info({_quote(i)})")}
        }
    except _READ_ERRORS:
        return None
    listing: dict[int, str | None] | None = None
    for index in sorted(indexes, key=lambda i: i not in with_day):
        day = "day" if index in with_day else "NULL"
        sql = f"SELECT rowid, {day} FROM {_quote(table)} INDEXED BY {_quote(index)}"
        try:
            found = {int(r[0]): None if r[1] is None else str(r[1]) for r in src.execute(sql)}
        except _READ_ERRORS:
            continue
        # A row is listed by every index; a rowid only one lists is a damaged index entry.
        listing = found if listing is None else {r: listing[r] for r in listing.keys() & found}
    return listing


def _resolve_links(dst: sqlite3.Connection, report: SalvageReport) -> None:
    """Clear nullable links to lost records; leave out rows that cannot do without them."""
    while violations := dst.execute("PRAGMA foreign_key_check").fetchall():
        done: set[tuple[str, int]] = set()
        for table, rowid, parent, fkid in violations:
            if (table, rowid) in done:
                continue
            result = report.tables[table]
            column = _fk_column(dst, table, fkid)
            if _nullable(dst, table, column) and _cleared(dst, table, column, rowid):
                result.unlinked += 1
                result.unlinked_to = parent
            else:
                dst.execute(f"DELETE FROM {_quote(table)} WHERE rowid = ?", [rowid])
                done.add((table, rowid))
                result.saved -= 1
                result.orphaned += 1


def _cleared(dst: sqlite3.Connection, table: str, column: str, rowid: int) -> bool:
    try:
        dst.execute(f"UPDATE {_quote(table)} SET {_quote(column)} = NULL WHERE rowid = ?", [rowid])
    except sqlite3.IntegrityError:  # e.g. a CHECK that needs the link
        return False
    return True


def _fk_column(dst: sqlite3.Connection, table: str, fkid: int) -> str:
    for row in dst.execute(f"PRAGMA foreign_key_list({_quote(table)})"):
        if row[0] == fkid:
            return str(row[3])
    raise AssertionError(f"no foreign key {fkid} on {table}")  # pragma: no cover


def _nullable(dst: sqlite3.Connection, table: str, column: str) -> bool:
    """NULL is allowed and harmless: not NOT NULL and not the primary key (a rowid alias)."""
    for row in dst.execute(f"PRAGMA table_info({_quote(table)})"):
        if row[1] == column:
            return not row[3] and not row[5]
    return False  # pragma: no cover


def _check_result(conn: sqlite3.Connection, dest: Path) -> None:
    check = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    if check != ["ok"] or fk:
        raise StoreError(
            f"The new data file {dest} did not pass its check ({'; '.join(check)[:200]}), so it "
            "was removed. Restoring a backup is the way back."
        )


# --- the two ways back, as the recovery dialog and the CLI offer them ----------------------


def _temporary_sibling(path: Path, what: str) -> Path:
    """A free name beside path for a file being built (SQLite creates it)."""
    for n in itertools.count():
        candidate = path.with_name(f".{path.name}.{what}-{os.getpid()}-{n}")
        if not any(_taken(_with_suffix(candidate, s)) for s in ("", *COMPANIONS)):
            return candidate
    raise AssertionError("unreachable")


def _install(built: Path, path: Path, now: datetime) -> Path:
    """Set the damaged file at path aside, then put the built file in its place; returns
    where the damaged file went. The built file is linked, so nothing is ever replaced."""
    aside = set_aside(path, now)
    try:
        try:
            _link(built, path)
        except OSError:
            if _taken(path):
                raise
            os.rename(built, path)  # no hard links here (FAT, some network shares)
    except OSError as exc:
        raise StoreError(
            f"The new data file could not be put in place ({exc.strerror or exc}). The damaged "
            f"file is kept as {aside}; the new one is {built}."
        ) from exc
    with contextlib.suppress(OSError):
        os.unlink(built)
    sync_folder(path.parent)
    return aside


def replace_with_backup(path: Path, backup: Path, now: datetime) -> Path:
    """Put a copy of a good backup where the damaged data file was; returns where the
    damaged file was set aside. The backup is checked first and never changed."""
    from backstride.store.backup import inspect_backup

    contents = inspect_backup(backup)
    if not contents.ok:
        raise StoreError(
            f"The backup {backup.name} cannot be restored: {contents.problem}. Nothing was "
            "changed; choose another backup or salvage the damaged file."
        )
    if contents.version > len(load_migrations()):
        raise StoreError(
            f"The backup {backup.name} was made by a newer version of Backstride; install it "
            "to restore this backup. Nothing was changed."
        )
    built = _temporary_sibling(path, "restoring")
    try:
        src = sqlite3.connect(f"{backup.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
        dst = sqlite3.connect(built, isolation_level=None)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise StoreError(f"The copy of {backup.name} was not sound; nothing was changed.")
        finally:
            dst.close()
            src.close()
        os.chmod(built, 0o600)
        return _install(built, path, now)
    except sqlite3.Error as exc:
        raise StoreError(f"The backup {backup.name} could not be copied ({exc}).") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(built)


def salvage_in_place(path: Path, now: datetime) -> tuple[Path, SalvageReport]:
    """Salvage the damaged data file at path into a new one that takes its place; returns
    where the damaged file was set aside and what was saved. If nothing at all could be
    read, nothing is changed (an empty diary would only hide the problem)."""
    built = _temporary_sibling(path, "salvaging")
    report = salvage(path, built)
    if report.unreadable_file:
        for suffix in ("", *COMPANIONS):
            with contextlib.suppress(OSError):
                os.unlink(_with_suffix(built, suffix))
        raise StoreError(
            "Nothing could be read from the damaged data file, so it was left as it is. "
            "Restore a backup instead (File > Backups…, or `backstride restore`)."
        )
    return _install(built, path, now), report
