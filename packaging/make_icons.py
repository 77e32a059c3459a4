"""Render the app icon (resources/icons/backstride.svg) for every platform.

    .venv/bin/python packaging/make_icons.py      (or: make icons)

Writes, from the one SVG, with Qt's SVG renderer (offscreen, no display needed):
- packaging/linux/icons/hicolor/<N>x<N>/apps/<APP_ID>.png for the hicolor sizes, and the
  SVG itself as hicolor/scalable/apps/<APP_ID>.svg;
- packaging/windows/backstride.ico (16-256 px, PNG-compressed entries);
- packaging/macos/backstride.icns (16-1024 px, the @2x sizes included).
The .ico and .icns are written with Pillow, which the app already has (reportlab needs it).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from backstride import APP_ID

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "backstride.svg"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    """The icon as PNG bytes, size x size, antialiased on transparency."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit(f"could not encode the {size} px icon as PNG")
    return bytes(data.data())


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"{SVG}: not a valid SVG", file=sys.stderr)
        return 1
    sizes = sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    png = {size: render(renderer, size) for size in sizes}
    images = {size: Image.open(io.BytesIO(data)) for size, data in png.items()}

    hicolor = ROOT / "packaging" / "linux" / "icons" / "hicolor"
    for size in HICOLOR_SIZES:
        target = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png[size])
    scalable = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)

    ico = ROOT / "packaging" / "windows" / "backstride.ico"
    ico.parent.mkdir(parents=True, exist_ok=True)
    largest = images[max(ICO_SIZES)]
    largest.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )

    icns = ROOT / "packaging" / "macos" / "backstride.icns"
    icns.parent.mkdir(parents=True, exist_ok=True)
    images[max(ICNS_SIZES)].save(
        icns,
        format="ICNS",
        append_images=[images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)],
    )
    del app
    for path in (hicolor, ico, icns):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
