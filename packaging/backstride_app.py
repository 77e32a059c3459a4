"""The frozen app's entry point (PyInstaller): the same front door as the `backstride` script."""

import os
import sys
from pathlib import Path

if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
    # The folder ships no Wayland plugin (packaging/backstride.spec): in a Wayland session
    # Qt would look for it first and print a warning on every start before using XWayland.
    platforms = Path(getattr(sys, "_MEIPASS", ""), "PySide6", "Qt", "plugins", "platforms")
    if platforms.is_dir() and not any(platforms.glob("libqwayland*")):
        os.environ["QT_QPA_PLATFORM"] = "xcb"

from backstride.cli import main

raise SystemExit(main())
