"""The front door: `backstride` opens the app; sub-commands work on the data without it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from backstride import __version__


def _fail(message: str) -> int:
    print(f"backstride: {message}", file=sys.stderr)
    return 1


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from backstride.store.database import open_store
    from backstride.store.location import resolve_data_dir

    return open_store(resolve_data_dir(args.data_dir))


def cmd_export(args: argparse.Namespace) -> int:
    """CSV files into a folder; everything in one JSON file when the path ends in .json."""
    from datetime import datetime

    from backstride.core.text import printable_name
    from backstride.store.exchange import export_all
    from backstride.store.json_exchange import export_json, is_json_export

    target = Path(args.outdir)
    store = _open(args)
    try:
        if is_json_export(target):
            counts = export_json(store, target, now=datetime.now().astimezone())
            summary = ", ".join(f"{n} {key}" for key, n in counts.items())
            print(f"wrote {printable_name(str(target))} ({summary})")
            return 0
        written = export_all(store, target, today=date.today())
    finally:
        store.close()
    for path, count in written:
        print(f"wrote {printable_name(str(path))} ({count} rows)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """CSV files written by export, and watch files (FIT, GPX, TCX, .gz, Strava folders)."""
    from backstride.core.text import printable_name
    from backstride.operations.exports import import_exports, sort_paths

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        return _fail(f"{printable_name(str(missing[0]))}: No such file or folder")
    sorted_paths = sort_paths(paths)
    activities = sorted_paths.activities
    store = _open(args)
    try:
        for line in import_exports(store, sorted_paths, today=date.today()):
            print(line)
        if not activities:
            return 0
        from backstride.importing import import_activity_files, merge_runs

        summary = import_activity_files(store, activities)
        for outcome in summary.outcomes:
            print(outcome.line())
        if summary.merges and args.merge:
            merge_runs(store, summary.merges)
            print(f"completed {len(summary.merges)} hand-entered run(s) with the watch files")
        elif summary.merges:
            print("use --merge to complete hand-entered runs with the matching watch files")
        print(summary.text())
        return 1 if summary.failed else 0
    finally:
        store.close()


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


def cmd_analyze(args: argparse.Namespace) -> int:
    import json

    from backstride.core.typed_text import parse_day_option

    try:
        start = parse_day_option(args.date_from, "--from")
        end = parse_day_option(args.date_to, "--to")
    except ValueError as exc:
        return _fail(str(exc))
    if start is not None and end is not None and start > end:
        return _fail(
            f"--from {start.isoformat()} is after --to {end.isoformat()}: swap the two dates"
        )
    from backstride.core.analysis import analyze, render_text
    from backstride.store.dataset import load_dataset

    store = _open(args)
    try:
        # Everything before the period too: it is the history the analysis needs (the
        # longest run of the previous 30 days, the chronic load, the distance on a shoe).
        dataset = load_dataset(store, None, end)
    finally:
        store.close()
    analysis = analyze(dataset, start, end)
    if args.json:
        print(json.dumps(analysis.to_json(), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(render_text(analysis), end="")
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    """Evaluate a check-up answers file; needs no data folder (for reviewing the rules)."""
    import json
    import os
    import stat

    from backstride.core.triage import AnswersError, evaluate, parse_answers, render_text

    # An answers file is a few kB: 1 MB is generous, and nothing larger is read. Only a
    # regular file is read, opened without waiting, so a pipe or a device cannot hang it.
    limit = 1024 * 1024
    path = Path(args.answers)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError
            if not stat.S_ISREG(mode):
                return _fail(f"{path} is not a regular file; give the path of an answers file")
            with os.fdopen(fd, "rb", closefd=False) as f:
                raw = f.read(limit + 1)
        finally:
            os.close(fd)
        if len(raw) > limit:
            return _fail(
                f"{path} is larger than 1 MB, far more than any answers file; "
                "the format is in docs/answers-format.md"
            )
        text = raw.decode("utf-8-sig")  # with or without a byte-order mark, like CSV import
    except FileNotFoundError:
        return _fail(f"{path}: no such file; give the path of a check-up answers JSON file")
    except IsADirectoryError:
        return _fail(f"{path} is a folder; give the path of a check-up answers JSON file")
    except UnicodeDecodeError:
        return _fail(f"{path} is not UTF-8 text; save the answers file as UTF-8 JSON")
    except OSError as exc:
        return _fail(f"{path}: cannot read it: {exc.strerror or exc}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _fail(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; "
            "the format is in docs/answers-format.md"
        )
    except RecursionError:
        return _fail(
            f"{path}: its JSON is nested far too deeply to be an answers file; "
            "the format is in docs/answers-format.md"
        )
    except ValueError:  # a number of thousands of digits (Python's own limit)
        return _fail(
            f"{path}: it holds a number thousands of digits long, which no answer needs; "
            "the format is in docs/answers-format.md"
        )
    try:
        result = evaluate(parse_answers(data))
    except AnswersError as exc:
        return _fail(f"{path}: {exc}")
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_text(result), end="")
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

    p = sub.add_parser(
        "export",
        help="write pain.csv and the other tables into the folder OUTDIR, or everything "
        "into one JSON file when the path ends in .json",
    )
    p.add_argument("outdir", metavar="OUTDIR|FILE.json")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import",
        help="read CSV files written by export (all-or-nothing), or watch files and folders "
        "(FIT, GPX, TCX, .gz, a Strava export folder)",
    )
    p.add_argument("paths", metavar="PATH", nargs="+")
    p.add_argument(
        "--merge",
        action="store_true",
        help="complete runs you entered by hand with the matching watch file's measurements",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "demo", help="fill an empty data folder with a realistic demo runner (refuses real data)"
    )
    p.add_argument("--days", type=int, default=365, help="how many days of data (default 365)")
    p.add_argument("--seed", type=int, default=0, help="the same seed gives the same data")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "analyze",
        help="look for patterns between your training and your back pain, with alerts",
    )
    p.add_argument(
        "--from", dest="date_from", metavar="DATE", help="first day, YYYY-MM-DD (default: all)"
    )
    p.add_argument(
        "--to", dest="date_to", metavar="DATE", help="last day, YYYY-MM-DD (default: the latest)"
    )
    p.add_argument(
        "--json", action="store_true", help="print the findings as JSON (format in the README)"
    )
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "assess",
        help="evaluate a check-up answers file and print the result (needs no data folder)",
    )
    p.add_argument(
        "answers", metavar="ANSWERS.json", help="answers file (format: docs/answers-format.md)"
    )
    p.add_argument(
        "--json", action="store_true", help="print the result as JSON (format in the README)"
    )
    p.set_defaults(func=cmd_assess)

    from backstride.cli_backups import add_commands
    from backstride.cli_report import add_commands as add_report_commands

    add_commands(sub)
    add_report_commands(sub)
    from backstride.cli_experiments import add_commands as add_experiment_commands

    add_experiment_commands(sub)
    return parser


class _NotTheApp(Exception):
    """The arguments are more than the app's own options: the full parser decides."""


class _AppOptions(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotTheApp(message)


def app_options(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The options of opening the app, when the arguments name no command.

    Parsed without building the commands' parsers, whose modules cost about 40 ms of
    start-up (the experiments' statistics, the report options). Anything else (a command,
    --help, --version, a mistake) returns None and goes to the full parser, so its usage
    and errors are the ones a runner sees.
    """
    parser = _AppOptions(add_help=False)
    parser.add_argument("--data-dir")
    parser.add_argument("--smoke", action="store_true")
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotTheApp:
        return None
    return None if rest else args


def open_app(data_dir: str | None, smoke: bool) -> int:
    from backstride.preflight import preflight

    missing_libraries = preflight()  # before Qt loads: a missing library aborts Qt
    if missing_libraries is not None:
        return missing_libraries
    from backstride.ui.app import run_gui

    return run_gui(data_dir, smoke=smoke)


def main(argv: Sequence[str] | None = None) -> int:
    opening = app_options(argv)
    if opening is not None:
        return open_app(opening.data_dir, opening.smoke)
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        return open_app(args.data_dir, args.smoke)
    from backstride.core.errors import EXPECTED_ERRORS

    try:
        return func(args)
    except EXPECTED_ERRORS as exc:
        return _fail(str(exc))


def main_gui() -> int:
    return main()
