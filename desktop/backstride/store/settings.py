"""Settings that belong to a data folder (shared by the app and the CLI), in settings.json.

They live beside the data file, not inside it, so they can still be read when the data
file is damaged (the recovery dialog needs to know where the backups are).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

SETTINGS_FILENAME = "settings.json"
DEFAULT_BACKUP_FOLDER = "backups"
log = logging.getLogger("backstride")


@dataclass(frozen=True, slots=True)
class FolderSettings:
    backup_folder: Path | None = None  # None: <data folder>/backups
    daily_backup: bool = True  # one backup at start, at most once a day


def load_settings(data_dir: Path) -> FolderSettings:
    """The folder's settings; a missing or unreadable file gives the defaults (and is
    left alone, so nothing the runner set is overwritten by mistake)."""
    path = data_dir / SETTINGS_FILENAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return FolderSettings()
    except (OSError, ValueError):
        log.warning("settings file unreadable; using defaults")
        return FolderSettings()
    if not isinstance(raw, dict):
        return FolderSettings()
    folder = raw.get("backup_folder")
    daily = raw.get("daily_backup", True)
    return FolderSettings(
        backup_folder=Path(folder) if isinstance(folder, str) and folder else None,
        daily_backup=daily if isinstance(daily, bool) else True,
    )


def save_settings(data_dir: Path, settings: FolderSettings) -> None:
    """Replace settings.json in one step (temp file, fsync, rename), owner-only."""
    data = {
        "backup_folder": str(settings.backup_folder) if settings.backup_folder else None,
        "daily_backup": settings.daily_backup,
    }
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=data_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, data_dir / SETTINGS_FILENAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_settings(data_dir: Path, **changes: object) -> FolderSettings:
    settings = replace(load_settings(data_dir), **changes)  # type: ignore[arg-type]
    save_settings(data_dir, settings)
    return settings


class BackupFolderError(ValueError):
    """A backup folder that cannot be used; the message says which to choose instead."""


def change_backup_folder(data_dir: Path, folder: Path) -> Path:
    """Keep this data folder's backups in folder (absolute); the folder now used.

    BackupFolderError for the data folder itself (a restore there would mix backups with
    the live file); OSError when settings.json cannot be written."""
    chosen = folder.absolute()
    if chosen == data_dir.absolute():
        raise BackupFolderError("Choose a folder other than the data folder itself.")
    update_settings(data_dir, backup_folder=chosen)
    return chosen


def backup_folder(data_dir: Path) -> Path:
    """Where this data folder's backups go."""
    chosen = load_settings(data_dir).backup_folder
    return chosen if chosen is not None else data_dir / DEFAULT_BACKUP_FOLDER
