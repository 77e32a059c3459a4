"""Where the runner's data lives: --data-dir, then BACKSTRIDE_DATA_DIR, then the OS data folder."""

from __future__ import annotations

import os
from pathlib import Path

from backstride.store.database import StoreError

DATA_DIR_ENV = "BACKSTRIDE_DATA_DIR"


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
    from platformdirs import user_data_dir

    return Path(user_data_dir("Backstride", appauthor=False, roaming=True))


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
