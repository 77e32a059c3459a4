"""What reading one activity file gave: runs, stated skips, warnings, or an error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from backstride.core.models import Run


@dataclass(slots=True)
class FileReading:
    """The outcome of reading one file (or one activity of a Strava export).

    - `runs`: the runs found (a multisport file can hold several).
    - `skipped`: activities deliberately left out, each with its reason
      (e.g. "a cycling activity, not a run").
    - `warnings`: things the runner should know about what was imported
      (e.g. the file was cut short and only part of it could be read).
    - `error`: set only by the batch helpers (`read_sources`, the Strava reader) when the
      item could not be read at all; `read_activity` raises `ImportFileError` instead.
    - `label`: how to name the item in messages (file name, or a Strava row).
    """

    path: Path
    runs: list[Run] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            self.label = self.path.name

    @property
    def status(self) -> str:
        """ "failed", "imported" (at least one run) or "skipped" (only stated skips)."""
        if self.error is not None:
            return "failed"
        return "imported" if self.runs else "skipped"
