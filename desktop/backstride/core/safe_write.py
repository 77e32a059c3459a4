"""Files the runner's data goes into (exports, the log): owner-only, never through a symlink.

An export is written to a fresh temporary file made with mkstemp (O_EXCL, mode 0600) in the
destination folder, flushed to disk and renamed over the destination, so a reader never
sees half a file, a crash leaves the old file whole, and a name planted in the folder (a
symlink called ``pain.csv.part``, say) is never written through: the temporary name is
random and the rename replaces a symlink instead of following it.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from backstride.core.text import printable_name

T = TypeVar("T")
PRIVATE_MODE = 0o600
# O_NOFOLLOW and O_CLOEXEC do not exist on Windows, where symlinks need admin rights.
_NO_FOLLOW_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class WriteRefused(OSError):
    """A destination Backstride will not write to, said in words (not a bare errno)."""


def prepare_folder(folder: Path) -> None:
    """Create folder (and its parents) if missing; refuse a path that is not a folder."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in (folder, *folder.parents) if p.is_file()), folder)
        raise WriteRefused(
            f"{printable_name(str(blocker))} is a file, not a folder; give the path of a "
            "folder to write into (it is created if it does not exist)"
        ) from None


def write_private(path: Path, write: Callable[[TextIO], T]) -> T:
    """Write a UTF-8 text file owner-only, atomically, replacing what was at path; returns
    what write returned."""
    if path.is_dir():
        raise WriteRefused(
            f"{printable_name(str(path))} is a folder; give the name of the file to write"
        )
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with open(fd, "w", encoding="utf-8", newline="") as f:
            result = write(f)
            f.flush()
            os.fsync(f.fileno())  # the data are on disk before the name points at them
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)
    return result


def sync_folder(folder: Path) -> None:
    """Make a rename or a new name in folder durable (POSIX; Windows cannot open a folder
    this way and needs no sync; a file system that cannot sync a folder is let be)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_private_append(path: Path) -> io.TextIOWrapper:
    """Open path for appending text, creating it owner-only; refuse a symlink or non-file.

    O_NONBLOCK keeps a FIFO planted at path from blocking the open; a regular file ignores it.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NO_FOLLOW_FLAGS | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags, PRIVATE_MODE)
    except OSError:
        if path.is_symlink():
            raise WriteRefused(
                f"{printable_name(str(path))} is a symbolic link; Backstride will not write "
                "through it"
            ) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise WriteRefused(f"{printable_name(str(path))} is not a regular file; move it away")
        if hasattr(os, "fchmod") and stat.S_IMODE(info.st_mode) != PRIVATE_MODE:
            os.fchmod(fd, PRIVATE_MODE)  # a file left by an older version was 0644
        return open(fd, "a", encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise
