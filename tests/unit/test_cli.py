from __future__ import annotations

import re
from pathlib import Path

import pytest

from backstride.cli import build_parser, main

HEADER = "date,time,intensity,regions,timing,quality,stiffness_min,worse,helped,medication,note\n"


def test_export_import_round_trip_via_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "pain.csv"
    src.write_text(
        HEADER
        + '2026-02-01,07:30,4,lower_back_centre;saddle,on_waking,aching,15,sitting,heat,,"a, b"\n',
        encoding="utf-8",
    )
    assert main(["--data-dir", str(tmp_path / "d"), "import", str(src)]) == 0
    assert "imported 1 rows" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "d"), "export", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "pain.csv").read_text(encoding="utf-8").replace(
        "\r\n", "\n"
    ) == src.read_text(encoding="utf-8")


def test_bad_file_exits_non_zero_with_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "pain.csv"
    src.write_text(HEADER + "2026-02-01,,4,,,,,,,,\n2026-02-02,,11,,,,,,,,\n", encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "d"), "import", str(src)]) == 1
    err = capsys.readouterr().err
    assert "line 3" in err and "'intensity'" in err
    assert main(["--data-dir", str(tmp_path / "d"), "export", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "pain.csv").read_text(encoding="utf-8").strip() == HEADER.strip()


def test_missing_file_and_wrong_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "import", str(tmp_path / "nope" / "pain.csv")]) == 1
    assert "No such file" in capsys.readouterr().err
    other = tmp_path / "diary.csv"
    other.write_text(HEADER, encoding="utf-8")
    assert main(["--data-dir", str(tmp_path), "import", str(other)]) == 1
    assert "unknown file name" in capsys.readouterr().err


def test_env_var_chooses_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKSTRIDE_DATA_DIR", str(tmp_path / "envdir"))
    assert main(["export", str(tmp_path / "out")]) == 0
    assert (tmp_path / "envdir" / "backstride.sqlite3").exists()


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert re.search(rf"backstride[^\n]* {name}\b", readme), (
            f"README does not document '{name}'"
        )
