"""The front door: `backstride` opens the app; sub-commands work on the data without it."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from backstride import __version__

_IMPORTED_AT = time.perf_counter()


def process_uptime_ms() -> float:
    """Milliseconds since this process started (from /proc where it exists)."""
    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat: starttime, in clock ticks after boot
        import os

        with open("/proc/uptime", "rb") as f:
            uptime_s = float(f.read().split()[0])
        return (uptime_s - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000.0
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _IMPORTED_AT) * 1000.0


def _fail(message: str) -> int:
    print(f"backstride: {message}", file=sys.stderr)
    return 1


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from backstride.store.database import open_store
    from backstride.store.location import resolve_data_dir

    return open_store(resolve_data_dir(args.data_dir))


def cmd_export(args: argparse.Namespace) -> int:
    from backstride.store.exchange import export_all

    store = _open(args)
    try:
        written = export_all(store, Path(args.outdir), today=date.today())
    finally:
        store.close()
    for path, count in written:
        print(f"wrote {path} ({count} rows)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from backstride.store.exchange import import_csv_files

    paths = [Path(p) for p in args.paths]
    store = _open(args)
    try:
        for path, added, skipped in import_csv_files(store, paths, today=date.today()):
            print(
                f"{path}: imported {added} rows" + (f", {skipped} already there" if skipped else "")
            )
    finally:
        store.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from backstride.core.demo import generate_demo
    from backstride.store.demo import fill_demo

    if args.days < 1 or args.days > 36500:
        return _fail("--days must be between 1 and 36500")
    data = generate_demo(args.days, seed=args.seed)
    store = _open(args)
    try:
        fill_demo(store, data, f"demo runner, {args.days} days, seed {args.seed}")
        print(
            f"wrote a demo runner into {store.path}: {len(data.runs)} runs, "
            f"{len(data.pain)} pain entries, {len(data.habits)} habit days, {len(data.shoes)} shoes"
        )
    finally:
        store.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backstride",
        description="Pain diary and training log for runners with lower back pain. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"Backstride {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder holding the data file (default: $BACKSTRIDE_DATA_DIR or the user data folder)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the main window, print 'started in N ms' after its first paint, and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("export", help="write pain.csv (and the other tables) into OUTDIR")
    p.add_argument("outdir", metavar="OUTDIR")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="read CSV files written by export (all-or-nothing per file)")
    p.add_argument("paths", metavar="FILE", nargs="+")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "demo", help="fill an empty data folder with a realistic demo runner (refuses real data)"
    )
    p.add_argument("--days", type=int, default=365, help="how many days of data (default 365)")
    p.add_argument("--seed", type=int, default=0, help="the same seed gives the same data")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        from backstride.ui.app import run_gui

        return run_gui(args.data_dir, smoke=args.smoke)
    from backstride.core.errors import CsvError, ValidationError
    from backstride.store.database import StoreError

    try:
        return func(args)
    except (StoreError, CsvError, ValidationError, OSError) as exc:
        return _fail(str(exc))


def main_gui() -> int:
    return main()
