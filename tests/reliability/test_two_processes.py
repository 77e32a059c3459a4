"""Issue 9: a second store opened and closed in the app must not let the CLI delete its WAL.

Process A (writer.py drive) keeps its store open and opens and closes a second one as the
Insights worker does; process B is the real CLI importing GPX files into the same folder.
On POSIX, closing any descriptor of the data file drops every lock this process holds on
it, so B can believe it is the last user, checkpoint and delete the -wal/-shm that A still
uses; A's next commits then go into a deleted file and the data file ends up damaged.

Children run with $BACKSTRIDE_TEST_PYTHON (default: this interpreter) and inherit
PYTHONPATH, so the same test can be pointed at another checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.kill_test import (
    CHILD_TIMEOUT_S,
    DB_FILENAME,
    TEST_DATA,
    Child,
    cli_command,
    writer_command,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/fd")

# The second file's profile (~86 kB) takes new pages at the end of the file, the same page
# numbers A's next entry took in its own, by then deleted, WAL: when A quits and
# checkpoints that WAL, the damage shows in integrity_check, not only in /proc.
GPX_FILES = ("cerknicko-jezero.gpx", "korita-zbevnica.gpx")


def _ask(a: Child, command: str, answer: str) -> str:
    a.send(command)
    line = a.next_line()
    if line is None or not line.startswith(answer):
        raise AssertionError(
            f"A answered {line!r} to {command!r}, expected {answer!r}: {a.stderr_text()}"
        )
    return line[len(answer) :].strip()


def _cli_import(data: Path, gpx: Path) -> str:
    done = subprocess.run(
        cli_command(data, "import", gpx),
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"backstride import {gpx.name}: {done.stdout}{done.stderr}"
    assert f"{gpx.name}: imported" in done.stdout, done.stdout
    return done.stdout


def _data_file_links(pid: int) -> list[str]:
    """Where A's descriptors of the data file, its -wal and -shm point (from /proc)."""
    links = []
    folder = Path(f"/proc/{pid}/fd")
    for fd in folder.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if DB_FILENAME in target:
            links.append(target)
    return sorted(links)


def test_cli_import_keeps_the_wal_of_a_store_whose_worker_reopened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    gpx = []
    for name in GPX_FILES:
        shutil.copy(TEST_DATA / "gpx" / name, tmp_path / name)
        gpx.append(tmp_path / name)

    a = Child(writer_command("drive", "--data-dir", data), tmp_path / "a.err", stdin=True)
    problems: list[str] = []
    try:
        ids = [int(_ask(a, "add", "id"))]
        _ask(a, "reopen", "ok")  # what opening Insights does
        _cli_import(data, gpx[0])
        ids.append(int(_ask(a, "add", "id")))
        _cli_import(data, gpx[1])

        links = _data_file_links(a.pid)
        own_view = json.loads(_ask(a, "fds", "fds"))
        wal_shm = [t for t in links if "-wal" in t or "-shm" in t]
        if not any("-wal" in t for t in wal_shm):
            problems.append(f"A has no -wal open at all (its data-file descriptors: {links})")
        deleted = [t for t in wal_shm if t.endswith("(deleted)")]
        if deleted:
            problems.append(
                "while A was still open, the CLI deleted the files it was using: "
                + ", ".join(deleted)
            )
        assert any(DB_FILENAME in t for t in own_view), own_view
        _ask(a, "quit", "bye")
    finally:
        rc = a.finish()
    assert rc == 0, a.stderr_text()

    conn = sqlite3.connect(data / DB_FILENAME)
    try:
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            present = {r[0] for r in conn.execute("SELECT id FROM pain_entry")}
            sources = {r[0] for r in conn.execute("SELECT source FROM run")}
        except sqlite3.DatabaseError as exc:
            integrity, present, sources = [f"{type(exc).__name__}: {exc}"], set(), set()
    finally:
        conn.close()
    if integrity != ["ok"]:
        problems.append(f"after A quit, integrity_check says: {'; '.join(integrity[:5])}")
    lost = [i for i in ids if i not in present]
    if lost:
        problems.append(f"entries A committed are gone: {lost} (A reported {ids})")
    absent = [p.name for p in gpx if p.name not in sources]
    if absent:
        problems.append(f"imported runs are gone: {absent} (runs from {sorted(sources)})")
    assert not problems, "\n".join(problems)
