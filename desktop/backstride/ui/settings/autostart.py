"""Start Backstride on login. On Linux (and other XDG desktops) this is a desktop entry in
``$XDG_CONFIG_HOME/autostart`` (the XDG autostart specification); Windows and macOS are not
implemented, and the setting says so there. Plain Python: no Qt."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from backstride import APP_NAME

ENTRY_NAME = "backstride.desktop"


def supported() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def entry_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart" / ENTRY_NAME


def command() -> list[str]:
    """How this Backstride is started: the frozen app, the installed script, or python -m."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = shutil.which("backstride")
    return [script] if script else [sys.executable, "-m", "backstride"]


def entry_text(argv: list[str]) -> str:
    # The Exec key's quoting rules (desktop entry spec): arguments with reserved characters
    # in double quotes; shlex's single quotes are not allowed there.
    def quoted(arg: str) -> str:
        if arg and all(c.isalnum() or c in "/-_.=+:," for c in arg):
            return arg
        for reserved in ("\\", '"', "`", "$"):
            arg = arg.replace(reserved, "\\" + reserved)
        return f'"{arg}"'

    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Pain diary and training log for runners with back pain\n"
        f"Exec={' '.join(quoted(a.replace('%', '%%')) for a in argv)}\n"
        "Icon=backstride\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def is_enabled() -> bool:
    return supported() and entry_path().is_file()


def set_enabled(on: bool) -> None:
    """Write or remove the autostart entry; OSError when the folder cannot be written."""
    path = entry_path()
    if not on:
        path.unlink(missing_ok=True)
        return
    if not supported():
        raise OSError(f"starting on login is not implemented on {sys.platform}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(entry_text(command()), encoding="utf-8")
    os.replace(tmp, path)


__all__ = ["command", "entry_path", "entry_text", "is_enabled", "set_enabled", "supported"]
