"""The Linux desktop entry, the AppStream file, the icons and `make install-desktop`."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from backstride import APP_ID
from backstride.core.resources import resource

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install desktop-file-utils appstream)")
    return path


def test_desktop_entry_is_valid() -> None:
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_metainfo_is_valid() -> None:
    # --no-net: the screenshot addresses are the repository's placeholder (see the file).
    result = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation was successful" in result.stdout


def test_one_id_everywhere() -> None:
    entry = dict(
        line.split("=", 1)
        for line in DESKTOP.read_text(encoding="utf-8").splitlines()
        if "=" in line
    )
    assert entry["Icon"] == APP_ID
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    spec = (ROOT / "packaging" / "backstride.spec").read_text(encoding="utf-8")
    assert "bundle_identifier=APP_ID" in spec
    assert f"app_id={APP_ID}" in (LINUX / "install-desktop.sh").read_text(encoding="utf-8")


def test_every_screenshot_of_the_metainfo_is_in_docs() -> None:
    images = [e.text or "" for e in ET.parse(METAINFO).getroot().iter("image")]
    assert images
    for url in images:
        assert url.startswith("https://raw.githubusercontent.com/"), url
        name = url.split("/docs/screenshots/", 1)[1]
        assert (ROOT / "docs" / "screenshots" / name).is_file(), name


def test_the_release_is_the_app_version() -> None:
    from backstride import __version__

    versions = [r.get("version") for r in ET.parse(METAINFO).getroot().iter("release")]
    assert versions[0] == __version__


@pytest.mark.parametrize("size", HICOLOR_SIZES)
def test_hicolor_icons_have_their_size(size: int) -> None:
    path = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    with Image.open(path) as image:
        assert image.size == (size, size)
        assert image.mode == "RGBA"


def test_windows_and_macos_icons_hold_every_size() -> None:
    with Image.open(ROOT / "packaging" / "windows" / "backstride.ico") as ico:
        assert set(ico.info["sizes"]) >= {(s, s) for s in (16, 24, 32, 48, 256)}
    with Image.open(ROOT / "packaging" / "macos" / "backstride.icns") as icns:
        assert {(s, s, 1) for s in (128, 256, 512)} <= set(icns.info["sizes"])


def test_the_icons_are_rendered_from_the_current_svg(tmp_path: Path) -> None:
    """make icons was run after the last change of the SVG (the scalable copy is the SVG)."""
    scalable = LINUX / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == resource("icons", "backstride.svg").read_bytes()


def test_install_desktop_into_a_prefix(tmp_path: Path) -> None:
    app = tmp_path / "opt" / "backstride"
    env = {**os.environ, "DESTDIR": str(tmp_path / "root"), "PREFIX": "/usr/local"}
    result = subprocess.run(
        ["make", "--no-print-directory", "install-desktop", f"APP_EXEC={app}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    share = tmp_path / "root" / "usr" / "local" / "share"
    installed = share / "applications" / DESKTOP.name
    assert f"Exec={app}\n" in installed.read_text(encoding="utf-8")
    assert (share / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    for size in HICOLOR_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert not (Path.home() / ".local" / "share" / "applications" / DESKTOP.name).exists()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True)
        assert check.returncode == 0, check.stdout


def test_install_desktop_refuses_a_relative_program(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(LINUX / "install-desktop.sh"), str(tmp_path / "p"), "dist/backstride/backstride"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "EXEC must be an absolute path" in result.stderr
    assert not (tmp_path / "p").exists()


@pytest.mark.gui
def test_the_window_icon_is_the_svg(qapp: object) -> None:
    from PySide6.QtWidgets import QApplication

    from backstride.ui.app import set_window_icon

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    set_window_icon(app)
    image = app.windowIcon().pixmap(16, 16).toImage()
    assert image.width() == 16
    # The centre of the tile is the icon's teal (#0d6e6e), not a blank or fallback icon.
    centre = image.pixelColor(4, 8)
    assert (centre.red(), centre.green(), centre.blue()) == (0x0D, 0x6E, 0x6E)
