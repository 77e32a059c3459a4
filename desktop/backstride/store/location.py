"""Where the runner's data lives: --data-dir, then BACKSTRIDE_DATA_DIR, then the OS data folder."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "BACKSTRIDE_DATA_DIR"


def default_data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("Backstride", appauthor=False, roaming=True))


def resolve_data_dir(cli_value: str | None) -> Path:
    return Path(cli_value).expanduser() if cli_value else default_data_dir()


def demo_data_dir(real: Path) -> Path:
    """The separate folder for demo data, so demo rows never mix with the runner's own."""
    return real / "demo"
