"""The data-safety commands: backup, backups, restore, check, salvage.

They work on the data folder from a terminal, also while the app is open (every write
goes through SQLite's locks; the app shows the change within about 2 s).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backstride.store.backup import Backup

# The store's modules are imported by each command, not here: building the parser is part
# of every start of the app.


def _data_dir(args: argparse.Namespace) -> Path:
    from backstride.store.location import resolve_data_dir

    return resolve_data_dir(args.data_dir)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _line(backup: Backup) -> str:
    from backstride.store.backup import inspect_backup

    contents = inspect_backup(backup.path)
    return (
        f"{backup.taken_at:%Y-%m-%d %H:%M:%S}  {backup.reason_text:<18} {_size(backup.size):>8}  "
        f"{contents.summary()}  {backup.path}"
    )


def cmd_backup(args: argparse.Namespace) -> int:
    from backstride.store.backup import backup_before, make_backup
    from backstride.store.database import open_store

    data_dir = _data_dir(args)
    store = open_store(data_dir)
    try:
        if args.path is None:
            made = backup_before(store, "manual")
        else:
            target = Path(args.path).expanduser().absolute()
            if target.is_dir():
                made = make_backup(store, target, "manual")
            else:
                print(
                    f"backstride: {target} is not a folder; give the folder to write the backup "
                    "into (the file is named by date)",
                    file=sys.stderr,
                )
                return 1
    finally:
        store.close()
    print(f"wrote a checked backup: {_line(made)}")
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from backstride.store.backup import list_backups
    from backstride.store.settings import backup_folder, update_settings

    data_dir = _data_dir(args)
    if args.set_folder is not None or args.daily is not None:
        changes: dict[str, Any] = {}
        if args.set_folder is not None:
            folder = Path(args.set_folder).expanduser().absolute()
            if not folder.is_dir():
                print(f"backstride: {folder} is not a folder; create it first", file=sys.stderr)
                return 1
            if folder == data_dir.absolute():
                print(
                    "backstride: choose a folder other than the data folder itself",
                    file=sys.stderr,
                )
                return 1
            changes["backup_folder"] = folder
        if args.daily is not None:
            changes["daily_backup"] = args.daily == "on"
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        update_settings(data_dir, **changes)
    folder = backup_folder(data_dir)
    backups = list_backups(folder)
    print(f"backups in {folder}: {len(backups)}")
    for backup in backups:
        print(_line(backup))
    return 0


def _restore_over_damaged(data_dir: Path, backup_path: Path) -> int:
    from backstride.store.database import DB_FILENAME
    from backstride.store.recovery import replace_with_backup

    aside = replace_with_backup(data_dir / DB_FILENAME, backup_path, datetime.now())
    print(f"the damaged data file was kept as {aside}")
    print(f"restored {backup_path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from backstride.store.backup import inspect_backup, prune_backups, restore_backup
    from backstride.store.database import DamagedError, open_store
    from backstride.store.settings import backup_folder

    data_dir = _data_dir(args)
    backup_path = Path(args.backup).expanduser().absolute()
    contents = inspect_backup(backup_path)
    if not contents.ok:
        print(
            f"backstride: {backup_path} cannot be restored: {contents.problem}; nothing was "
            "changed",
            file=sys.stderr,
        )
        return 1
    try:
        store = open_store(data_dir)
    except DamagedError:
        return _restore_over_damaged(data_dir, backup_path)
    try:
        safety = restore_backup(store, backup_path)
        prune_backups(backup_folder(data_dir))
    finally:
        store.close()
    print(f"restored {backup_path}: {contents.summary()}")
    print(f"your data as it was before is kept in {safety.path} (restore it to undo)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from backstride.store.backup import check_store
    from backstride.store.database import DamagedError, open_store

    try:
        store = open_store(_data_dir(args))
    except DamagedError as exc:
        print(f"backstride: {exc}", file=sys.stderr)
        return 1
    try:
        report = check_store(store)
    finally:
        store.close()
    if report.ok:
        print(f"{store.path}: no problems found (integrity and links between records)")
        return 0
    for problem in report.problems[:20]:
        print(f"problem: {problem}")
    if len(report.problems) > 20:
        print(f"… and {len(report.problems) - 20} more")
    return 1


def cmd_salvage(args: argparse.Namespace) -> int:
    from backstride.store.database import DB_FILENAME, DamagedError, open_store
    from backstride.store.recovery import salvage_in_place

    data_dir = _data_dir(args)
    try:
        open_store(data_dir).close()
    except DamagedError:
        pass
    else:
        print(
            "backstride: the data file is not damaged, so there is nothing to salvage "
            "(`backstride check` checks it in full)",
            file=sys.stderr,
        )
        return 1
    aside, report = salvage_in_place(data_dir / DB_FILENAME, datetime.now())
    print(report.text())
    print(f"the damaged data file was kept as {aside}")
    return 0


def add_commands(sub: Any) -> None:
    """Add the data-safety sub-commands to the CLI's parser."""
    p = sub.add_parser("backup", help="write a checked backup of your data now")
    p.add_argument(
        "path", metavar="FOLDER", nargs="?", help="where to write it (default: the backup folder)"
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("backups", help="list the backups with their date, size and contents")
    p.add_argument(
        "--set-folder",
        metavar="DIR",
        help="keep backups in DIR from now on (a synced folder is a good place; the data "
        "folder itself never is)",
    )
    p.add_argument("--daily", choices=("on", "off"), help="a backup at start, once a day")
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser(
        "restore",
        help="replace your data with a backup (your data as it was is backed up first)",
    )
    p.add_argument("backup", metavar="BACKUP", help="a backup file (see `backstride backups`)")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "check", help="check the data file in full; exit status 0 only when it is clean"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "salvage",
        help="copy what can still be read from a damaged data file into a new one "
        "(the damaged file is kept beside it)",
    )
    p.set_defaults(func=cmd_salvage)
