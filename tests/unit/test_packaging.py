"""The built wheel carries resources/ and db/, and the installed app starts offscreen."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT / "desktop").parts)
        for p in (ROOT / "desktop" / "backstride").rglob("__init__.py")
    }
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"


@pytest.mark.slow
def test_wheel_installs_and_smoke_starts(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--skip-dependency-check",
            "--outdir",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    wheel = next((tmp_path / "dist").glob("backstride-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "backstride/migrations/0001_initial.sql" in names
    assert any(
        n.startswith("backstride/resources/") and n.endswith(".toml") for n in names
    ) or not any((ROOT / "resources").rglob("*.toml"))

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Dependencies come from the test's own environment (no network); the editable
    # checkout's path hook is not loaded because .pth files of that folder are not run.
    Path(purelib, "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "BACKSTRIDE_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [str(env_dir / "bin" / "backstride"), "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("started in ")
    located = subprocess.run(
        [str(py), "-c", "import backstride; print(backstride.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert str(env_dir) in located
