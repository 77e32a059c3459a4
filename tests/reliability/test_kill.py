"""A short run of the kill battery (kill_test.py); `make reliability` runs the full one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.reliability.kill_test import run_battery

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def test_writers_killed_at_random_never_lose_or_damage_committed_data(tmp_path: Path) -> None:
    seed = int(os.environ.get("BACKSTRIDE_KILL_SEED", "20261201"))
    battery = run_battery(
        rounds=12, two_writer_rounds=3, seed=seed, workdir=tmp_path, large_import=False
    )
    assert battery.rounds == 12
    assert battery.two_writer_rounds == 3
    assert battery.ids, "no writer reported a committed entry"
    failures = "\n".join(battery.failures)
    assert not failures, f"{battery.summary()}\n{failures}"
