"""`make dist` builds the app folder, and the built app works (packaging/smoke.sh).

Slow: 44-52 s here, most of it PyInstaller (see packaging/README.md); outside the
default `make test`. Run it with `.venv/bin/python -m pytest -m slow tests/packaging`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backstride.preflight import EXIT_MISSING_LIBRARIES

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dist" / "backstride" / "backstride"
SIZE_LIMIT_MIB = 200  # 193 MiB now (du -sh); packaging/README.md says what is in it

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux folder"),
]


@pytest.fixture(scope="module")
def built() -> Path:
    result = subprocess.run(
        ["make", "--no-print-directory", "dist"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert APP.is_file()
    return APP


def test_the_build_makes_a_wheel_an_sdist_and_an_app_folder(built: Path) -> None:
    names = sorted(p.name for p in (ROOT / "dist").iterdir())
    assert any(n.endswith(".whl") for n in names)
    assert any(n.endswith(".tar.gz") for n in names)
    size = sum(
        p.stat().st_size for p in built.parent.rglob("*") if p.is_file() and not p.is_symlink()
    )
    assert size < SIZE_LIMIT_MIB * 2**20, f"the app folder grew to {size / 2**20:.0f} MiB"
    internal = built.parent / "_internal"
    assert not list(internal.rglob("*Qt6Quick*")) and not list(internal.rglob("*Qt6Qml*"))
    assert not list(internal.rglob("*.qm"))  # no Qt translations: the app is in English
    assert (internal / "backstride" / "migrations" / "0001_initial.sql").is_file()
    assert (internal / "backstride" / "resources" / "icons" / "backstride.svg").is_file()


def test_the_smoke_script_passes(built: Path) -> None:
    result = subprocess.run(
        [str(ROOT / "packaging" / "smoke.sh"), str(built)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("smoke: all passed")


def test_the_built_app_names_a_missing_library(built: Path, tmp_path: Path) -> None:
    """The frozen app's own xcb plugin, with one library name changed to one that exists
    nowhere: the app says so and exits with the documented status instead of aborting."""
    qt = built.parent / "_internal" / "PySide6" / "Qt"
    plugins = tmp_path / "Qt" / "plugins" / "platforms"
    plugins.mkdir(parents=True)
    (tmp_path / "Qt" / "lib").symlink_to(qt / "lib")
    data = (qt / "plugins" / "platforms" / "libqxcb.so").read_bytes()
    (plugins / "libqxcb.so").write_bytes(data.replace(b"libxcb-cursor.so.0", b"libxcb-cursXr.so.0"))
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env |= {
        "DISPLAY": ":99",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugins),
        "BACKSTRIDE_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [str(built), "--smoke"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == EXIT_MISSING_LIBRARIES, result.stderr
    assert "libxcb-cursXr.so.0 (package not known here)" in result.stderr
