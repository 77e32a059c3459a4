"""How long this process has run: the start-up figure of `--smoke` and the benches."""

from __future__ import annotations

import os
import time

_IMPORTED_AT = time.perf_counter()


def process_uptime_ms() -> float:
    """Milliseconds since this process started (from /proc where it exists)."""
    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat: starttime, in clock ticks after boot
        with open("/proc/uptime", "rb") as f:
            uptime_s = float(f.read().split()[0])
        return (uptime_s - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000.0
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _IMPORTED_AT) * 1000.0
