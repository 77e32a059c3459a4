"""Activity files (FIT, GPX, TCX, their .gz, Strava export folders) -> core Run records.

No Qt and no SQL here: callers (CLI, GUI worker) decide what to store. Parsers raise only
`ImportFileError` for bad input; `read_sources` turns a whole batch into one
`FileReading` per file or export row, never raising for a bad file.
"""

from __future__ import annotations

from backstride.importers.errors import ImportFileError
from backstride.importers.files import read_activity, supported_name
from backstride.importers.reading import FileReading
from backstride.importers.sources import expand_sources, read_sources

__all__ = [
    "FileReading",
    "ImportFileError",
    "expand_sources",
    "read_activity",
    "read_sources",
    "supported_name",
]
