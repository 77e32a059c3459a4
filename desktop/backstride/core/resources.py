"""Read files shipped in resources/ and db/ the same way from a checkout, a wheel or a bundle.

The two packages are imported as modules and handed to importlib.resources as objects, not
as name strings: so a freezer (PyInstaller) sees the imports and bundles the packages, and
packaging/backstride.spec collects their data files beside them.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import backstride.migrations
import backstride.resources


def resource(*parts: str) -> Traversable:
    """A file or folder under resources/ (mapped to the package backstride.resources)."""
    node = files(backstride.resources)
    for part in parts:
        node = node / part
    return node


def migrations_folder() -> Traversable:
    """The folder of schema migrations (db/, mapped to backstride.migrations)."""
    return files(backstride.migrations)


def read_toml(*parts: str) -> dict[str, Any]:
    import tomllib  # only the check-up needs it; keep it off the start-up path

    return tomllib.loads(resource(*parts).read_text(encoding="utf-8"))
