"""The one error type importers raise for a file they cannot use."""

from __future__ import annotations

from backstride.core.errors import BackstrideError


class ImportFileError(BackstrideError, ValueError):
    """A file (or one row of an export) that cannot be imported.

    `reason` says what is wrong and what to do about it, in words a runner can act on;
    `file` names the file when known. `str()` gives both.
    """

    def __init__(self, reason: str, *, file: str | None = None) -> None:
        self.reason = reason
        self.file = file
        super().__init__(f"{file}: {reason}" if file else reason)

    def for_file(self, file: str) -> ImportFileError:
        """The same error, naming `file` (used where the parser did not know the name)."""
        return ImportFileError(self.reason, file=file)


class NotAFileError(ImportFileError):
    """A path that is not a regular file (a folder, pipe, device, socket or link loop):
    never read, so an import cannot block or run without end. A batch skips it."""

    def for_file(self, file: str) -> ImportFileError:
        return NotAFileError(self.reason, file=file)
