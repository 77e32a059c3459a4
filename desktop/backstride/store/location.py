"""Where the runner's data lives: --data-dir, then BACKSTRIDE_DATA_DIR, then the folder the
runner moved it to (Settings › Data folder, remembered in the per-user config folder), then
the OS data folder. Moving the data folder is here too (move_data_file)."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from backstride.store.database import DB_FILENAME, Store, StoreError

DATA_DIR_ENV = "BACKSTRIDE_DATA_DIR"
POINTER_FILENAME = "data-folder.json"  # in the per-user config folder, after a move
log = logging.getLogger("backstride")


class DataDirError(StoreError):
    """A data folder setting that names no folder (empty, or only blanks)."""


def _folder(value: str, empty: str) -> Path:
    """`value` as an absolute folder (SQLite's file URIs need one, and a relative path
    would follow whatever folder the app is started from); DataDirError saying `empty`
    when it names no folder."""
    if not value.strip():
        raise DataDirError(empty)
    return Path(os.path.abspath(Path(value).expanduser()))


def default_data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override is not None:
        return _folder(
            override,
            f"{DATA_DIR_ENV} is set but empty; set it to the folder for your data, or unset "
            "it to use the usual data folder",
        )
    remembered = remembered_data_dir()
    if remembered is not None:
        return remembered
    return usual_data_dir()


def usual_data_dir() -> Path:
    """The OS's per-user data folder for Backstride (where a first start puts the data)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("Backstride", appauthor=False, roaming=True))


def _pointer() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("Backstride", appauthor=False, roaming=True)) / POINTER_FILENAME


def remembered_data_dir() -> Path | None:
    """The folder the data was moved to, if the runner moved it; an unreadable note is
    ignored (logged), so the usual folder opens."""
    try:
        raw = json.loads(_pointer().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("data folder note unreadable; using the usual data folder")
        return None
    folder = raw.get("data_dir") if isinstance(raw, dict) else None
    if not isinstance(folder, str) or not folder.strip() or not os.path.isabs(folder):
        return None
    return Path(folder)


def remember_data_dir(folder: Path) -> None:
    """Make folder the one a start without --data-dir opens (the usual one: forget)."""
    pointer = _pointer()
    if folder == usual_data_dir():
        pointer.unlink(missing_ok=True)
        return
    pointer.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".data-folder-", suffix=".json", dir=pointer.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"data_dir": str(folder)}, f)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, pointer)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def resolve_data_dir(cli_value: str | None) -> Path:
    """The data folder, absolute; DataDirError (a StoreError) when a setting is empty."""
    if cli_value is None:
        return default_data_dir()
    return _folder(
        cli_value,
        "--data-dir is empty; give the folder for your data (e.g. --data-dir ~/backstride), "
        "or leave the option out to use the usual data folder",
    )


def demo_data_dir(real: Path) -> Path:
    """The separate folder for demo data, so demo rows never mix with the runner's own."""
    return real / "demo"


def follow_move(old_dir: Path, new_dir: Path) -> bool:
    """After the data moved from old_dir to new_dir: when a start without --data-dir or
    BACKSTRIDE_DATA_DIR would have opened old_dir, remember new_dir for it. True when the
    next such start opens new_dir; False when a setting names another folder (the caller
    says so) or the note cannot be written (logged)."""
    try:
        if default_data_dir() == old_dir:
            remember_data_dir(new_dir)
        return default_data_dir() == new_dir
    except (OSError, StoreError):
        log.warning("could not note the moved data folder", exc_info=True)
        return False


# -- moving the data folder ------------------------------------------------------------
class MoveError(StoreError):
    """The data could not be moved; the data file is where it was, unchanged."""


def _counts(store: Store) -> dict[str, int]:
    from backstride.store.backup import COUNTED_TABLES

    with store.read() as db:
        return {
            t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED_TABLES
        }


def move_data_file(
    store: Store, target_dir: Path, progress: Callable[[int, int], None] | None = None
) -> Path:
    """Copy the data file into target_dir as backstride.sqlite3 and check the copy; the new
    file's path. The live file is not changed: the caller switches to the copy
    (Store.relocate) and only then removes the old file (remove_data_file).

    The copy is made with SQLite's backup API (store.backup.make_backup, which checks its
    integrity), its rows are counted against the live file's, and it is refused if the data
    changed meanwhile (another Backstride command wrote). ``settings.json`` goes along, with
    the backup folder kept where the backups are. Runs on the store's thread (a worker
    passes its reopen()ed store). MoveError says what to do instead."""
    from backstride.store.backup import inspect_backup, make_backup
    from backstride.store.settings import backup_folder, load_settings, save_settings

    old_dir = store.path.parent
    target_dir = Path(os.path.abspath(target_dir.expanduser()))
    if target_dir == old_dir:
        raise MoveError(f"Your data is in {target_dir} already; choose another folder.")
    target = target_dir / DB_FILENAME
    if target.exists():
        raise MoveError(
            f"{target_dir} holds a Backstride data file already. Choose an empty folder, or "
            f"start Backstride with --data-dir {target_dir} to open that one."
        )
    try:
        target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        staging = Path(tempfile.mkdtemp(prefix=".backstride-move-", dir=target_dir))
    except OSError as exc:
        raise MoveError(
            f"Backstride cannot write into {target_dir} ({exc.strerror or exc}). Choose a "
            "folder you may write to."
        ) from exc
    linked = False
    try:
        before = store.data_version()
        counts = _counts(store)
        try:
            made = make_backup(store, staging, "manual", progress=progress)  # checked copy
        except StoreError as exc:
            cause = exc.__cause__
            detail = cause.strerror if isinstance(cause, OSError) and cause.strerror else exc
            raise MoveError(
                f"Backstride could not copy your data into {target_dir} ({detail}); nothing "
                "was moved. Check that the folder has free space, or choose another."
            ) from exc
        contents = inspect_backup(made.path)
        if not contents.ok or contents.counts != counts:
            raise MoveError(
                "The copy of your data did not hold the same records; nothing was moved. Try again."
            )
        if store.data_version() != before:
            raise MoveError(
                "Your data changed while it was being copied (another Backstride command "
                "wrote to it); nothing was moved. Try again."
            )
        os.link(made.path, target)  # never replaces a file
        linked = True
        os.chmod(target, 0o600)
        settings = load_settings(old_dir)
        if settings.backup_folder is None:  # the backups stay where they are
            settings = replace(settings, backup_folder=backup_folder(old_dir))
        save_settings(target_dir, settings)
    except OSError as exc:
        if linked:
            target.unlink(missing_ok=True)
        raise MoveError(
            f"Backstride could not copy your data into {target_dir} ({exc.strerror or exc}); "
            "nothing was moved."
        ) from exc
    except BaseException:
        if linked:
            target.unlink(missing_ok=True)
        raise
    finally:
        for leftover in staging.iterdir():
            leftover.unlink(missing_ok=True)
        staging.rmdir()
    return target


def remove_data_file(path: Path) -> None:
    """A copy nothing uses (a move that did not switch to it) and its journal files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _content_digest(db: sqlite3.Connection) -> str:
    """A digest of every row of every table: two files with the same records agree."""
    import hashlib  # only when moving: kept off the start-up path

    digest = hashlib.sha256()
    tables = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    for (table,) in tables:
        digest.update(table.encode())
        for row in db.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def retire_data_file(old: Path, copy: Path) -> str | None:
    """After the store switched to `copy`, remove the old data file, but only when nothing
    can still write to it; else why it was kept (None when it was removed).

    Deleting a file (or its -wal) that another connection has open loses that connection's
    writes, so: an exclusive lock first, which SQLite grants only when no other connection,
    in any process, has the file open; then the old file must hold exactly the records of
    the copy (a command that wrote after the copy was checked would differ); the files are
    unlinked while the lock is held. A command that opened the file before and writes after
    gets SQLite's "database moved" error, never a silent loss."""
    kept = f"The old data file was kept at {old}"
    try:
        db = sqlite3.connect(f"file:{old}?mode=rw", uri=True, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return f"{kept}: it could not be opened to check it. Delete it yourself when you are sure."
    try:
        try:
            db.execute("PRAGMA locking_mode = EXCLUSIVE")
            db.execute("BEGIN EXCLUSIVE")
            old_digest = _content_digest(db)
        except sqlite3.Error:
            return (
                f"{kept}: another Backstride window or command still has it open. Delete it "
                "once that has closed."
            )
        try:
            with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True, timeout=5)) as new:
                same = _content_digest(new) == old_digest
        except sqlite3.Error:
            same = False
        if not same:
            return (
                f"{kept}: it changed after it was copied (another Backstride command wrote "
                "to it), so it may hold records the new folder lacks. Import or compare it "
                "before deleting it."
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{old}{suffix}").unlink(missing_ok=True)
        return None
    except OSError as exc:
        return f"{kept}: it could not be removed ({exc.strerror or exc}). Delete it yourself."
    finally:
        db.close()
