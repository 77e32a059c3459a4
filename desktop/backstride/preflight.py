"""Before Qt starts: can Qt's platform plugin load its system libraries?

On Linux, Qt's xcb plugin (X11, and XWayland) needs libraries that many desktops lack
(Qt 6.5 and later need libxcb-cursor0). When one is missing Qt prints "no Qt platform
plugin could be initialized" and aborts with a core dump, naming nothing the runner can
install. This check runs first, in plain Python (no Qt import): it loads the plugin the way
Qt would, and only when that fails runs `ldd` to list every missing library, then prints
them with the one `apt-get install` line and exits with EXIT_MISSING_LIBRARIES.

It says nothing when the plugin loads, when Qt will not use a window system here
(QT_QPA_PLATFORM=offscreen or minimal, no DISPLAY or WAYLAND_DISPLAY), and on Windows and
macOS. Loading the plugin costs 10-20 ms (it is loaded again by Qt a moment later, but not
all of that is saved), so a plugin that loaded is remembered in the user cache folder, keyed
by the plugin file and by /etc/ld.so.cache (which changes whenever libraries are installed
or removed): a start then costs two file reads.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# The exit status of `backstride` (and `make run`) when a library is missing. Documented
# in the README's Install section and packaging/README.md.
EXIT_MISSING_LIBRARIES = 3

# The shared libraries Qt's xcb and wayland plugins link from the system, and the Debian
# and Ubuntu packages that ship them (as on Debian 12; `ldd` on
# PySide6/Qt/plugins/platforms/libqxcb.so and Qt/lib/libQt6XcbQpa.so.6 lists them).
DEBIAN_PACKAGES: Mapping[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

# Platform plugins this check knows, with the variable naming their display server.
DISPLAY_VARIABLE: Mapping[str, str] = {"xcb": "DISPLAY", "wayland": "WAYLAND_DISPLAY"}
# The Qt library the xcb plugin delegates to (in Qt/lib, beside the plugins folder).
XCB_INTEGRATION = "libQt6XcbQpa.so.6"
LDD_TIMEOUT_S = 10
# Rewritten by ldconfig whenever a package adds or removes a shared library.
LOADER_CACHE = Path("/etc/ld.so.cache")

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Missing:
    """The libraries one platform plugin cannot find."""

    platform: str
    libraries: tuple[str, ...]


def planned_platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in its order, among those this check knows; empty
    when Qt will not use one (offscreen, minimal, vnc...)."""
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        # "wayland;xcb" tries each in turn; "xcb:option=1" passes options to one.
        names = [part.split(":", 1)[0].strip().lower() for part in chosen.split(";")]
        if not all(name in DISPLAY_VARIABLE for name in names):
            return []  # Qt may fall back to one this check does not know
        return names
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        return ["wayland", "xcb"]  # Qt 6 prefers Wayland in a Wayland session
    return ["xcb"]


def plugins_folder(env: Mapping[str, str]) -> Path | None:
    """Qt's platforms folder: QT_QPA_PLATFORM_PLUGIN_PATH (Qt's own override), else the one
    in the frozen app or in the installed PySide6 (found without importing it)."""
    override = env.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen is not None:
        return Path(frozen, "PySide6", "Qt", "plugins", "platforms")
    from importlib.util import find_spec

    try:
        spec = find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)), "Qt", "plugins", "platforms")


def plugin_file(folder: Path, platform: str) -> Path | None:
    exact = folder / f"libq{platform}.so"
    if exact.is_file():
        return exact
    return next(iter(sorted(folder.glob(f"libq{platform}*.so"))), None)  # e.g. -generic


def loads(path: Path) -> str | None:
    """None when the dynamic loader can load the library and everything it links (as Qt
    would a moment later, so the time is not lost); else the loader's message."""
    import ctypes

    try:
        ctypes.CDLL(str(path))
    except OSError as exc:
        return str(exc)
    return None


def run_ldd(paths: Sequence[Path]) -> str:
    """What `ldd` prints for the files ("" when it cannot run)."""
    import subprocess  # only when the plugin did not load: ~2 ms off every start

    try:
        result = subprocess.run(
            ["ldd", *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=LDD_TIMEOUT_S,
            check=False,
            env={**os.environ, "LC_ALL": "C"},
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout


def not_found(ldd_output: str) -> list[str]:
    """The library names `ldd` could not find, each once, in its order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


_LOADER_MISSING = re.compile(r"([^\s:/]+\.so[.0-9]*): cannot open shared object file")


def cache_file(env: Mapping[str, str]) -> Path:
    """Where a plugin that loaded is remembered (the XDG cache folder; Linux only)."""
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "backstride", "preflight-ok")


def load_key(plugin: Path, env: Mapping[str, str]) -> str:
    """What decides whether the plugin loads: the file, the system's libraries, the
    search path."""
    parts = [str(plugin.resolve()), env.get("LD_LIBRARY_PATH", "")]
    for path in (plugin, LOADER_CACHE):
        try:
            stat = path.stat()
        except OSError:
            parts.append("-")
        else:
            parts.append(f"{stat.st_mtime_ns}:{stat.st_size}")
    return "\n".join(parts)


def _remembered(cache: Path, key: str) -> bool:
    try:
        return cache.read_text(encoding="utf-8") == key
    except (OSError, UnicodeDecodeError):
        return False


def _remember(cache: Path, key: str) -> None:
    """Best effort: a read-only home only means the check runs again next time."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        partial.write_text(key, encoding="utf-8")
        os.replace(partial, cache)
    except OSError:
        pass


def missing_for(
    plugin: Path,
    platform: str,
    load: Callable[[Path], str | None] = loads,
    ldd: Callable[[Sequence[Path]], str] = run_ldd,
    cache: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Missing | None:
    """None when the plugin loads (or loaded before, unchanged); else what it lacks (ldd
    runs only then)."""
    key = load_key(plugin, os.environ if env is None else env) if cache is not None else ""
    if cache is not None and _remembered(cache, key):
        return None
    error = load(plugin)
    if error is None:
        if cache is not None:
            _remember(cache, key)
        return None
    files = [plugin]
    if platform == "xcb":
        integration = plugin.parent.parent.parent / "lib" / XCB_INTEGRATION
        if integration.is_file():
            files.append(integration)
    libraries = not_found(ldd(files))
    if not libraries:  # no ldd: the loader names the first one it missed
        libraries = _LOADER_MISSING.findall(error)
    if not libraries:
        return None  # not a missing library: let Qt say what it is
    return Missing(platform, tuple(libraries))


def check(
    env: Mapping[str, str] | None = None,
    load: Callable[[Path], str | None] = loads,
    ldd: Callable[[Sequence[Path]], str] = run_ldd,
    platform_name: str = sys.platform,
) -> list[Missing]:
    """What is missing, when every platform plugin Qt would try here lacks a library;
    empty when one of them will load or the check does not apply."""
    env = os.environ if env is None else env
    if not platform_name.startswith("linux"):
        return []
    planned = [p for p in planned_platforms(env) if env.get(DISPLAY_VARIABLE[p])]
    if not planned:
        return []  # no window system to reach: Qt's own message says so
    folder = plugins_folder(env)
    if folder is None:
        return []
    cache = cache_file(env)
    found: list[Missing] = []
    for platform in planned:
        plugin = plugin_file(folder, platform)
        if plugin is None:
            continue  # not shipped (the app folder has no Wayland plugin): Qt tries the next
        missing = missing_for(plugin, platform, load, ldd, cache.with_suffix(f".{platform}"), env)
        if missing is None:
            return []  # this one loads, so Qt will start
        found.append(missing)
    return found


def message(found: Sequence[Missing]) -> str:
    """What the runner reads: the libraries, their packages and the one command."""
    libraries = list(dict.fromkeys(lib for item in found for lib in item.libraries))
    packages = list(
        dict.fromkeys(DEBIAN_PACKAGES[lib] for lib in libraries if lib in DEBIAN_PACKAGES)
    )
    names = " and ".join(f'"{item.platform}"' for item in found)
    lines = [
        f"Backstride cannot open its window: Qt's {names} platform plugin needs "
        "system libraries that are not installed:"
    ]
    for lib in libraries:
        package = DEBIAN_PACKAGES.get(lib)
        where = f"package {package}" if package else "package not known here"
        lines.append(f"  {lib} ({where})")
    if packages:
        lines += [
            "Install them on Debian or Ubuntu with:",
            f"  sudo apt-get install {' '.join(packages)}",
        ]
    unknown = [lib for lib in libraries if lib not in DEBIAN_PACKAGES]
    if unknown:
        lines.append(
            f"Find the package of {', '.join(unknown)} with `apt-file search {unknown[0]}` "
            "(or your distribution's package search)."
        )
    lines.append(
        "On other distributions install the packages that provide these files. "
        "Then start Backstride again."
    )
    return "\n".join(lines)


def preflight() -> int | None:
    """Run before Qt loads: prints the message and gives the exit status when the window
    cannot open for a missing library; None to go on."""
    found = check()
    if not found:
        return None
    print(message(found), file=sys.stderr)
    return EXIT_MISSING_LIBRARIES
