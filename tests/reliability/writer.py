"""A child process that writes diary entries through Backstride's public API only.

Run by path (``python tests/reliability/writer.py MODE ...``) or as a module
(``python -m tests.reliability.writer MODE ...``). It imports only ``backstride``, so the
interpreter and PYTHONPATH it is started with decide which tree is tested.

Modes:

``loop --data-dir DIR --tag TAG``
    Add diary entries one transaction each, forever (or ``--count`` of them), and print
    ``<id> <token>`` after each commit (flushed), where the token ``TAG-<n>`` is also the
    first word of the entry's note, so the parent can tell a lost entry from one whose id
    was reused. ``--reopen-every K`` opens and closes a second store every K entries, as
    the Insights worker does. A busy or locked error is reported on stderr as ``busy`` and
    the loop goes on; any other error ends the process with a traceback.

``drive --data-dir DIR``
    One store kept open, driven over stdin one command a line:
    ``add`` (an entry with a 20 kB note) -> ``id <id>``; ``reopen`` (a second store:
    reopen, read, close) -> ``ok``; ``fds`` -> ``fds <json list of this process's open
    file links>``; ``quit`` -> closes the store, prints ``bye`` and exits 0. A failed
    command prints ``error <text>``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

from backstride.core.models import PainEntry
from backstride.store.database import Store, StoreError, open_store
from backstride.store.pain import add_pain_entry, count_pain_entries

_FIRST_DAY = date(2024, 1, 1)


def _entry(rng: random.Random, token: str) -> PainEntry:
    # Mostly short notes, now and then a long one, so some transactions spill pages.
    padding = "x" * rng.choice((0, 0, 0, 40, 300, 3000))
    return PainEntry(
        day=_FIRST_DAY + timedelta(days=rng.randrange(3650)),
        intensity=rng.randrange(11),
        time=time(rng.randrange(24), rng.randrange(60)) if rng.random() < 0.7 else None,
        note=f"{token} {padding}".rstrip(),
    )


def _second_store(store: Store) -> int:
    """What the Insights worker does: its own connection, a read, then close it."""
    own = store.reopen()
    try:
        return count_pain_entries(own)
    finally:
        own.close()


def run_loop(data_dir: Path, tag: str, seed: int, count: int | None, reopen_every: int) -> int:
    rng = random.Random(seed)
    store = open_store(data_dir)
    written = 0
    n = 0
    while count is None or written < count:
        n += 1
        token = f"{tag}-{n}"
        try:
            saved = add_pain_entry(store, _entry(rng, token))
        except StoreError as exc:
            if "busy" not in str(exc):
                raise
            print("busy", file=sys.stderr, flush=True)
            continue
        written += 1
        print(saved.id, token, flush=True)
        if reopen_every and written % reopen_every == 0:
            try:
                _second_store(store)
            except StoreError as exc:
                if "busy" not in str(exc):
                    raise
                print("busy", file=sys.stderr, flush=True)
    store.close()
    return 0


def _open_files() -> list[str]:
    links = []
    folder = Path("/proc/self/fd")
    for fd in folder.iterdir():
        try:
            links.append(os.readlink(fd))
        except OSError:
            continue  # the descriptor that listed the folder is already gone
    return sorted(links)


def run_drive(data_dir: Path) -> int:
    store = open_store(data_dir)
    rng = random.Random(0)
    n = 0
    for line in sys.stdin:
        command = line.strip()
        try:
            if command == "add":
                n += 1
                # A note spanning several overflow pages, so the entry takes new pages at
                # the end of the file, where another process's lost view would put its own.
                entry = replace(_entry(rng, f"drive-{n}"), note=f"drive-{n} " + "y" * 20000)
                saved = add_pain_entry(store, entry)
                print("id", saved.id, flush=True)
            elif command == "reopen":
                _second_store(store)
                print("ok", flush=True)
            elif command == "fds":
                print("fds", json.dumps(_open_files()), flush=True)
            elif command == "quit":
                store.close()
                print("bye", flush=True)
                return 0
            else:
                print("error unknown command", repr(command), flush=True)
        except Exception as exc:
            print("error", type(exc).__name__, str(exc).replace("\n", " "), flush=True)
    store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    loop = sub.add_parser("loop")
    loop.add_argument("--data-dir", required=True, type=Path)
    loop.add_argument("--tag", default="w")
    loop.add_argument("--seed", type=int, default=0)
    loop.add_argument("--count", type=int, default=None)
    loop.add_argument("--reopen-every", type=int, default=0)
    drive = sub.add_parser("drive")
    drive.add_argument("--data-dir", required=True, type=Path)
    args = parser.parse_args(argv)
    if args.mode == "loop":
        return run_loop(args.data_dir, args.tag, args.seed, args.count, args.reopen_every)
    return run_drive(args.data_dir)


if __name__ == "__main__":
    raise SystemExit(main())
