"""Recovery of a damaged data file, with real damage: pages of a real store are overwritten."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from backstride.core.demo import generate_demo
from backstride.core.models import PainEntry, ProfilePoint, Run
from backstride.store import recovery
from backstride.store.database import DB_FILENAME, StoreError, open_store, open_store_file
from backstride.store.demo import fill_demo
from backstride.store.pain import add_pain_entry
from backstride.store.recovery import SalvageReport, TableSalvage, salvage, set_aside
from backstride.store.runs import add_runs, delete_run

NOW = datetime(2026, 12, 1, 8, 17, 15)
TABLES = ("pain_entry", "run", "run_profile", "habit_day", "shoe", "assessment", "meta")
SHOE_ID = 20  # run.shoe_id in a row of _rows
_DEMO = generate_demo(120, seed=3, end=date(2026, 11, 30))


def _profile_runs() -> list[Run]:
    """Runs with profiles: most fit several to a page, every tenth spills to overflow pages."""
    runs = []
    for i in range(40):
        points = 600 if i % 10 == 9 else 25
        runs.append(
            Run(
                start=datetime(2026, 6, 1, 7, 0, tzinfo=UTC) + timedelta(days=i),
                distance_m=5000.0 + i,
                shoe="Trail" if i % 2 else None,
                source=f"track{i}.fit",
                profile=tuple(
                    ProfilePoint(10.0 * k, 28.0 * k, 100.0 + k % 7, 330.0, 170.0, 150.0)
                    for k in range(points)
                ),
            )
        )
    return runs


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A realistic store, checkpointed and closed: the whole file is in the main file."""
    store = open_store(tmp_path_factory.mktemp("template"))
    fill_demo(store, _DEMO, "recovery test")
    add_runs(store, _profile_runs(), create_shoes=True)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return store.path


def _filled(template: Path, folder: Path) -> Path:
    """A copy of the template store in folder (the copy is what a test damages)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, folder / DB_FILENAME)
    return folder / DB_FILENAME


def _read_only(path: Path) -> sqlite3.Connection:
    """A look at a file (no WAL in these) that creates nothing beside it."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)


def _rows(path: Path) -> dict[str, dict[int, tuple[Any, ...]]]:
    conn = _read_only(path)
    try:
        return {
            t: {r[0]: tuple(r[1:]) for r in conn.execute(f"SELECT rowid, * FROM {t}")}
            for t in TABLES
        }
    finally:
        conn.close()


def _pages(path: Path, name: str, pagetype: str) -> list[tuple[int, int]]:
    """(page number, cells) of one table's b-tree pages of a kind, in key order (dbstat)."""
    conn = _read_only(path)
    try:
        return conn.execute(
            "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY path",
            [name, pagetype],
        ).fetchall()
    finally:
        conn.close()


def _root(path: Path, table: str) -> int:
    conn = _read_only(path)
    try:
        return int(
            conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", [table]).fetchone()[0]
        )
    finally:
        conn.close()


def _scribble(path: Path, page: int, size: int = 4096) -> None:
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(bytes((i * 37 + 11) % 256 for i in range(size)))


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _assert_saved_exactly(
    before: dict[str, dict[int, tuple[Any, ...]]], dest: Path, report: SalvageReport
) -> dict[str, dict[int, tuple[Any, ...]]]:
    """Every row in dest is an original row, and saved + lost is what was written."""
    after = _rows(dest)
    for table in TABLES:
        t = report.tables[table]
        assert t.saved == len(after[table])
        for rowid, row in after[table].items():
            if table == "run" and row[SHOE_ID] is None:  # a run may lose its shoe link
                row = (*row[:SHOE_ID], before[table][rowid][SHOE_ID], *row[SHOE_ID + 1 :])
            assert before[table][rowid] == row, table
        if t.lost is not None and t.unreadable_at_most:
            assert t.saved + t.lost >= len(before[table]), table
        elif t.lost is not None:
            assert t.saved + t.lost == len(before[table]), table
    return after


@pytest.mark.parametrize("leaf", [0, 1, -1], ids=["first", "middle", "last"])
def test_salvage_keeps_every_row_around_a_damaged_diary_page(
    template: Path, tmp_path: Path, leaf: int
) -> None:
    path = _filled(template, tmp_path / "data")
    before = _rows(path)
    page, cells = _pages(path, "pain_entry", "leaf")[leaf]
    _scribble(path, page)
    files = _digest(path.parent)

    report = salvage(path, tmp_path / "new" / DB_FILENAME)

    assert _digest(path.parent) == files  # nothing changed or created beside the damaged file
    pain = report.tables["pain_entry"]
    assert pain.unreadable == cells > 0
    assert pain.saved == len(before["pain_entry"]) - cells
    after = _assert_saved_exactly(before, tmp_path / "new" / DB_FILENAME, report)
    for table in TABLES[1:]:
        assert report.tables[table].lost == 0
        assert after[table] == before[table]
    assert _integrity(tmp_path / "new" / DB_FILENAME) == "ok"
    open_store_file(tmp_path / "new" / DB_FILENAME).close()  # passes the checks at start
    total = len(before["pain_entry"])
    assert report.text().startswith(
        f"Saved {total - cells} of {total} diary entries, {len(before['run'])} runs"
    )
    lost = before["pain_entry"].keys() - after["pain_entry"].keys()
    assert pain.lost_days == tuple(sorted({before["pain_entry"][i][1] for i in lost}))
    assert f"{cells} diary entries could not be read (from " in report.text()


def test_damage_in_a_table_without_index_is_counted_by_probing(
    template: Path, tmp_path: Path
) -> None:
    path = _filled(template, tmp_path)
    before = _rows(path)
    leaf, cells = _pages(path, "run_profile", "leaf")[2]
    overflow, _ = _pages(path, "run_profile", "overflow")[3]
    _scribble(path, leaf)
    _scribble(path, overflow)  # one big profile loses part of its text

    report = salvage(path, tmp_path / "new.sqlite3")

    profiles = report.tables["run_profile"]
    assert profiles.unreadable == cells + 1
    _assert_saved_exactly(before, tmp_path / "new.sqlite3", report)
    assert all(report.tables[t].lost == 0 for t in TABLES if t != "run_profile")
    assert _integrity(tmp_path / "new.sqlite3") == "ok"


def test_unreadable_root_pages(template: Path, tmp_path: Path) -> None:
    path = _filled(template, tmp_path)
    before = _rows(path)
    _scribble(path, _root(path, "pain_entry"))  # an index still lists its rows
    _scribble(path, _root(path, "run_profile"))  # nothing says how many rows it had

    report = salvage(path, tmp_path / "new.sqlite3")

    assert report.tables["pain_entry"].saved == 0
    assert report.tables["pain_entry"].lost == len(before["pain_entry"])
    assert report.tables["run_profile"].saved == 0
    assert report.tables["run_profile"].lost is None
    assert report.tables["run"].lost == 0
    text = report.text()
    assert f"Saved 0 of {len(before['pain_entry'])} diary entries" in text
    assert "No run profiles could be read, and how many there were is not known." in text
    _assert_saved_exactly(before, tmp_path / "new.sqlite3", report)
    assert _integrity(tmp_path / "new.sqlite3") == "ok"


def test_damaged_schema_entry_costs_only_its_table(template: Path, tmp_path: Path) -> None:
    path = _filled(template, tmp_path)
    before = _rows(path)
    data = path.read_bytes()
    with path.open("r+b") as f:  # the SQL text of two schema entries
        f.seek(data.index(b"CREATE INDEX run_day") + 7)
        f.write(b"\xf8\xf8 garbage")
        f.seek(data.index(b"CREATE TABLE assessment") + 7)
        f.write(b"\xf8\xf8 garbage")

    report = salvage(path, tmp_path / "new.sqlite3")

    assert report.tables["assessment"].lost is None  # empty here, but that cannot be known
    assert all(report.tables[t].lost == 0 for t in TABLES if t != "assessment")
    assert _rows(tmp_path / "new.sqlite3") == before


def test_damaged_index_costs_nothing(template: Path, tmp_path: Path) -> None:
    path = _filled(template, tmp_path)
    before = _rows(path)
    _scribble(path, _pages(path, "pain_entry_day", "leaf")[0][0])

    report = salvage(path, tmp_path / "new.sqlite3")

    assert report.complete
    assert report.text().endswith("Nothing was lost.")
    assert _rows(tmp_path / "new.sqlite3") == before
    assert _integrity(tmp_path / "new.sqlite3") == "ok"  # the index is built anew


@pytest.mark.parametrize("damage", ["header", "first page"])
def test_damaged_header_saves_nothing_and_says_so(
    template: Path, tmp_path: Path, damage: str
) -> None:
    path = _filled(template, tmp_path)
    if damage == "header":
        with path.open("r+b") as f:
            f.write(b"\x00" * 100)
    else:
        _scribble(path, 1)
    files = _digest(tmp_path)

    report = salvage(path, tmp_path / "new.sqlite3")

    assert _digest(tmp_path) == {**files, "new.sqlite3": _digest(tmp_path)["new.sqlite3"]}
    assert report.saved == 0
    assert all(t.lost is None for t in report.tables.values())
    assert report.text().startswith("Nothing could be read from the damaged file")
    assert _integrity(tmp_path / "new.sqlite3") == "ok"


def test_lost_runs_take_their_profiles_and_lost_shoes_are_unlinked(
    template: Path, tmp_path: Path
) -> None:
    path = _filled(template, tmp_path)
    before = _rows(path)
    runs = _pages(path, "run", "leaf")
    page, cells = runs[-1]  # the newest runs: the ones with profiles
    _scribble(path, page)
    _scribble(path, _root(path, "shoe"))  # the shoe table is one page

    report = salvage(path, tmp_path / "new.sqlite3")
    after = _rows(tmp_path / "new.sqlite3")

    lost_runs = before["run"].keys() - after["run"].keys()
    assert report.tables["run"].lost == len(lost_runs) == cells
    orphans = before["run_profile"].keys() & lost_runs
    assert orphans
    assert report.tables["run_profile"].orphaned == len(orphans)
    assert report.tables["run_profile"].lost == len(orphans)
    assert after["run_profile"].keys() == before["run_profile"].keys() - lost_runs
    assert report.tables["shoe"].saved == 0
    assert report.tables["shoe"].lost == len(before["shoe"])  # counted by the name index
    with_shoe = [r for r in after["run"] if before["run"][r][SHOE_ID] is not None]
    assert with_shoe
    assert report.tables["run"].unlinked == len(with_shoe)
    assert all(row[SHOE_ID] is None for row in after["run"].values())
    _assert_saved_exactly(before, tmp_path / "new.sqlite3", report)
    text = report.text()
    assert f"{len(orphans)} run profiles referred to a lost record and were left out." in text
    assert f"{len(with_shoe)} runs were saved without the shoe they referred to" in text
    assert _integrity(tmp_path / "new.sqlite3") == "ok"


def test_rows_out_of_range_for_the_new_file_are_counted_lost(
    template: Path, tmp_path: Path
) -> None:
    path = _filled(template, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("INSERT INTO pain_entry (day, intensity) VALUES ('2026-11-30', 42)")
    conn.commit()
    conn.close()

    report = salvage(path, tmp_path / "new.sqlite3")

    pain = report.tables["pain_entry"]
    assert (pain.unreadable, pain.invalid, pain.lost) == (0, 1, 1)
    assert "1 diary entry held damaged values and was left out." in report.text()


def test_rows_only_in_the_wal_survive_a_crash_set_aside_and_salvage(tmp_path: Path) -> None:
    store = open_store(tmp_path / "live")
    add_pain_entry(store, PainEntry(day=date(2026, 11, 1), intensity=3))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for day in range(2, 12):
        add_pain_entry(store, PainEntry(day=date(2026, 11, day), intensity=day % 10))
    crash = tmp_path / "crash"
    crash.mkdir()
    for suffix in ("", "-wal", "-shm"):  # the files as a crash leaves them
        shutil.copyfile(store.path.with_name(DB_FILENAME + suffix), crash / (DB_FILENAME + suffix))
    store.close()
    main_only = tmp_path / "main-only.sqlite3"
    shutil.copyfile(crash / DB_FILENAME, main_only)
    assert len(_rows(main_only)["pain_entry"]) == 1  # the other ten live only in the WAL

    aside = set_aside(crash / DB_FILENAME, NOW)

    assert aside.name == "backstride.sqlite3.damaged-2026-12-01-081715"
    assert sorted(p.name for p in crash.iterdir()) == [
        aside.name,
        aside.name + "-shm",
        aside.name + "-wal",
    ]
    wal = hashlib.sha256((crash / (aside.name + "-wal")).read_bytes()).hexdigest()
    main = hashlib.sha256(aside.read_bytes()).hexdigest()
    report = salvage(aside, tmp_path / "new.sqlite3")
    assert report.tables["pain_entry"].saved == 11
    assert report.complete and not report.wal_ignored
    assert report.text() == "Saved 11 diary entries. Nothing was lost."
    assert hashlib.sha256(aside.read_bytes()).hexdigest() == main
    assert hashlib.sha256((crash / (aside.name + "-wal")).read_bytes()).hexdigest() == wal


def test_wal_that_cannot_be_read_is_said(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _filled(template, tmp_path)
    (tmp_path / (DB_FILENAME + "-wal")).write_bytes(b"")
    real = recovery._connect_read_only

    def no_shm(p: Path, immutable: bool) -> sqlite3.Connection:
        if not immutable:
            raise sqlite3.OperationalError("unable to open database file")
        return real(p, immutable)

    monkeypatch.setattr(recovery, "_connect_read_only", no_shm)
    report = salvage(path, tmp_path / "new.sqlite3")
    assert report.wal_ignored and not report.complete
    assert report.text().endswith("before the damage could not be read.")


def _fake_store_files(folder: Path) -> dict[str, bytes]:
    files = {DB_FILENAME: b"main", DB_FILENAME + "-wal": b"wal", DB_FILENAME + "-shm": b"shm"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def test_set_aside_never_overwrites(tmp_path: Path) -> None:
    _fake_store_files(tmp_path)
    base = f"{DB_FILENAME}.damaged-2026-12-01-081715"
    (tmp_path / base).write_bytes(b"earlier")
    (tmp_path / f"{base}-2-wal").write_bytes(b"stray")  # would be read as the -2 file's WAL

    aside = set_aside(tmp_path / DB_FILENAME, NOW)

    assert aside == tmp_path / f"{base}-3"
    contents = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert contents == {
        base: b"earlier",
        f"{base}-2-wal": b"stray",
        f"{base}-3": b"main",
        f"{base}-3-wal": b"wal",
        f"{base}-3-shm": b"shm",
    }


def test_set_aside_loses_a_race_without_clobbering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_store_files(tmp_path)
    real_link = os.link
    base = tmp_path / f"{DB_FILENAME}.damaged-2026-12-01-081715"

    def racing_link(src: Any, dst: Any, **kwargs: Any) -> None:
        if Path(dst) == base:  # another process takes the name between check and link
            base.write_bytes(b"racer")
        real_link(src, dst, **kwargs)

    monkeypatch.setattr(os, "link", racing_link)
    aside = set_aside(tmp_path / DB_FILENAME, NOW)

    assert aside.name == base.name + "-2"
    assert base.read_bytes() == b"racer"
    assert Path(f"{aside}-wal").read_bytes() == b"wal"


def test_set_aside_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_store_files(tmp_path)
    (tmp_path / f"{DB_FILENAME}.damaged-2026-12-01-081715-shm").write_bytes(b"stray")

    def no_links(src: Any, dst: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    aside = set_aside(tmp_path / DB_FILENAME, NOW)

    assert aside.name.endswith("-081715-2")
    assert aside.read_bytes() == b"main"
    assert Path(f"{aside}-wal").read_bytes() == b"wal"
    assert Path(f"{aside}-shm").read_bytes() == b"shm"
    assert not (tmp_path / DB_FILENAME).exists()
    assert not (tmp_path / (DB_FILENAME + "-wal")).exists()


def test_set_aside_that_cannot_remove_the_old_name_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _fake_store_files(tmp_path)
    real_unlink = os.unlink

    def held_open(path: Any) -> None:  # as on Windows while another program has it open
        if Path(path) == tmp_path / DB_FILENAME:
            raise PermissionError(errno.EACCES, "The file is in use")
        real_unlink(path)

    monkeypatch.setattr(os, "unlink", held_open)
    with pytest.raises(PermissionError):
        set_aside(tmp_path / DB_FILENAME, NOW)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files


def test_set_aside_of_a_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        set_aside(tmp_path / DB_FILENAME, NOW)


def test_salvage_refuses_an_existing_dest_and_a_newer_file(template: Path, tmp_path: Path) -> None:
    path = _filled(template, tmp_path)
    (tmp_path / "taken.sqlite3").write_bytes(b"mine")
    with pytest.raises(StoreError, match="already exists"):
        salvage(path, tmp_path / "taken.sqlite3")
    assert (tmp_path / "taken.sqlite3").read_bytes() == b"mine"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        salvage(path, tmp_path / "new.sqlite3")
    assert not (tmp_path / "new.sqlite3").exists()


def test_report_text_in_plain_words() -> None:
    report = SalvageReport(
        {
            "pain_entry": TableSalvage(
                "pain_entry",
                saved=1203,
                unreadable=3,
                lost_days=("2026-03-03", "2026-03-09", "2025-07-01"),
            ),
            "run": TableSalvage("run", saved=340),
            "run_profile": TableSalvage("run_profile", saved=0),
            "shoe": TableSalvage("shoe", saved=1, unreadable=None),
            "meta": TableSalvage("meta", saved=1),
        }
    )
    assert report.text() == (
        "Saved 1,203 of 1,206 diary entries, 340 runs, 1 shoe and 1 setting. "
        "3 diary entries could not be read (from 1 July 2025 and 3–9 March 2026). "
        "Some shoes could not be read, and how many is not known."
    )
    assert report.tables["shoe"].lost is None and report.saved == 1545
    assert SalvageReport({"run": TableSalvage("run")}).text() == (
        "The damaged file held no records to save."
    )


@pytest.mark.parametrize("leaf", [0, -1], ids=["first", "last"])
def test_damaged_end_page_without_index_gives_an_unknown_count(
    template: Path, tmp_path: Path, leaf: int
) -> None:
    """min(rowid) or max(rowid) unreadable: how many rows lay beyond is not known."""
    path = _filled(template, tmp_path)
    before = _rows(path)
    _scribble(path, _pages(path, "run_profile", "leaf")[leaf][0])

    report = salvage(path, tmp_path / "new.sqlite3")

    profiles = report.tables["run_profile"]
    assert 0 < profiles.saved < len(before["run_profile"])
    assert profiles.lost is None
    _assert_saved_exactly(before, tmp_path / "new.sqlite3", report)
    assert "Some run profiles could not be read, and how many is not known." in report.text()


def test_gaps_in_the_rowids_make_a_probed_count_an_upper_bound(
    template: Path, tmp_path: Path
) -> None:
    path = _filled(template, tmp_path)
    store = open_store(tmp_path)
    profiled = sorted(_rows(path)["run_profile"])
    for run_id in profiled[1::3]:  # deleted runs leave gaps in the ids
        delete_run(store, run_id)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    before = _rows(path)
    _scribble(path, _pages(path, "run_profile", "leaf")[1][0])

    report = salvage(path, tmp_path / "new.sqlite3")

    profiles = report.tables["run_profile"]
    assert profiles.unreadable_at_most
    assert profiles.saved + (profiles.lost or 0) > len(before["run_profile"])
    assert f"Up to {profiles.unreadable} run profiles could not be read." in report.text()
    assert f"{profiles.saved} run profiles" in report.text()
    _assert_saved_exactly(before, tmp_path / "new.sqlite3", report)


def test_random_damage_never_breaks_salvage(template: Path, tmp_path: Path) -> None:
    """Byte flips, scribbled and zeroed pages, truncation: salvage copes and counts."""
    clean = _filled(template, tmp_path / "clean")
    before = _rows(clean)
    size = clean.stat().st_size
    rng = random.Random(7)
    for case in range(6):
        path = tmp_path / f"case{case}" / DB_FILENAME
        path.parent.mkdir()
        shutil.copyfile(clean, path)
        with path.open("r+b") as f:
            kind = case % 4
            if kind == 0:
                for _ in range(rng.randrange(1, 20)):
                    f.seek(rng.randrange(100, size))
                    f.write(bytes([rng.randrange(256)]))
            elif kind == 1:
                f.truncate(rng.randrange(4096, size))
            else:
                f.seek(rng.randrange(1, size // 4096) * 4096)
                f.write(b"\0" * 4096 if kind == 2 else rng.randbytes(4096))

        report = salvage(path, path.with_name("new.sqlite3"))

        assert _integrity(path.with_name("new.sqlite3")) == "ok", case
        for table in TABLES:
            t = report.tables[table]
            if t.lost is None:
                continue
            if t.unreadable_at_most:
                assert t.saved + t.lost >= len(before[table]), (case, table)
            else:
                assert t.saved + t.lost == len(before[table]), (case, table)
