"""Backstride: a pain diary and training log for runners with lower back pain."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("backstride")
except PackageNotFoundError:  # running from a checkout without an install
    __version__ = "0.0.0+checkout"

APP_NAME = "Backstride"
