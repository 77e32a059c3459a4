"""Read files shipped in resources/ and db/ the same way from a checkout, a wheel or a bundle.

The two packages are imported as modules and handed to importlib.resources as objects, not
as name strings: so a freezer (PyInstaller) sees the imports and bundles the packages, and
packaging/backstride.spec collects their data files beside them.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import backstride.migrations
import backstride.resources

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def _files(package: ModuleType) -> Traversable:
    """The package's folder: read directly when it is on the file system (a checkout, a
    wheel, an app folder); importlib.resources for anything else (e.g. a zip). Each start
    reads the migrations, and importlib.resources costs ~3 ms to import."""
    where = getattr(package, "__file__", None)
    if where is not None and Path(where).parent.is_dir():
        return Path(where).parent
    from importlib.resources import files

    return files(package)


def resource(*parts: str) -> Traversable:
    """A file or folder under resources/ (mapped to the package backstride.resources)."""
    node = _files(backstride.resources)
    for part in parts:
        node = node / part
    return node


def migrations_folder() -> Traversable:
    """The folder of schema migrations (db/, mapped to backstride.migrations)."""
    return _files(backstride.migrations)


def read_toml(*parts: str) -> dict[str, Any]:
    import tomllib  # only the check-up needs it; keep it off the start-up path

    return tomllib.loads(resource(*parts).read_text(encoding="utf-8"))
