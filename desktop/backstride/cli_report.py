"""``backstride report``: the clinician PDF from a terminal (issue 13).

Exit 0 only when the file was written; every refusal says what to change. The PDF goes
through ``write_private`` (owner-only, atomic), so a failed run never leaves half a file.
"""

from __future__ import annotations

import argparse
import locale
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from backstride.core.errors import EXPECTED_ERRORS
from backstride.core.safe_write import write_private
from backstride.core.text import printable_name
from backstride.core.units import KM, UNITS
from backstride.report.options import (
    DEFAULT_SECTIONS,
    DEFAULT_WEEKS,
    PAPERS,
    SECTIONS,
    ReportOptions,
    last_weeks,
    paper_for_locale,
    parse_sections,
)

MAX_WEEKS = 520  # ten years: the longest period the --weeks option takes


def _fail(message: str) -> int:
    print(f"backstride report: {message}", file=sys.stderr)
    return 1


def _day(text: str | None, option: str) -> date | None:
    from backstride.core.typed_text import parse_day_option

    return parse_day_option(text, option)


def _options(args: argparse.Namespace, today: date) -> ReportOptions:
    """The options the arguments ask for; ValueError saying what to change."""
    start, end = _day(args.date_from, "--from"), _day(args.date_to, "--to")
    if args.weeks is not None and not 1 <= args.weeks <= MAX_WEEKS:
        raise ValueError(f"--weeks must be from 1 to {MAX_WEEKS}")
    if args.weeks is not None and start is not None:
        raise ValueError("give --weeks or --from, not both")
    end = end or today
    if start is None:
        start = last_weeks(end, args.weeks or DEFAULT_WEEKS)[0]
    sections = parse_sections(args.sections) if args.sections else DEFAULT_SECTIONS
    if args.appendix and "appendix" not in sections:
        sections = parse_sections(",".join((*sections, "appendix")))
    paper = args.paper or paper_for_locale(locale.getlocale()[0])
    return ReportOptions(
        start=start,
        end=end,
        paper=paper,
        unit=args.units,
        sections=sections,
        notes=not args.no_notes,
        question=args.question or "",
    )


def cmd_report(args: argparse.Namespace) -> int:
    if args.list_sections:
        for key, title in SECTIONS.items():
            default = "" if key in DEFAULT_SECTIONS else "  (only when asked for)"
            print(f"{key:<14} {title}{default}")
        return 0
    if not args.output:
        return _fail("give the file to write with -o FILE.pdf")
    target = Path(args.output)
    if target.suffix.lower() != ".pdf":
        return _fail(f"{printable_name(str(target))} does not end in .pdf; name a PDF file")
    if not target.parent.is_dir():
        return _fail(f"the folder of {printable_name(str(target))} does not exist; create it first")
    now = datetime.now().astimezone()
    try:
        options = _options(args, now.date())
    except ValueError as exc:
        return _fail(str(exc))
    from backstride.report.data import build_report
    from backstride.report.pdf import render_pdf
    from backstride.store.database import open_store
    from backstride.store.experiments import with_ticks
    from backstride.store.location import resolve_data_dir
    from backstride.store.profile import load_report_records

    store = open_store(resolve_data_dir(args.data_dir))
    try:
        records = load_report_records(store, options.end)
        experiments = with_ticks(store)
    finally:
        store.close()
    try:
        report = build_report(
            records.dataset,
            records.assessments,
            options,
            now,
            profile=records.profile,
            experiments=experiments,
        )
    except ValueError as exc:  # ValidationError: the period or the sections
        return _fail(str(exc))
    pdf = render_pdf(report)
    try:
        write_private(target, lambda f: f.buffer.write(pdf))
    except EXPECTED_ERRORS as exc:
        return _fail(f"could not write {printable_name(str(target))}: {exc}")
    print(f"wrote {printable_name(str(target))} ({report.period_text}, {len(pdf) // 1024} KB)")
    return 0


def add_commands(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="write the PDF for your physiotherapist (summary, charts, check-up, patterns)",
    )
    p.add_argument("-o", "--output", metavar="FILE.pdf", help="the PDF file to write")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (default: today)")
    p.add_argument(
        "--weeks",
        type=int,
        help=f"the last N weeks up to --to (default {DEFAULT_WEEKS}; 4, 8 or 12 are usual)",
    )
    p.add_argument("--paper", choices=PAPERS, help="paper size (default: from the system locale)")
    p.add_argument("--units", choices=tuple(UNITS), default=KM.code, help="distances (default km)")
    p.add_argument(
        "--sections",
        metavar="LIST",
        help="comma-separated sections to print (see --list-sections; default all but appendix)",
    )
    p.add_argument(
        "--no-notes", action="store_true", help="leave diary notes out (they can be private)"
    )
    p.add_argument("--appendix", action="store_true", help="add the dated diary appendix")
    p.add_argument("--question", metavar="TEXT", help="your question for the visit, on page 1")
    p.add_argument("--list-sections", action="store_true", help="list the sections and exit")
    p.set_defaults(func=cmd_report)
