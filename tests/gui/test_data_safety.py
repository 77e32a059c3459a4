"""The app side of data safety: outside changes shown, a moved folder found again, one
window per data folder, backups and restore with undo, recovery of a damaged file."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from backstride.core.models import PainEntry
from backstride.store import pain as pain_store
from backstride.store.backup import backup_before, check_store, list_backups
from backstride.store.database import DB_FILENAME, MovedError, Store, open_store
from backstride.ui import moved_dialog
from backstride.ui.app import create_window
from backstride.ui.backups_dialog import BackupsDialog, start_daily_backup
from backstride.ui.main_window import MainWindow
from backstride.ui.recovery_dialog import RecoveryDialog
from backstride.ui.single_instance import ask_running_to_show, claim

pytestmark = pytest.mark.gui
ENTRY = PainEntry(day=date(2026, 1, 2), intensity=3)


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:  # type: ignore[no-untyped-def]
    w = create_window(store)
    qtbot.addWidget(w)
    w.show()
    return w


def _rows(window: MainWindow) -> int:
    return window.diary.model.rowCount()


def test_a_cli_write_shows_up_within_two_seconds(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    window.diary.period.setCurrentIndex(window.diary.period.count() - 2)  # "All"
    before = pain_store.count_pain_entries(store)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from datetime import date\n"
            "from pathlib import Path\n"
            "from backstride.core.models import PainEntry\n"
            "from backstride.store.database import open_store\n"
            "from backstride.store.pain import add_pain_entry\n"
            f"s = open_store(Path({str(store.path.parent)!r}))\n"
            "add_pain_entry(s, PainEntry(day=date.today(), intensity=6))\n"
            "s.close()\n",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: window.diary.model.rowCount() == before + 1, timeout=2500)


def test_moved_folder_is_found_again(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pain_store.add_pain_entry(store, ENTRY)
    moved_to = tmp_path / "elsewhere"
    asked: list[str] = []

    def ask(_parent: object, error: MovedError) -> str:
        asked.append(str(error))
        return moved_dialog.LOCATE

    monkeypatch.setattr(moved_dialog, "ask_what_to_do", ask)
    monkeypatch.setattr(moved_dialog, "choose_new_location", lambda *_a: moved_to / DB_FILENAME)
    store.path.parent.rename(moved_to)
    window.watcher.check()
    assert asked and "moved" in asked[0]
    assert store.path == moved_to / DB_FILENAME
    pain_store.add_pain_entry(store, ENTRY)  # saving works again, into the moved file
    assert len(pain_store.list_pain_entries(store)) == 2
    assert not (tmp_path / "data").exists()  # nothing re-created at the old place


def test_moved_folder_not_located_saves_nothing(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(moved_dialog, "ask_what_to_do", lambda *_a: moved_dialog.LATER)
    store.path.parent.rename(tmp_path / "elsewhere")
    window.watcher.check()
    window.watcher.check()  # asked once per move, not every second
    assert "cannot be saved" in window.statusBar().currentMessage()
    assert not (tmp_path / "data").exists()


def test_second_start_brings_the_first_to_the_front(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    data.mkdir()
    guard = claim(data)
    assert guard is not None
    guard.listen()
    try:
        assert claim(data) is None  # a second app on the same folder
        with qtbot.waitSignal(guard.activate, timeout=3000):
            assert ask_running_to_show(data)
        other = tmp_path / "other"
        other.mkdir()
        second = claim(other)  # another folder is another diary: allowed
        assert second is not None
        second.release()
    finally:
        guard.release()
    again = claim(data)
    assert again is not None
    again.release()


def test_the_one_window_lock_follows_a_moved_data_folder(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """After Settings moved the data, a start on the new folder brings this window up
    instead of opening a second one, and the old folder is free again."""
    old, new, taken = tmp_path / "old", tmp_path / "new", tmp_path / "taken"
    for folder in (old, new, taken):
        folder.mkdir()
    guard = claim(old)
    assert guard is not None
    guard.listen()
    other = claim(taken)  # another app's folder: not followed there
    assert other is not None
    try:
        assert not guard.follow(taken)
        assert claim(old) is None  # the old lock is kept when the new one is not free
        assert guard.follow(new)
        assert claim(new) is None
        with qtbot.waitSignal(guard.activate, timeout=3000):
            assert ask_running_to_show(new)
        free = claim(old)
        assert free is not None
        free.release()
    finally:
        other.release()
        guard.release()


def test_second_process_start_asks_the_first(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    data.mkdir()
    guard = claim(data)
    assert guard is not None
    guard.listen()
    try:
        with qtbot.waitSignal(guard.activate, timeout=10000):
            process = subprocess.Popen(
                [sys.executable, "-m", "backstride", "--data-dir", str(data), "--smoke"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "already open" in out
        assert not (data / DB_FILENAME).exists()  # it never opened a second copy
    finally:
        guard.release()


def test_backups_dialog_backs_up_restores_and_undoes(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    pain_store.add_pain_entry(store, ENTRY)
    dialog = BackupsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.table.rowCount() == 0
    dialog.back_up()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.table.rowCount() == 1)
    assert "1 diary entries" in dialog.table.item(0, 3).text()
    pain_store.add_pain_entry(store, ENTRY)
    pain_store.add_pain_entry(store, ENTRY)
    monkeypatch.setattr(BackupsDialog, "confirm_restore", staticmethod(lambda *_a: True))
    dialog.table.selectRow(0)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.table.rowCount() == 2)
    assert pain_store.count_pain_entries(store) == 1
    assert "Undo restore" in dialog.status.text()
    assert dialog.undo_button.isEnabled()
    dialog.undo_restore()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.table.rowCount() == 3)
    assert pain_store.count_pain_entries(store) == 3
    dialog.close()


def test_backups_dialog_cannot_close_mid_task(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = BackupsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.back_up()
    if dialog.busy:
        dialog.close()
        assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy)
    dialog.close()
    assert not dialog.isVisible()


def test_daily_backup_at_start_once_a_day(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    said: list[str] = []
    task = start_daily_backup(window, window.ctx, said.append, today=date(2026, 5, 1))
    assert task is not None
    qtbot.waitUntil(lambda: bool(said))
    assert said[0].startswith("Backed up your data")
    assert len(list_backups(store.path.parent / "backups")) == 1
    assert start_daily_backup(window, window.ctx, said.append) is None  # already today


def _damage(data: Path) -> None:
    path = data / DB_FILENAME
    raw = bytearray(path.read_bytes())
    raw[4096 * 2 : 4096 * 2 + 2000] = b"\xff" * 2000
    path.write_bytes(bytes(raw))


def test_recovery_dialog_restores_the_newest_good_backup(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    store = open_store(data)
    for i in range(300):
        pain_store.add_pain_entry(
            store, PainEntry(day=date(2025, 1, 1), intensity=1, note=f"{i}" * 100)
        )
    backup_before(store, "manual")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    _damage(data)
    dialog = RecoveryDialog(data, "The data file is damaged.")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled())
    assert "300 diary entries" in dialog.backup_label.text()
    dialog.restore_newest()
    qtbot.waitUntil(lambda: dialog.recovered)
    assert "kept as" in dialog.status.text()
    reopened = open_store(data)
    try:
        assert pain_store.count_pain_entries(reopened) == 300
    finally:
        reopened.close()
    assert any(p.name.startswith(f"{DB_FILENAME}.damaged-") for p in data.iterdir())


def test_recovery_dialog_salvages_without_a_backup(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    store = open_store(data)
    for i in range(300):
        pain_store.add_pain_entry(
            store, PainEntry(day=date(2025, 1, 1), intensity=1, note=f"{i}" * 100)
        )
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    _damage(data)
    dialog = RecoveryDialog(data, "The data file is damaged.")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "no good backup" in dialog.backup_label.text())
    assert not dialog.restore_button.isEnabled()
    dialog.salvage()
    qtbot.waitUntil(lambda: dialog.recovered, timeout=10000)
    assert "Saved" in dialog.status.text()
    reopened = open_store(data)
    try:
        saved = pain_store.count_pain_entries(reopened)
        assert 0 < saved <= 300 and f"{saved}" in dialog.status.text()
        assert check_store(reopened).ok
    finally:
        reopened.close()
    assert any(p.name.startswith(f"{DB_FILENAME}.damaged-") for p in data.iterdir())


def test_export_from_the_app_runs_off_the_gui_thread(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, store: Store, tmp_path: Path
) -> None:
    pain_store.add_pain_entry(store, ENTRY)
    window.export_to(tmp_path / "all.json", as_json=True)
    qtbot.waitUntil(lambda: "Exported all.json" in window.statusBar().currentMessage())
    import json

    assert json.loads((tmp_path / "all.json").read_text())["pain"][0]["intensity"] == 3
    window.export_to(tmp_path / "csv", as_json=False)
    qtbot.waitUntil(lambda: "pain.csv (1 rows)" in window.statusBar().currentMessage())


def test_importing_an_export_backs_up_first(tmp_path: Path) -> None:
    from backstride.cli import main

    data = tmp_path / "data"
    store = open_store(data)
    pain_store.add_pain_entry(store, ENTRY)
    store.close()
    assert main(["--data-dir", str(data), "export", str(tmp_path / "all.json")]) == 0
    assert main(["--data-dir", str(data), "import", str(tmp_path / "all.json")]) == 0
    (made,) = list_backups(data / "backups")
    assert made.reason == "import"
