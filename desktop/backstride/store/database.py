"""Open, check and migrate the one SQLite file that holds a runner's data.

Schema version lives in PRAGMA user_version and the file is marked with PRAGMA
application_id (the qutebrowser way), so a file that is not ours, is damaged, or was
written by a newer Backstride is refused before anything writes to it.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from backstride.core.resources import migrations_folder

if TYPE_CHECKING:
    import sqlite_utils

DB_FILENAME = "backstride.sqlite3"
APPLICATION_ID = 0x42535452  # "BSTR"
SQLITE_HEADER = b"SQLite format 3\x00"
QUICK_CHECK_MAX_BYTES = 16 * 1024 * 1024
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StoreError(Exception):
    """A problem with the data file, said in words the runner can act on."""


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


class Store:
    """An open data file. One writer: the GUI thread's store, or a worker's own reopen().

    Small operations speak SQL on the plain connection; bulk work uses `utils` (a
    sqlite-utils Database on the same connection), created on first use because importing
    sqlite-utils (and numpy, which it loads) would add ~100 ms to start-up.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._utils: sqlite_utils.Database | None = None

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
        try:
            with self._atomic():
                yield self.conn
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from exc

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
            self.conn.execute("BEGIN")
            try:
                yield
            except BaseException:
                self.conn.rollback()
                raise
            else:
                self.conn.execute("COMMIT")

    _depth = 0

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.conn
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from exc

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
        """A second connection to the same file, for a worker thread."""
        return open_store_file(self.path)

    def close(self) -> None:
        self.conn.close()


def translate_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """Turn the SQLite errors a user can meet into words; anything else is a bug and re-raised."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            f"The data file {path} is busy: another Backstride window or program is writing to "
            "it. Close the other program and try again; nothing was saved."
        )
    if "full" in text:
        return StoreError(
            f"The disk holding {path} is full. Free some space and try again; nothing was saved."
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"The data file {path} is read-only. Check its permissions; nothing was saved."
        )
    if "malformed" in text or "not a database" in text or "disk i/o" in text:
        return StoreError(
            f"The data file {path} is damaged ({exc}). Restore it from a backup or move it away "
            "to start a new diary; Backstride has not changed it."
        )
    if isinstance(exc, sqlite3.IntegrityError):
        return StoreError(f"That record could not be saved: {constraint_message(text)}.")
    raise exc


def constraint_message(text: str) -> str:
    """Name the field behind a constraint failure, e.g. 'CHECK constraint failed: intensity ...'."""
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


def _check_existing(path: Path, newest: int) -> None:
    """Refuse a file that is not ours, is damaged or is newer, without writing to it."""
    with path.open("rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a Backstride data file (it is not an SQLite database). Move it "
            "away or choose another data folder with --data-dir; it has not been changed."
        )
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            # quick_check reads every page (~5 ms per MB here); on a big file it would be paid
            # at every start, so beyond the limit damage is caught when a read fails, which
            # translate_error turns into the same "damaged" message.
            small = path.stat().st_size <= QUICK_CHECK_MAX_BYTES
            check = conn.execute("PRAGMA quick_check").fetchone()[0] if small else "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"The data file {path} is damaged and cannot be read ({exc}). Restore it from a "
            "backup or move it away to start a new diary; Backstride has not changed it."
        ) from exc
    if app_id != APPLICATION_ID and (version != 0 or tables != 0):
        raise StoreError(
            f"{path} is an SQLite database of another program, not a Backstride data file. "
            "Choose another data folder with --data-dir; it has not been changed."
        )
    if version > newest:
        raise StoreError(
            f"The data file {path} was written by a newer version of Backstride (data version "
            f"{version}; this version knows up to {newest}). Install the newer Backstride to "
            "open it; this version has not changed it."
        )
    if check != "ok":
        raise StoreError(
            f"The data file {path} is damaged ({check}). Restore it from a backup or move it "
            "away to start a new diary; Backstride has not changed it."
        )


def _create_private(path: Path) -> None:
    """Create the folder and an empty file readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _migrate(conn: sqlite3.Connection, migrations: list[Migration]) -> None:
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
            conn.rollback()
            raise


def open_store_file(path: Path) -> Store:
    """Open (creating if needed) and migrate the data file at path."""
    migrations = load_migrations()
    try:
        if path.exists() and path.stat().st_size > 0:
            _check_existing(path, len(migrations))
        elif not path.exists():
            _create_private(path)
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=5.0)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(conn, migrations)
    except OSError as exc:
        raise StoreError(
            f"Backstride cannot open its data file {path}: {exc.strerror or exc}. Check that "
            "the folder exists and that you may write to it, or choose another with --data-dir."
        ) from exc
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    return Store(path, conn)


def open_store(data_dir: Path) -> Store:
    return open_store_file(data_dir / DB_FILENAME)
