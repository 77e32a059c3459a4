"""The data file's safety promises (docs/reliability.md): honest diagnoses, durable and
transactional writes, no descriptor outside SQLite, a moved folder never re-created."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from backstride.core.models import PainEntry
from backstride.store import database
from backstride.store import pain as pain_store
from backstride.store.database import (
    DB_FILENAME,
    BusyError,
    DamagedError,
    DiskFullError,
    EmptyFileError,
    MovedError,
    ReadOnlyError,
    Store,
    open_store,
    open_store_file,
)

ENTRY = PainEntry(day=date(2026, 1, 2), intensity=3)


def _fill(store: Store, n: int, note: str = "") -> list[int]:
    return [
        pain_store.add_pain_entry(
            store, PainEntry(day=date(2025, 1, 1), intensity=i % 11, note=note)
        ).id
        or 0
        for i in range(n)
    ]


def _scribble(path: Path, page: int = 2) -> bytes:
    data = bytearray(path.read_bytes())
    data[4096 * page : 4096 * page + 2000] = b"\xff" * 2000
    path.write_bytes(bytes(data))
    return bytes(data)


def _damaged_folder(tmp_path: Path) -> Path:
    store = open_store(tmp_path)
    _fill(store, 300, note="x" * 200)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    _scribble(tmp_path / DB_FILENAME)
    return tmp_path


def test_connection_is_durable_and_thread_bound(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        errors: list[BaseException] = []

        def use() -> None:
            try:
                store.conn.execute("SELECT 1")
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=use)
        thread.start()
        thread.join()
        assert errors and isinstance(errors[0], sqlite3.ProgrammingError)
    finally:
        store.close()


def test_zero_byte_file_is_refused_not_replaced(tmp_path: Path) -> None:
    (tmp_path / DB_FILENAME).write_bytes(b"")
    with pytest.raises(EmptyFileError, match="empty"):
        open_store(tmp_path)
    assert (tmp_path / DB_FILENAME).read_bytes() == b""


def test_new_file_appears_complete_in_one_step(tmp_path: Path) -> None:
    open_store(tmp_path / "new").close()
    names = sorted(p.name for p in (tmp_path / "new").iterdir())
    assert names == [DB_FILENAME]  # no temporary file left, no 0-byte stage


def test_no_descriptor_of_the_data_file_outside_sqlite_once_connected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing any descriptor of the file drops the process's SQLite locks (the cause of
    the two-process corruption), so once connected nothing else may open it."""
    store = open_store(tmp_path)
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        opened.append(self.name)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", spy)
    try:
        store.reopen().close()
        open_store(tmp_path).close()  # a second open in the same process
        assert DB_FILENAME not in opened
    finally:
        store.close()


def test_commit_failure_rolls_back(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        with pytest.raises(database.StoreError), store.write() as db:
            db.execute("PRAGMA defer_foreign_keys = ON")
            db.execute("INSERT INTO run (start, day, shoe_id) VALUES ('x', '2026-01-01', 99)")
        assert not store.conn.in_transaction
        assert store.conn.execute("SELECT count(*) FROM run").fetchone()[0] == 0
        pain_store.add_pain_entry(store, ENTRY)  # the next write is not tangled with it
    finally:
        store.close()


def test_disk_full_is_said_and_keeps_what_was_saved(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        kept = _fill(store, 3)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DiskFullError, match="is full"):
            pain_store.import_pain_entries(
                store,
                [
                    PainEntry(day=date(2025, 2, 1), intensity=1, note=f"{i}" * 1500)
                    for i in range(50)
                ],
            )
        assert [e.id for e in pain_store.list_pain_entries(store)] == kept
    finally:
        store.close()


def test_busy_from_our_own_worker_does_not_blame_another_program(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    worker = store.reopen()
    try:
        worker.conn.execute("PRAGMA busy_timeout = 20")
        store.conn.execute("PRAGMA busy_timeout = 20")
        with store.write(), pytest.raises(BusyError, match="Backstride is still saving"):
            pain_store.add_pain_entry(worker, ENTRY)
        other = sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(BusyError, match="another program"):
                pain_store.add_pain_entry(store, ENTRY)
        finally:
            other.rollback()
            other.close()
    finally:
        worker.close()
        store.close()


def test_moved_folder_is_detected_and_never_recreated(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = open_store(folder)
    try:
        pain_store.add_pain_entry(store, ENTRY)
        folder.rename(tmp_path / "moved")
        with pytest.raises(MovedError, match="moved or been deleted"):
            pain_store.add_pain_entry(store, ENTRY)
        with pytest.raises(MovedError):
            store.reopen()  # what a worker (Insights' "Analyse again") does
        assert not folder.exists()
        store.relocate(tmp_path / "moved" / DB_FILENAME)
        pain_store.add_pain_entry(store, ENTRY)
        assert len(pain_store.list_pain_entries(store)) == 2
    finally:
        store.close()


def test_replaced_file_counts_as_moved(tmp_path: Path) -> None:
    store = open_store(tmp_path / "a")
    try:
        open_store(tmp_path / "b").close()
        os.replace(tmp_path / "b" / DB_FILENAME, tmp_path / "a" / DB_FILENAME)
        with pytest.raises(MovedError, match="another file has taken its place"):
            pain_store.add_pain_entry(store, ENTRY)
    finally:
        store.close()


def test_damaged_file_over_the_check_limit_takes_no_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _damaged_folder(tmp_path)
    before = (folder / DB_FILENAME).read_bytes()
    monkeypatch.setattr(database, "QUICK_CHECK_MAX_BYTES", 1024)  # "a big file"
    store = open_store(folder)  # opens: not checked at start
    try:
        with pytest.raises(DamagedError, match="damaged"):
            pain_store.add_pain_entry(store, ENTRY)
        with pytest.raises(DamagedError):
            pain_store.add_pain_entry(store, ENTRY)
    finally:
        store.close()
    assert (folder / DB_FILENAME).read_bytes() == before


def test_cli_import_refuses_a_big_damaged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from backstride.cli import main

    folder = _damaged_folder(tmp_path / "data")
    before = (folder / DB_FILENAME).read_bytes()
    monkeypatch.setattr(database, "QUICK_CHECK_MAX_BYTES", 1024)
    gpx = Path(__file__).parents[1] / "data" / "gpx" / "cerknicko-jezero.gpx"
    code = main(["--data-dir", str(folder), "import", str(gpx)])
    assert code == 1
    assert "damaged" in capsys.readouterr().err
    assert (folder / DB_FILENAME).read_bytes() == before


# -- read-only folders and files: root ignores permissions, so run as another user ------
def _as_nobody() -> bool:
    return os.geteuid() == 0 and shutil.which("setpriv") is not None


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="backstride-ro-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    for root, dirs, _files in os.walk(folder):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
    shutil.rmtree(folder, ignore_errors=True)


def _open_as_user(data_dir: Path) -> str:
    """Open the store in a child process as a non-root user; returns what it printed."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from backstride.store.database import open_store, StoreError\n"
        "try:\n"
        f"    open_store(Path({str(data_dir)!r})).close()\n"
        "    print('opened')\n"
        "except StoreError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    cmd = [sys.executable, "-c", code]
    if _as_nobody():
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    env = {**os.environ, "HOME": str(data_dir.parent)}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _own_by_runner(path: Path) -> None:
    if _as_nobody():
        for root, dirs, files in os.walk(path):
            for name in [*dirs, *files]:
                os.chown(os.path.join(root, name), 65534, 65534)
        os.chown(path, 65534, 65534)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_folder_is_not_called_damaged(shared_tmp: Path) -> None:
    data = shared_tmp / "data"
    open_store(data).close()
    _own_by_runner(data)
    data.chmod(0o555)
    out = _open_as_user(data)
    assert out.startswith("ReadOnlyError"), out
    assert "folder" in out and "read-only" in out and "damaged" not in out


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_file_is_not_called_damaged(shared_tmp: Path) -> None:
    data = shared_tmp / "data"
    open_store(data).close()
    _own_by_runner(data)
    (data / DB_FILENAME).chmod(0o400)
    out = _open_as_user(data)
    assert out.startswith("ReadOnlyError"), out
    assert "data file" in out and "damaged" not in out


def test_immutable_folder_is_read_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    if shutil.which("chattr") is None:
        pytest.skip("no chattr")
    made = subprocess.run(["chattr", "+i", str(data)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("this file system or sandbox cannot make a folder immutable")
    try:
        with pytest.raises(ReadOnlyError, match="read-only"):
            open_store(data)
    finally:
        subprocess.run(["chattr", "-i", str(data)], check=True)


def test_open_without_create_never_makes_a_file(tmp_path: Path) -> None:
    with pytest.raises(MovedError):
        open_store_file(tmp_path / DB_FILENAME, create=False)
    assert not (tmp_path / DB_FILENAME).exists()


def test_a_run_exported_with_another_offset_is_the_same_run(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from backstride.core.models import Run
    from backstride.store import runs as run_store

    store = open_store(tmp_path)
    try:
        start = datetime(2025, 5, 1, 7, 0, tzinfo=timezone(timedelta(hours=4)))
        run = Run(start=start, distance_m=10_000.0, moving_time_s=3000.0, source="fit")
        run_store.add_run(store, run)
        elsewhere = start.astimezone(timezone(timedelta(hours=-5)))  # another zone's export
        assert run_store.import_runs(
            store, [Run(start=elsewhere, distance_m=10_000.0, moving_time_s=3000.0, source="fit")]
        ) == (0, 1)
    finally:
        store.close()


def test_gui_refuses_an_empty_data_folder_setting_in_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os as _os

    from backstride.ui.app import run_gui

    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", "")
    _os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    assert run_gui(None, smoke=True) == 1
    assert "backstride:" in capsys.readouterr().err
