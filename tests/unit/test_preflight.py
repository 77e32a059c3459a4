"""The check before Qt starts: missing system libraries are named with their packages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from backstride import cli, preflight
from backstride.preflight import (
    DEBIAN_PACKAGES,
    EXIT_MISSING_LIBRARIES,
    Missing,
    check,
    message,
    not_found,
    planned_platforms,
)

LDD_OUTPUT = """\
/plugins/platforms/libqxcb.so:
\tlinux-vdso.so.1 (0x00007ffd5a1f2000)
\tlibQt6XcbQpa.so.6 => /plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f2c)
\tlibxcb-cursor.so.0 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2cdd21e000)
/lib/libQt6XcbQpa.so.6:
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibfoo-unknown.so.7 => not found
"""


class FakeLoader:
    """Stands in for the dynamic loader and ldd; records what was asked."""

    def __init__(self, failing: set[str], ldd_output: str = LDD_OUTPUT) -> None:
        self.failing = failing
        self.ldd_output = ldd_output
        self.loaded: list[str] = []
        self.ldd_calls: list[list[str]] = []

    def load(self, path: Path) -> str | None:
        self.loaded.append(path.name)
        if path.name in self.failing:
            return "libxcb-cursor.so.0: cannot open shared object file: No such file or directory"
        return None

    def ldd(self, paths: Sequence[Path]) -> str:
        self.ldd_calls.append([p.name for p in paths])
        return self.ldd_output


@pytest.fixture
def plugins(tmp_path: Path) -> Path:
    """A Qt layout with an xcb and a wayland plugin (empty files: the loader is faked)."""
    folder = tmp_path / "Qt" / "plugins" / "platforms"
    folder.mkdir(parents=True)
    (folder / "libqxcb.so").write_bytes(b"")
    (folder / "libqwayland.so").write_bytes(b"")
    (tmp_path / "Qt" / "lib").mkdir()
    (tmp_path / "Qt" / "lib" / "libQt6XcbQpa.so.6").write_bytes(b"")
    return folder


def x11_env(plugins: Path, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "DISPLAY": ":0",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugins),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        **extra,
    }


def test_ldd_output_gives_each_missing_library_once_in_order() -> None:
    assert not_found(LDD_OUTPUT) == [
        "libxcb-cursor.so.0",
        "libxkbcommon-x11.so.0",
        "libxcb-icccm.so.4",
        "libfoo-unknown.so.7",
    ]
    assert not_found("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n\tstatically linked\n") == []


@pytest.mark.parametrize(
    ("env", "planned"),
    [
        ({}, ["xcb"]),
        ({"QT_QPA_PLATFORM": "xcb"}, ["xcb"]),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, ["xcb"]),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, ["wayland", "xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0"}, ["wayland", "xcb"]),
        ({"XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "offscreen"}, []),
        ({"QT_QPA_PLATFORM": "minimal"}, []),
        ({"QT_QPA_PLATFORM": "xcb;offscreen"}, []),  # Qt may fall back to offscreen
    ],
)
def test_the_plugins_qt_will_try(env: dict[str, str], planned: list[str]) -> None:
    assert planned_platforms(env) == planned


@pytest.mark.parametrize(
    ("env_extra", "platform_name"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({"QT_QPA_PLATFORM": "minimal"}, "linux"),
        ({"DISPLAY": ""}, "linux"),  # no window system: Qt's own message says so
        ({}, "win32"),
        ({}, "darwin"),
    ],
)
def test_skipped_without_loading_anything(
    plugins: Path, tmp_path: Path, env_extra: dict[str, str], platform_name: str
) -> None:
    fake = FakeLoader(failing={"libqxcb.so"})
    env = x11_env(plugins, tmp_path, **env_extra)
    assert check(env, fake.load, fake.ldd, platform_name) == []
    assert (fake.loaded, fake.ldd_calls) == ([], [])


def test_a_plugin_that_loads_needs_no_ldd(plugins: Path, tmp_path: Path) -> None:
    fake = FakeLoader(failing=set())
    assert check(x11_env(plugins, tmp_path), fake.load, fake.ldd, "linux") == []
    assert fake.loaded == ["libqxcb.so"]
    assert fake.ldd_calls == []


def test_missing_libraries_are_listed_with_the_apt_get_line(plugins: Path, tmp_path: Path) -> None:
    fake = FakeLoader(failing={"libqxcb.so"})
    found = check(x11_env(plugins, tmp_path), fake.load, fake.ldd, "linux")
    assert found == [
        Missing(
            "xcb",
            (
                "libxcb-cursor.so.0",
                "libxkbcommon-x11.so.0",
                "libxcb-icccm.so.4",
                "libfoo-unknown.so.7",
            ),
        )
    ]
    # ldd looks at the plugin and at Qt's xcb integration library beside it.
    assert fake.ldd_calls == [["libqxcb.so", "libQt6XcbQpa.so.6"]]
    text = message(found)
    assert "sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4\n" in text
    assert "  libxcb-cursor.so.0 (package libxcb-cursor0)" in text
    assert "  libfoo-unknown.so.7 (package not known here)" in text
    assert "apt-file search libfoo-unknown.so.7" in text
    assert text.count("apt-get install") == 1


def test_without_ldd_the_loader_names_the_library(plugins: Path, tmp_path: Path) -> None:
    fake = FakeLoader(failing={"libqxcb.so"}, ldd_output="")
    found = check(x11_env(plugins, tmp_path), fake.load, fake.ldd, "linux")
    assert found == [Missing("xcb", ("libxcb-cursor.so.0",))]


def test_a_failure_that_is_not_a_missing_library_is_left_to_qt(
    plugins: Path, tmp_path: Path
) -> None:
    fake = FakeLoader(failing={"libqxcb.so"}, ldd_output="")
    fake.load = lambda path: "libqxcb.so: invalid ELF header"  # type: ignore[method-assign]
    assert check(x11_env(plugins, tmp_path), fake.load, fake.ldd, "linux") == []


def test_in_a_wayland_session_a_loading_wayland_plugin_is_enough(
    plugins: Path, tmp_path: Path
) -> None:
    fake = FakeLoader(failing={"libqxcb.so"})
    env = x11_env(plugins, tmp_path, WAYLAND_DISPLAY="wayland-0")
    assert check(env, fake.load, fake.ldd, "linux") == []
    assert fake.loaded == ["libqwayland.so"]


def test_without_a_wayland_plugin_the_xcb_one_is_checked(plugins: Path, tmp_path: Path) -> None:
    (plugins / "libqwayland.so").unlink()  # as in the app folder, which ships no Wayland
    fake = FakeLoader(failing={"libqxcb.so"})
    env = x11_env(plugins, tmp_path, WAYLAND_DISPLAY="wayland-0")
    assert [m.platform for m in check(env, fake.load, fake.ldd, "linux")] == ["xcb"]


def test_a_plugin_that_loaded_is_remembered_until_it_changes(plugins: Path, tmp_path: Path) -> None:
    env = x11_env(plugins, tmp_path)
    fake = FakeLoader(failing=set())
    assert check(env, fake.load, fake.ldd, "linux") == []
    assert check(env, fake.load, fake.ldd, "linux") == []
    assert fake.loaded == ["libqxcb.so"]  # the second start read the cache
    stat = (plugins / "libqxcb.so").stat()
    os.utime(plugins / "libqxcb.so", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    fake.failing = {"libqxcb.so"}
    assert check(env, fake.load, fake.ldd, "linux") != []


def test_a_failure_is_never_remembered(plugins: Path, tmp_path: Path) -> None:
    env = x11_env(plugins, tmp_path)
    fake = FakeLoader(failing={"libqxcb.so"})
    assert check(env, fake.load, fake.ldd, "linux") != []
    fake.failing = set()  # the runner installed the packages
    assert check(env, fake.load, fake.ldd, "linux") == []


def test_an_unwritable_cache_only_means_checking_again(plugins: Path, tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    fake = FakeLoader(failing=set())
    env = x11_env(plugins, tmp_path)
    assert check(env, fake.load, fake.ldd, "linux") == []
    assert check(env, fake.load, fake.ldd, "linux") == []
    assert fake.loaded == ["libqxcb.so", "libqxcb.so"]


def test_every_mapped_library_names_a_debian_package() -> None:
    for library, package in DEBIAN_PACKAGES.items():
        assert ".so." in library
        assert package == package.lower() and " " not in package


@pytest.mark.parametrize("argv", [[], ["--smoke"], ["--data-dir", "somewhere"]])
def test_opening_the_app_stops_before_qt_when_libraries_are_missing(
    monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.setattr(preflight, "preflight", lambda: EXIT_MISSING_LIBRARIES)

    def no_gui(*_args: object, **_kwargs: object) -> int:
        raise AssertionError("Qt must not start")

    import backstride.ui.app

    monkeypatch.setattr(backstride.ui.app, "run_gui", no_gui)
    assert cli.main(argv) == EXIT_MISSING_LIBRARIES


def test_the_real_loader_reports_a_missing_file(tmp_path: Path) -> None:
    error = preflight.loads(tmp_path / "libnothing-here.so.9")
    assert error is not None and "libnothing-here.so.9" in error


def _installed_xcb_plugin() -> Path | None:
    folder = preflight.plugins_folder({})
    plugin = folder / "libqxcb.so" if folder else None
    return plugin if plugin and plugin.is_file() else None


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("ldd") is None,
    reason="the xcb plugin and ldd exist on Linux only",
)
def test_a_real_plugin_missing_a_library_stops_with_the_message(tmp_path: Path) -> None:
    """This machine's xcb plugin, copied with one library name changed to one that exists
    nowhere: the app prints the message and exits with its status, no abort, no core."""
    plugin = _installed_xcb_plugin()
    if plugin is None:
        pytest.skip("PySide6 has no xcb plugin here")
    qt = tmp_path / "Qt"
    (qt / "plugins" / "platforms").mkdir(parents=True)
    (qt / "lib").symlink_to(plugin.parent.parent.parent / "lib")  # its RUNPATH: ../../lib
    data = plugin.read_bytes()
    assert data.count(b"libxcb-cursor.so.0") == 1
    (qt / "plugins" / "platforms" / "libqxcb.so").write_bytes(
        data.replace(b"libxcb-cursor.so.0", b"libxcb-cursXr.so.0")
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")
    }
    env |= {
        "DISPLAY": ":99",  # never reached: the check stops first
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(qt / "plugins" / "platforms"),
        "BACKSTRIDE_DATA_DIR": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "backstride", "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == EXIT_MISSING_LIBRARIES, result.stderr
    assert "  libxcb-cursXr.so.0 (package not known here)" in result.stderr
    assert "Aborted" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # stopped before anything else


def test_the_real_plugin_of_this_machine_agrees_with_ldd(tmp_path: Path) -> None:
    plugin = _installed_xcb_plugin()
    if plugin is None or not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        pytest.skip("PySide6 has no xcb plugin here")
    integration = plugin.parent.parent.parent / "lib" / preflight.XCB_INTEGRATION
    expected = not_found(preflight.run_ldd([plugin, integration]))
    env = {"DISPLAY": ":99", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    found = check(env)
    assert [lib for item in found for lib in item.libraries] == expected
