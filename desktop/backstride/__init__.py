"""Backstride: a pain diary and training log for runners with lower back pain."""

# The single source of the version: pyproject reads it (no importlib.metadata at start-up).
__version__ = "0.1.0"

APP_NAME = "Backstride"
# The desktop id: the .desktop and AppStream files, the icon and the macOS bundle use it.
APP_ID = "io.github.backstride.Backstride"
