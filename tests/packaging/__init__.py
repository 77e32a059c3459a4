"""Tests of the packaging: the app folder, the desktop entry, the icons."""
