"""A minimal FIT encoder for generated runs (benchmarks and tests need thousands of them).

fit-tool builds an object per record, about half a second for a one-hour run; this
writes the same messages with `struct` (file_id, a record a second, session, activity),
a few milliseconds a run. Every file gets its own start, route, pace and heart rate from
its number, so no two are duplicates. fitdecode and fitfast both read what it writes
(tests/unit/test_importers_archives.py checks it against the importer).
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
EARTH_RADIUS_M = 6_371_008.8
SEMICIRCLES = 2**31 / 180.0

_FILE_ID, _SESSION, _RECORD, _ACTIVITY = 0, 18, 20, 34
# (field number, size, base type) per message, in the order the values are packed.
_FIELDS = {
    _FILE_ID: ((0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (3, 4, 0x8C), (4, 4, 0x86)),
    _RECORD: (
        (253, 4, 0x86),  # timestamp
        (0, 4, 0x85),  # position_lat
        (1, 4, 0x85),  # position_long
        (5, 4, 0x86),  # distance, 1/100 m
        (2, 2, 0x84),  # altitude, 1/5 m + 500
        (3, 1, 0x02),  # heart_rate
        (4, 1, 0x02),  # cadence, strides/min
    ),
    _SESSION: (
        (253, 4, 0x86),  # timestamp
        (2, 4, 0x86),  # start_time
        (5, 1, 0x00),  # sport
        (7, 4, 0x86),  # total_elapsed_time, ms
        (8, 4, 0x86),  # total_timer_time, ms
        (9, 4, 0x86),  # total_distance, 1/100 m
        (22, 2, 0x84),  # total_ascent
        (23, 2, 0x84),  # total_descent
        (18, 1, 0x02),  # avg_cadence
    ),
    _ACTIVITY: ((253, 4, 0x86), (0, 4, 0x86), (1, 2, 0x84), (2, 1, 0x00), (5, 4, 0x86)),
}
_FORMATS = {
    _FILE_ID: "<BBHHII",
    _RECORD: "<BIiiIHBB",
    _SESSION: "<BIIBIIIHHB",
    _ACTIVITY: "<BIIHBI",
}
_LOCAL = {_FILE_ID: 0, _RECORD: 1, _SESSION: 2, _ACTIVITY: 3}
_RUNNING = 1
_DEVELOPMENT = 255


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc_table()


def crc16(data: bytes) -> int:
    """FIT's CRC (CRC-16/ARC)."""
    crc = 0
    table = _TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def _definition(mesg: int) -> bytes:
    fields = _FIELDS[mesg]
    out = struct.pack("<BBBHB", 0x40 | _LOCAL[mesg], 0, 0, mesg, len(fields))
    return out + b"".join(struct.pack("<BBB", *f) for f in fields)


@dataclass(frozen=True)
class Written:
    start: datetime
    distance_m: float
    timer_s: float
    ascent_m: int
    descent_m: int


def run_fit(number: int, seconds: int = 3600) -> tuple[bytes, Written]:
    """A one-hour (by default) run recorded every second, different for every `number`."""
    start = datetime(2015, 1, 1, 6, 0, tzinfo=UTC) + timedelta(days=number, minutes=number % 90)
    t0 = int((start - FIT_EPOCH).total_seconds())
    lat = 45.0 + (number % 97) * 0.01
    lon = 7.0 + (number % 89) * 0.01
    heading = math.radians(number * 37 % 360)
    base = 2.6 + (number % 13) * 0.05
    body = bytearray()
    body += _definition(_FILE_ID)
    body += struct.pack(_FORMATS[_FILE_ID], _LOCAL[_FILE_ID], 4, _DEVELOPMENT, 1, number + 1, t0)
    body += _definition(_RECORD)
    pack = struct.Struct(_FORMATS[_RECORD]).pack
    local = _LOCAL[_RECORD]
    distance = 0.0
    height = 200.0
    previous = height
    ascent = descent = 0.0
    step_lat = math.cos(heading) / EARTH_RADIUS_M
    step_lon = math.sin(heading) / (EARTH_RADIUS_M * math.cos(math.radians(lat)))
    for t in range(seconds + 1):
        speed = base + 0.3 * math.sin(t / 120 + number)
        if t:
            distance += speed
            lat += math.degrees(speed * step_lat)
            lon += math.degrees(speed * step_lon)
        # Rolling hills: 15 m up and down every ten minutes.
        height = 200.0 + 15.0 * math.sin(2 * math.pi * t / 600 + number)
        if height > previous:
            ascent += height - previous
        else:
            descent += previous - height
        previous = height
        body += pack(
            local,
            t0 + t,
            round(lat * SEMICIRCLES),
            round(lon * SEMICIRCLES),
            round(distance * 100),
            round((height + 500) * 5),
            140 + (t * 20) // seconds + number % 10,
            84 + (number % 5),
        )
    end = t0 + seconds
    body += _definition(_SESSION)
    body += struct.pack(
        _FORMATS[_SESSION],
        _LOCAL[_SESSION],
        end,
        t0,
        _RUNNING,
        seconds * 1000,
        seconds * 1000,
        round(distance * 100),
        round(ascent),
        round(descent),
        84 + (number % 5),
    )
    body += _definition(_ACTIVITY)
    body += struct.pack(
        _FORMATS[_ACTIVITY], _LOCAL[_ACTIVITY], end, seconds * 1000, 1, 0, end + 3600
    )
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", crc16(header))
    data = header + bytes(body)
    written = Written(start, distance, float(seconds), round(ascent), round(descent))
    return data + struct.pack("<H", crc16(data)), written
