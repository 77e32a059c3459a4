"""Open, check and migrate the one SQLite file that holds a runner's data.

Schema version lives in PRAGMA user_version and the file is marked with PRAGMA
application_id (the qutebrowser way), so a file that is not ours, is damaged, or was
written by a newer Backstride is refused before anything writes to it.

Two rules keep the file safe when the app, its workers and a CLI command share it
(docs/reliability.md):
- No descriptor of the data file is opened outside SQLite while this process has a
  connection to it: on POSIX, closing any descriptor of a file drops every advisory lock
  the process holds on it, and another process may then checkpoint and delete a WAL that
  is still in use (SQLite, "How To Corrupt An SQLite Database File", 2.2).
- Before each write the path must still lead to the file that was opened: a data folder
  moved or deleted while the app runs is reported, never silently re-created.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from backstride.core.errors import BackstrideError
from backstride.core.resources import migrations_folder
from backstride.core.safe_write import sync_folder

if TYPE_CHECKING:
    import sqlite_utils

DB_FILENAME = "backstride.sqlite3"
APPLICATION_ID = 0x42535452  # "BSTR"
SQLITE_HEADER = b"SQLite format 3\x00"
QUICK_CHECK_MAX_BYTES = 16 * 1024 * 1024
BUSY_TIMEOUT_S = 5.0
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_BACKUP_ADVICE = "Restore it from a backup (File > Backups…, or `backstride restore`)"


class StoreError(BackstrideError):
    """A problem with the data file, said in words the runner can act on."""


class DamagedError(StoreError):
    """The file is an SQLite file of ours whose pages cannot be read."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


class NotOursError(StoreError):
    """The file is not a Backstride data file (another kind of file or program)."""


class NewerVersionError(StoreError):
    """Written by a newer Backstride; this one must not touch it."""


class EmptyFileError(StoreError):
    """A 0-byte data file: refused, never silently replaced by an empty diary."""


class ReadOnlyError(StoreError):
    """The file or its folder may not be written."""


class MovedError(StoreError):
    """The data file is no longer where it was opened (folder moved, renamed or deleted)."""

    def __init__(self, message: str, path: Path, detail: str) -> None:
        super().__init__(message)
        self.path = path
        self.detail = detail


class DiskFullError(StoreError):
    """No space left on the disk holding the data file."""


class BusyError(StoreError):
    """Another writer held the file for longer than the busy timeout."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """The migrations in db/, in order; their numbers must run 1, 2, 3... without gaps."""
    found: list[Migration] = []
    for item in migrations_folder().iterdir():
        match = _MIGRATION_NAME.match(item.name)
        if match:
            found.append(Migration(int(match.group(1)), item.name, item.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(
                f"migration {migration.name} is out of sequence (expected {expected})"
            )
    return found


def schema_version() -> int:
    """The newest schema this build knows."""
    return len(load_migrations())


# -- which files this process has open, and which it is writing ---------------------
FileId = tuple[int, int]  # (st_dev, st_ino)
_registry_lock = threading.Lock()
_open_counts: dict[FileId, int] = {}
_writing_counts: dict[FileId, int] = {}


def _register(counts: dict[FileId, int], key: FileId, delta: int) -> None:
    with _registry_lock:
        value = counts.get(key, 0) + delta
        if value > 0:
            counts[key] = value
        else:
            counts.pop(key, None)


def _connect_registered(path: Path, file_id: FileId) -> sqlite3.Connection:
    """A connection, counted as open *before* SQLite takes its locks, so that no other
    thread of this process reads the file with a plain descriptor meanwhile."""
    _register(_open_counts, file_id, +1)
    try:
        return _connect(path)
    except BaseException:
        _register(_open_counts, file_id, -1)
        raise


def _file_id(st: os.stat_result) -> FileId:
    return (st.st_dev, st.st_ino)


class Store:
    """An open data file: one connection, used on the thread that opened it.

    A worker thread opens its own with reopen(). Small operations speak SQL on the plain
    connection; bulk work uses `utils` (a sqlite-utils Database on the same connection),
    created on first use because importing sqlite-utils (and numpy, which it loads) would
    add ~100 ms to start-up.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, file_id: FileId, checked: bool):
        self.path = path
        self.conn = conn
        self._file_id = file_id
        self._checked = checked  # quick_check passed (small files: at open; big: first write)
        self._damaged = False
        self._depth = 0
        self._closed = False
        self._utils: sqlite_utils.Database | None = None  # the file is registered already

    @property
    def utils(self) -> sqlite_utils.Database:
        if self._utils is None:
            import sqlite_utils

            self._utils = sqlite_utils.Database(
                self.conn, recursive_triggers=False, execute_plugins=False
            )
        return self._utils

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A transaction: everything inside lands together or not at all (nests as savepoints)."""
        if not self.conn.in_transaction:
            self._before_write()
        try:
            with self._atomic():
                yield self.conn
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc

    def _before_write(self) -> None:
        """Refuse to write into a file that moved away or is known to be damaged."""
        self.ensure_in_place()
        if self._damaged:
            raise _damaged(self.path, "an earlier read failed")
        if not self._checked:
            # A file too big to check at every start is checked before its first write,
            # so no command writes into a file that is already damaged.
            try:
                result = self.conn.execute("PRAGMA quick_check").fetchone()[0]
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc
            if result != "ok":
                self._damaged = True
                raise _damaged(self.path, result)
            self._checked = True

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        if self.conn.in_transaction:
            self._depth += 1
            name = f"sp{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
        else:
            self.conn.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock
            _register(_writing_counts, self._file_id, +1)  # for honest "busy" messages
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                # Also when COMMIT itself fails (disk full, I/O error): the transaction
                # may still be open, and must not linger to be committed by a later write.
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise
            finally:
                _register(_writing_counts, self._file_id, -1)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.conn
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc

    def _translate(self, exc: sqlite3.Error) -> Exception:
        error = translate_error(exc, self.path, self._file_id)
        if isinstance(error, DamagedError):
            self._damaged = True
        return error

    def ensure_in_place(self) -> None:
        """MovedError when the path no longer leads to the file this store has open."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise _moved(self.path, "it is no longer there") from None
        except OSError as exc:
            raise _moved(self.path, exc.strerror or str(exc)) from exc
        if _file_id(st) != self._file_id:
            raise _moved(self.path, "another file has taken its place")

    def data_version(self) -> int:
        """Changes whenever another connection (a worker, a CLI command) commits."""
        with self.read() as db:
            return int(db.execute("PRAGMA data_version").fetchone()[0])

    def get_meta(self, key: str) -> str | None:
        with self.read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def reopen(self) -> Store:
        """A second connection to the same, already checked file, for a worker thread.

        Never creates a file: if the data file has gone, this raises MovedError.
        """
        self.ensure_in_place()
        try:
            conn = _connect_registered(self.path, self._file_id)
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        store = Store(self.path, conn, self._file_id, checked=self._checked)
        store._damaged = self._damaged
        return store

    def relocate(self, path: Path, *, create: bool = False) -> None:
        """Point this store at the data file found (or chosen) at path, e.g. after the
        runner moved the data folder; everything holding this store follows."""
        other = open_store_file(path, create=create)
        old_conn, old_id = self.conn, self._file_id
        self.path, self.conn, self._file_id = other.path, other.conn, other._file_id
        self._checked, self._damaged, self._utils = other._checked, other._damaged, None
        other._file_id = old_id  # `other` now owns the old connection's registration
        other.conn = old_conn
        other.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _register(_open_counts, self._file_id, -1)
        self.conn.close()


# -- errors in words -------------------------------------------------------------------
def _damaged(path: Path, detail: str) -> DamagedError:
    return DamagedError(
        f"The data file {path} is damaged ({detail}). {_BACKUP_ADVICE}, or salvage what can "
        "still be read (the app offers it at start; in a terminal: `backstride salvage`); "
        "Backstride has not changed it.",
        detail,
    )


def _moved(path: Path, detail: str) -> MovedError:
    return MovedError(
        f"Backstride's data file {path} has moved or been deleted ({detail}). Nothing was "
        "saved. Put the data folder back, or tell Backstride where it is now "
        "(the app offers to locate it; in a terminal use --data-dir).",
        path,
        detail,
    )


def _read_only(path: Path) -> ReadOnlyError:
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        what = f"The data file {path} is read-only"
    elif not os.access(folder, os.W_OK):
        what = f"The data folder {folder} is read-only"
    else:
        what = f"The data file {path} cannot be written (read-only disk or file system)"
    return ReadOnlyError(
        f"{what}. Your diary is intact. Make it writable again (check its permissions, or "
        "that the disk is not mounted read-only), or copy the data folder somewhere you may "
        "write and start Backstride with --data-dir; nothing was saved."
    )


def _disk_full(path: Path) -> DiskFullError:
    return DiskFullError(
        f"The disk holding {path} is full. Your diary is intact; free some space and try "
        "again. Nothing was saved."
    )


def _disk_is_full(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def translate_error(exc: sqlite3.Error, path: Path, file_id: FileId | None = None) -> Exception:
    """Turn the SQLite errors a user can meet into words, by SQLite's own error name
    (qutebrowser's KnownError split); anything else is a bug and comes back unchanged."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        ours = file_id is not None and _writing_counts.get(file_id, 0) > 0
        who = (
            "Backstride is still saving in the background (an import, a restore or a backup)"
            if ours
            else "another program is writing to it (for example a `backstride` command in a "
            "terminal, or Backstride opened on another computer through a synced folder)"
        )
        return BusyError(
            f"The data file {path} is busy: {who}. Wait a moment and try again; nothing was saved."
        )
    if name == "SQLITE_FULL":
        return _disk_full(path)
    if name.startswith("SQLITE_READONLY"):
        return _read_only(path)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return _damaged(path, str(exc))
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        if not path.parent.is_dir() or not path.exists():
            return _moved(path, "it is no longer there")
        if _disk_is_full(path):
            return _disk_full(path)
        if not os.access(path.parent, os.W_OK) or not os.access(path, os.W_OK):
            return _read_only(path)
        return StoreError(
            f"The data file {path} could not be read or written ({exc}): the disk may have "
            "been removed or be failing. Your saved data was not changed by Backstride; "
            "check the disk and try again."
        )
    if isinstance(exc, sqlite3.IntegrityError):
        return StoreError(f"That record could not be saved: {constraint_message(str(exc))}.")
    return exc


def constraint_message(text: str) -> str:
    """Name the field behind a constraint failure, e.g. 'CHECK constraint failed: intensity ...'."""
    text = text.lower()
    if "unique constraint failed" in text:
        column = text.rsplit(".", 1)[-1]
        return f"a record with that {column} already exists"
    if "check constraint failed" in text:
        column = text.split(":", 1)[-1].strip().split(" ", 1)[0]
        return f"the value for '{column}' is out of range"
    if "foreign key" in text:
        return "it refers to a record that no longer exists"
    if "not null" in text:
        return f"'{text.rsplit('.', 1)[-1]}' is required"
    return text


# -- opening ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Inspection:
    version: int
    checked: bool  # quick_check ran (and passed)


def _read_header(path: Path, file_id: FileId) -> bytes | None:
    """The first bytes of the file, only while no SQLite connection of this process has it
    open (closing our descriptor would drop that connection's locks); else None. The
    registry lock is held throughout, so no connection can be made meanwhile."""
    with _registry_lock:
        if _open_counts.get(file_id, 0) > 0:
            return None
        with path.open("rb") as f:
            return f.read(len(SQLITE_HEADER))


def inspect_file(path: Path, file_id: FileId, newest: int) -> Inspection:
    """Refuse a file that is not ours, is damaged or is newer, without writing to it."""
    header = _read_header(path, file_id)
    if header is not None and header != SQLITE_HEADER:
        raise NotOursError(
            f"{path} is not a Backstride data file (it is not an SQLite database). Move it "
            "away or choose another data folder with --data-dir; it has not been changed."
        )
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            # quick_check reads every page (~5 ms per MB here); on a big file it would be paid
            # at every start, so beyond the limit it runs before the first write instead.
            small = path.stat().st_size <= QUICK_CHECK_MAX_BYTES
            check = conn.execute("PRAGMA quick_check").fetchone()[0] if small else "ok"
        finally:
            conn.close()
    except sqlite3.Error as exc:
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            raise _damaged(path, str(exc)) from exc
        error = translate_error(exc, path)
        raise error from exc
    if app_id != APPLICATION_ID and (version != 0 or tables != 0):
        raise NotOursError(
            f"{path} is an SQLite database of another program, not a Backstride data file. "
            "Choose another data folder with --data-dir; it has not been changed."
        )
    if version > newest:
        raise NewerVersionError(
            f"The data file {path} was written by a newer version of Backstride (data version "
            f"{version}; this version knows up to {newest}). Install the newer Backstride to "
            "open it; this version has not changed it."
        )
    if check != "ok":
        raise _damaged(path, check)
    return Inspection(version=version, checked=small)


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: Store.write() opens every transaction explicitly.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: with NORMAL the last commits can be lost on power failure; a diary writes a few
    # rows at a time, so the extra fsync costs nothing a runner notices (docs/reliability.md).
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def migrate(conn: sqlite3.Connection, migrations: list[Migration]) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for migration in migrations[current:]:
        script = (
            "BEGIN;\n"
            f"{migration.sql}\n;"
            f"PRAGMA application_id = {APPLICATION_ID};\n"
            f"PRAGMA user_version = {migration.version};\n"
            "COMMIT;"
        )
        try:
            conn.executescript(script)
        except sqlite3.Error:
            if conn.in_transaction:
                conn.rollback()
            raise


def _create_new(path: Path, migrations: list[Migration]) -> None:
    """Create a migrated, owner-only data file at path in one step: it is built under a
    temporary name and linked into place, so a crash never leaves a 0-byte or half-made
    data file, and a file another process created meanwhile is never replaced."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=".backstride-new-", suffix=".sqlite3", dir=folder)
    os.close(fd)  # a fresh file of our own: no SQLite connection has it yet
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp_name, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # one file to move, no WAL beside
            conn.execute("PRAGMA synchronous = FULL")
            migrate(conn, migrations)
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        except OSError:  # no hard links here (FAT, some network shares)
            if not path.exists():
                os.rename(tmp, path)
        sync_folder(folder)
    finally:
        tmp.unlink(missing_ok=True)


def _os_error(exc: OSError, path: Path) -> StoreError:
    import errno

    if exc.errno == errno.ENOSPC:
        return _disk_full(path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _read_only(path)
    return StoreError(
        f"Backstride cannot open its data file {path}: {exc.strerror or exc}. Check that "
        "the folder exists and that you may write to it, or choose another with --data-dir."
    )


def open_store_file(path: Path, *, create: bool = True) -> Store:
    """Open (creating it when create is set and it does not exist) and migrate the data file.

    Before the first migration of an existing file, a backup is made; if it fails, the
    file is not upgraded.
    """
    migrations = load_migrations()
    try:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            if not create:
                raise _moved(path, "it is no longer there") from None
            _create_new(path, migrations)
            st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(
                f"{path} is not a file (it is a folder or a device). Move it away or choose "
                "another data folder with --data-dir."
            )
        if st.st_size == 0:
            raise EmptyFileError(
                f"The data file {path} is empty (0 bytes): it holds no diary. If you had data, "
                f"{_BACKUP_ADVICE[0].lower()}{_BACKUP_ADVICE[1:]}; to start a new diary, delete "
                "the empty file. Backstride has not changed it."
            )
        file_id = _file_id(st)
        inspection = inspect_file(path, file_id, len(migrations))
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise _read_only(path)
        conn = _connect_registered(path, file_id)
    except OSError as exc:
        raise _os_error(exc, path) from exc
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    store = Store(path, conn, file_id, checked=inspection.checked)
    if inspection.version < len(migrations):
        try:
            if inspection.version > 0:
                from backstride.store.backup import backup_before

                backup_before(store, "upgrade")
            migrate(conn, migrations)
        except sqlite3.Error as exc:
            store.close()
            raise translate_error(exc, path) from exc
        except BaseException:
            store.close()
            raise
    return store


def open_store(data_dir: Path) -> Store:
    return open_store_file(data_dir / DB_FILENAME)
