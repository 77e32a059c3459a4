"""Reading one activity file: size and compression checks, format by content, hashing."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import zlib
from pathlib import Path

from backstride.importers.errors import ImportFileError, NotAFileError
from backstride.importers.reading import FileReading

# Larger than any real activity file, on disk and unpacked (a 24-hour ultra recorded
# every second is about 5 MB as FIT and 20 MB as GPX), and small enough that parsing
# the largest XML allowed stays well under 500 MB of memory.
MAX_FILE_BYTES = 32 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
FORMATS = ("fit", "gpx", "tcx")
SUFFIXES = frozenset({".fit", ".gpx", ".tcx"})
ARCHIVE_SUFFIX = ".zip"  # export archives (`importers.archives`)
# The first element of an XML document (declarations <?..?> and <!..> do not match).
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)


def supported_name(path: Path) -> bool:
    """True for file names we read: .fit, .gpx, .tcx and their .gz variants (any case)."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in SUFFIXES


def _gunzip(data: bytes, warnings: list[str]) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_FILE_BYTES)
    except zlib.error as exc:
        raise ImportFileError(
            "it is a compressed (.gz) file whose data is damaged; download or copy it again"
        ) from exc
    if inflater.unconsumed_tail:
        raise ImportFileError(
            f"it unpacks to more than {MAX_FILE_BYTES // (1024 * 1024)} MB, far more than any "
            "activity file; it is not one"
        )
    if not out:
        raise ImportFileError(
            "it is a compressed (.gz) file with nothing readable inside; download it again"
        )
    if not inflater.eof:
        warnings.append(
            "the compressed (.gz) file is cut short; only the part that unpacked was read"
        )
    return out


def _format(data: bytes, path: Path) -> str:
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:8192].decode("utf-16", errors="ignore").encode("utf-8", "ignore")
    root = _ROOT.search(_COMMENT.sub(b"", head))
    if root is not None:
        name = root.group(1).rsplit(b":", 1)[-1].lower()
        if name == b"trainingcenterdatabase":
            return "tcx"
        if name == b"gpx":
            return "gpx"
    # Fall back on the name so a damaged file gets that format's specific message.
    name = path.name.lower().removesuffix(".gz")
    for kind in FORMATS:
        if name.endswith("." + kind):
            return kind
    raise ImportFileError(
        "it is not an activity file we can read; choose a FIT, GPX or TCX file "
        "(or its .gz), or a Strava export folder"
    )


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


_FOLDER = "it is a folder, not a file; choose the files in it"


def _too_large(size: int) -> ImportFileError:
    return ImportFileError(
        f"it is more than {MAX_FILE_BYTES // (1024 * 1024)} MB ({size:,} bytes), far larger "
        "than any activity file; choose the activity's .fit, .gpx or .tcx file"
    )


def not_a_file(mode: int) -> NotAFileError | None:
    """Why a path of this `st_mode` is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return NotAFileError(_FOLDER)
    kind = next((words for test, words in _KINDS if test(mode)), "not a regular file")
    return NotAFileError(
        f"it is {kind}, not a file, so it was not read; choose the activity's own file"
    )


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or ImportFileError naming why it cannot be read.

    Only a regular file is read, and at most MAX_FILE_BYTES of it: a pipe, a device or
    a socket could block or never end. Opening does not wait (O_NONBLOCK), and the check
    is made on the opened file, so nothing can be swapped in between.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise ImportFileError(
            "the file does not exist (moved or deleted?); choose it again"
        ) from exc
    except IsADirectoryError as exc:
        raise NotAFileError(_FOLDER) from exc
    except PermissionError as exc:
        raise ImportFileError(
            "you do not have permission to read it; copy it somewhere you can read"
        ) from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAFileError(
                "it is a link that leads back to itself (a symbolic link loop), so there "
                "is no file to read"
            ) from exc
        raise ImportFileError(f"it could not be read ({exc.strerror or exc})") from exc
    try:
        info = os.fstat(fd)
        refusal = not_a_file(info.st_mode)
        if refusal is not None:
            raise refusal
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(info.st_size)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(f"it could not be read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data))  # it grew while being read
    return data


def read_activity(path: Path) -> FileReading:
    """Read one activity file (FIT, GPX, TCX, or any of them gzipped).

    The format is recognised from the content (the name only breaks ties), each run's
    `source_hash` is the SHA-256 of the file's bytes as stored, and its `source` is the
    file name. Raises ImportFileError, naming the file, when nothing can be imported.
    """
    path = Path(path)
    try:
        data = read_bytes(path)
        if not data:
            raise ImportFileError("the file is empty (0 bytes); copy or export the activity again")
        file_hash = hashlib.sha256(data).hexdigest()
        early: list[str] = []
        if data[:2] == GZIP_MAGIC:
            data = _gunzip(data, early)
        kind = _format(data, path)
        if kind == "fit":
            from backstride.importers.fit import read_fit

            reading = read_fit(data, path, file_hash)
        elif kind == "gpx":
            from backstride.importers.gpx import read_gpx

            reading = read_gpx(data, path, file_hash)
        else:
            from backstride.importers.tcx import read_tcx

            reading = read_tcx(data, path, file_hash)
    except ImportFileError as exc:
        raise exc.for_file(path.name) from exc
    reading.warnings[:0] = early
    reading.warnings[:] = list(dict.fromkeys(reading.warnings))
    return reading
