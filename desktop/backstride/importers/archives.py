"""Export archives as downloaded: Garmin Connect's "Export your data" and Strava's bulk export.

Both are ZIP files: Garmin's holds further ZIPs (`UploadedFiles_0-_Part1.zip`) full of
FIT files beside thousands of JSON files; Strava's holds `activities.csv` and
`activities/` with FIT, GPX and TCX files, many gzipped. `unpack` copies only what can
hold a run (activity files, nested ZIPs, Strava's activities.csv) into a private folder
of the caller's (owner-only, made with `tempfile`), keeping the members' folders so
activities.csv still finds its files; everything else is counted, not unpacked.

Safety, as for folders and more, since an archive is untrusted input:
- a member's name may not leave the folder (absolute, `..`, a drive letter), and a
  symbolic link is never unpacked: both are counted as refused;
- sizes are counted while unpacking, never taken from the archive's own headers: a
  member larger than an activity file can be (`MAX_FILE_BYTES`), more than
  `MAX_UNPACKED_BYTES` in all or more than `MAX_MEMBERS` members refuses the whole
  archive (a ZIP bomb), before anything of it is imported;
- ZIPs are opened inside ZIPs `MAX_NESTING` deep, no deeper (Garmin uses one level).
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from backstride.importers.errors import ImportFileError
from backstride.importers.files import ARCHIVE_SUFFIX, MAX_FILE_BYTES, not_a_file, supported_name
from backstride.importers.sources import STRAVA_INDEX

ZIP_MAGIC = b"PK\x03\x04"
# Ten years of one-hour runs are about 2 GB as GPX; a Garmin export's nested ZIPs are
# unpacked too, so the cap counts both. More is a bomb, not a running history.
MAX_UNPACKED_BYTES = 8 * 1024**3
MAX_MEMBERS = 500_000  # Garmin's exports hold tens of thousands of JSON files
MAX_NESTING = 2  # the download itself and the ZIPs inside it
_CHUNK = 1024 * 1024
# Nested ZIPs are copied out here while their members are unpacked (hidden: a folder
# search skips it), then deleted.
_NESTED_FOLDER = ".nested"


def is_archive(path: Path) -> bool:
    """A .zip name, or a file that starts like one (a download renamed by the browser)."""
    if path.suffix.lower() == ARCHIVE_SUFFIX:
        return True
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a pipe or a device: opening it could wait for ever
        with open(path, "rb") as f:
            return f.read(4) == ZIP_MAGIC
    except OSError:
        return False


@dataclass
class Unpacked:
    """What `unpack` kept and left out of one archive."""

    folder: Path
    kept: int = 0
    other: int = 0  # members that cannot hold a run (JSON, photos, settings)
    refused: list[str] = field(default_factory=list)  # unsafe members, with the reason

    def note(self) -> str:
        """One sentence on what was left out, or "" when nothing was."""
        parts = []
        if self.other:
            parts.append(f"{self.other:,} other file(s) that hold no run (settings, photos, JSON)")
        if self.refused:
            parts.append(
                f"{len(self.refused):,} refused for safety ({self.refused[0]}"
                + (", …" if len(self.refused) > 1 else "")
                + ")"
            )
        return "left out " + " and ".join(parts) if parts else ""


class _Budget:
    def __init__(self) -> None:
        self.bytes = 0
        self.members = 0

    def take(self, size: int) -> None:
        self.bytes += size
        if self.bytes > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                f"it unpacks to more than {MAX_UNPACKED_BYTES // 1024**3} GB, far more than a "
                "running history (a damaged or hostile archive); nothing of it was imported"
            )


def _safe_parts(name: str) -> tuple[str, ...] | None:
    """The member's path as folder names, or None when it would leave the folder."""
    if "\x00" in name:
        return None
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or any(part == ".." for part in path.parts):
        return None
    parts = tuple(p for p in path.parts if p not in ("", "."))
    if not parts or ":" in parts[0]:  # "C:evil": a drive on Windows
        return None
    return parts


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _copy(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, cap: int, budget: _Budget
) -> None:
    """Unpack one member to `target` (a new file), counting its real size."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_EXCL: a new file, never through something already at that name.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    written = 0
    with os.fdopen(fd, "wb") as out, archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            written += len(chunk)
            budget.take(len(chunk))
            if written > cap:
                raise ImportFileError(
                    f"its member {info.filename} unpacks to more than "
                    f"{cap // (1024 * 1024)} MB, far more than any activity file "
                    "(a damaged or hostile archive); nothing of it was imported"
                )
            out.write(chunk)


def _unpack_into(source: Path, folder: Path, depth: int, budget: _Budget, result: Unpacked) -> None:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ImportFileError(
            "it is not a ZIP archive we can open (damaged or cut short); download it again"
        ) from exc
    with archive:
        for info in archive.infolist():
            budget.members += 1
            if budget.members > MAX_MEMBERS:
                raise ImportFileError(
                    f"it holds more than {MAX_MEMBERS:,} files, far more than an export "
                    "(a damaged or hostile archive); nothing of it was imported"
                )
            if info.is_dir():
                continue
            parts = _safe_parts(info.filename)
            if parts is None:
                result.refused.append(f"{info.filename!r} leads outside the archive")
                continue
            if _is_link(info):
                result.refused.append(f"{info.filename!r} is a symbolic link")
                continue
            name = PurePosixPath(parts[-1])
            target = folder.joinpath(*parts)
            try:
                if name.suffix.lower() == ARCHIVE_SUFFIX and depth < MAX_NESTING:
                    # As large as the budget allows: a nested ZIP holds thousands of runs.
                    nested = folder / _NESTED_FOLDER / f"{budget.members}{ARCHIVE_SUFFIX}"
                    _copy(archive, info, nested, MAX_UNPACKED_BYTES, budget)
                    _unpack_into(nested, target.with_suffix(""), depth + 1, budget, result)
                    nested.unlink()
                elif supported_name(Path(name)) or name.name.lower() == STRAVA_INDEX:
                    _copy(archive, info, target, MAX_FILE_BYTES, budget)
                    result.kept += 1
                else:
                    result.other += 1
            except FileExistsError:
                result.refused.append(f"{info.filename!r} repeats a name already unpacked")
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError) as exc:
                # An encrypted member, an unknown compression or a damaged one.
                raise ImportFileError(
                    f"its member {info.filename} cannot be unpacked ({exc}); download the "
                    "export again"
                ) from exc


def unpack(archive: Path, folder: Path) -> Unpacked:
    """Unpack `archive`'s possible runs into `folder` (which must be private and empty).

    Raises ImportFileError (the folder then emptied) when the archive cannot be used or
    breaks a cap; unsafe members are refused one by one and listed.
    """
    try:
        refusal = not_a_file(os.stat(archive).st_mode)
    except OSError as exc:
        raise ImportFileError(f"it could not be read ({exc.strerror or exc})") from exc
    if refusal is not None:
        raise refusal
    result = Unpacked(folder)
    try:
        _unpack_into(archive, folder, 1, _Budget(), result)
    except ImportFileError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise ImportFileError(
            f"it could not be unpacked ({exc.strerror or exc}); free some disk space or "
            "unzip it yourself and import the folder"
        ) from exc
    shutil.rmtree(folder / _NESTED_FOLDER, ignore_errors=True)
    return result
