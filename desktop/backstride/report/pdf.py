"""The report drawn as a PDF with reportlab: ``render_pdf(report)`` gives the file's bytes.

It only lays out what ``data.build_report`` computed. Layout rules: page 1 is the summary a
physiotherapist reads in about a minute; each later section starts on a new page; charts
are vector drawings; no chart, table row or finding is split across pages (rows never
split, findings are kept together); the footer carries the period, the page number and
"self-reported data, not a diagnosis". Nothing prints a path or a folder name.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from backstride import __version__
from backstride.core.analysis.alerts import MEANINGFUL_CHANGE, day_text
from backstride.core.analysis.constants import CURRENT_DAYS, SIGNIFICANT_Q
from backstride.core.analysis.findings import Finding
from backstride.core.analysis.text import CAVEATS
from backstride.core.experiment_result import CAVEATS as EXPERIMENT_CAVEATS
from backstride.core.experiment_result import Result as ExperimentResult
from backstride.core.experiment_stats import Comparison, pairs_compared
from backstride.core.experiments import MIC_PERCENT, OFF, ON, OUTCOMES, pair_orders
from backstride.core.triage_record import when_text
from backstride.core.units import UNITS, duration
from backstride.report.charts import INK, body_map, experiment_chart, pain_chart, weekly_chart
from backstride.report.data import CHANGE_MIN_DAYS, Count, Report
from backstride.report.fonts import BOLD, FAMILY, MISSING, markup, printable
from backstride.report.options import SECTIONS

PAGE_SIZES = {"a4": A4, "letter": LETTER}
MARGIN = 15 * mm
FOOTER_Y = 8 * mm
DISCLAIMER = "Backstride — self-reported data, not a diagnosis"
SUBJECT = "Pain diary, training log and check-up summary for a physiotherapist"
RULE = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.93, 0.93, 0.93)
EXPERIMENTS = "experiments"  # printed when chosen and an experiment ran in the period

BODY = ParagraphStyle(
    "body", fontName=FAMILY, bulletFontName=FAMILY, fontSize=8.6, leading=10.8, textColor=INK
)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.6, leading=9.4)
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD, fontSize=14, leading=17)
H2 = ParagraphStyle(
    "h2", parent=BODY, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=5, spaceAfter=2
)
H1 = ParagraphStyle("h1", parent=TITLE, fontSize=12.5, leading=15, spaceAfter=4)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8, leading=9.8, alignment=TA_LEFT)
CELL_BOLD = ParagraphStyle("cell_bold", parent=CELL, fontName=BOLD)
# Tables select their own font even when every cell is a paragraph: ours, not Helvetica.
CELL_FONT = [("FONTNAME", (0, 0), (-1, -1), FAMILY)]
FIGURE = ParagraphStyle("figure", parent=BODY, fontName=BOLD, fontSize=12.5, leading=14.5)


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text (escaped; characters the font lacks shown as [?])."""
    return Paragraph(markup(text), style)


def _rich(parts: Sequence[tuple[str, bool]], style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain-text runs, each bold or not."""
    return Paragraph(
        "".join(f"<b>{markup(t)}</b>" if bold else markup(t) for t, bold in parts), style
    )


def _num(x: float | None, digits: int = 1, signed: bool = False) -> str:
    if x is None:
        return "–"
    text = f"{x:+.{digits}f}" if signed else f"{x:.{digits}f}"
    return text.replace("-", "−")


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], header: bool = True) -> Table:
    cells = [
        [
            para(str(c), CELL_BOLD if header and r == 0 else CELL) if isinstance(c, str) else c
            for c in row
        ]
        for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=list(widths), repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        *CELL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK)]
    table.setStyle(TableStyle(style))
    return table


class _Layout:
    """What every section needs: the report, the frame's width and the distance unit."""

    def __init__(self, report: Report, width: float) -> None:
        self.report = report
        self.width = width
        self.unit = UNITS[report.options.unit]

    def distance(self, metres: float | None, digits: int = 1) -> str:
        return "–" if not metres else self.unit.distance(metres, digits)


# ---------------------------------------------------------------- page 1


def _header(lay: _Layout) -> list[Flowable]:
    r = lay.report
    who = r.profile_parts  # name, age, height, weight (in the report's units), running
    f = r.figures
    runs = f"{f.runs} ({lay.distance(f.distance_m, 0)})" if f.runs else "none logged"
    line = [
        ("Period: ", True),
        (r.period_text, False),
        ("   Runs: ", True),
        (runs, False),
        ("   Printed: ", True),
        (day_text(r.generated.date()), False),
    ]
    out: list[Flowable] = [para(r.title, TITLE)]
    if who:
        out.append(_rich([(" · ".join(who), True)], BODY))
    out += [_rich(line, BODY), Spacer(1, 4)]
    return out


def _figures(lay: _Layout) -> Flowable:
    f = lay.report.figures
    per_week = f.pain_days_per_week
    logged = f"{f.days_logged} of {f.days}"
    change = f.change
    if change is None:
        change_text = "–"
        change_note = (
            f"needs {CHANGE_MIN_DAYS} diary days in the first and the last two weeks "
            f"(has {f.first_logged} and {f.last_logged})"
        )
    else:
        change_text = f"{_num(change, signed=True)} points"
        size = (
            f"at least the {MEANINGFUL_CHANGE:g} points that count as meaningful"
            if f.meaningful_change
            else f"under the {MEANINGFUL_CHANGE:g} points that count as meaningful"
        )
        change_note = (
            f"last 2 weeks against the first 2 ({_num(f.first_average)} → "
            f"{_num(f.last_average)}): {size}"
        )
    worst = "–" if f.worst is None else f"{f.worst} / 10"
    worst_note = "" if f.worst_day is None else f"on {day_text(f.worst_day)}"
    cells = [
        ("Days logged", logged, f"{f.days_missing} days with no entry (not counted as pain-free)"),
        (
            "Pain days per week",
            "–" if per_week is None else f"{per_week:.1f} of 7",
            f"{f.pain_days} of the {f.days_logged} logged days had pain above 0",
        ),
        (
            "Average pain",
            "–" if f.average is None else f"{_num(f.average)} / 10",
            "each logged day's worst, 0–10",
        ),
        ("Worst pain", worst, worst_note),
        ("Change", change_text, change_note),
    ]
    row = [
        [para(label, SMALL), para(value, FIGURE), para(note, SMALL)] for label, value, note in cells
    ]
    col = lay.width / len(cells)
    table = Table([row], colWidths=[col] * len(cells), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                *CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.6, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _checkup_block(lay: _Layout) -> Flowable:
    r = lay.report
    c = r.checkup
    out: list[Flowable] = [para("Latest check-up and warning signs", H2)]
    if c is None:
        earlier = (
            f" The latest was on {day_text(r.earlier_checkup)}, before this period."
            if r.earlier_checkup
            else ""
        )
        out.append(_rich([("No check-up in this period.", True), (earlier, False)]))
        out.append(para("Warning signs were not asked in this period.", SMALL))
        return KeepTogether(out)
    out.append(
        _rich(
            [
                (f"{when_text(c.taken)}: ", False),
                (f"{c.tier_name.upper()}", True),
                (f" — {c.headline}", False),
            ]
        )
    )
    out.append(_rich([("Warning signs: ", True), (c.status, False)]))
    return KeepTogether(out)


def _evidence(f: Finding) -> str:
    """An association's numbers in one line: how big, how sure, on how many days."""
    parts = []
    if f.effect is not None:
        direction = "higher" if f.effect > 0 else "lower"
        size = f"{abs(f.effect):.1f} points {direction}" if round(f.effect, 1) else "no difference"
        if f.interval is not None:
            low, high = f.interval
            size += f" (90 % interval {_num(low, signed=True)} to {_num(high, signed=True)})"
        parts.append(f"pain {f.lag}: {size}" if f.lag else size)
    parts.append(f"n = {f.n_exposed} with, {f.n_unexposed} without")
    if f.q is not None:
        parts.append(f"q = {f.q:.2g}")
    return " · ".join(parts)


def _finding_parts(f: Finding, style: ParagraphStyle = BODY, brief: bool = False) -> list[Flowable]:
    """A finding's lines: an association leads with what it compares and its evidence;
    brief (page 1) leaves out the sentence that repeats them."""
    out: list[Flowable] = []
    if f.kind == "association" and f.subject and f.comparator:
        title = f"{f.subject[0].upper()}{f.subject[1:]} vs {f.comparator}"
        out.append(_rich([(title, True), (": " + _evidence(f), False)], style))
        if brief:
            return [*out, Spacer(1, 2)]
    return [*out, para(f.summary, style), Spacer(1, 3)]


def _kept(
    lead: Sequence[Flowable],
    findings: Sequence[Finding],
    style: ParagraphStyle,
    brief: bool = False,
) -> list[Flowable]:
    """lead kept with the first finding, then each finding kept whole (never nested:
    a KeepTogether inside another always moves to a new page)."""
    parts = [_finding_parts(f, style, brief) for f in findings]
    first = [*lead, *(parts[0] if parts else [])]
    return [KeepTogether(first), *(KeepTogether(p) for p in parts[1:])]


def _patterns_block(lay: _Layout) -> list[Flowable]:
    r = lay.report
    lead: list[Flowable] = [
        para("Strongest patterns", H2),
        para(
            "Self-reported associations in this runner's own diary, not causes: each passed "
            f"a block-permutation test with a false discovery rate under {SIGNIFICANT_Q:g} (q).",
            SMALL,
        ),
    ]
    if not r.page1_patterns:
        if r.unclear:
            text = (
                f"No factor stood out from chance: {len(r.unclear)} comparisons tested, none "
                f"with q < {SIGNIFICANT_Q:g}."
            )
        else:
            text = "Not enough data yet to test any factor in this period."
        return [KeepTogether([*lead, para(text)])]
    out = _kept(lead, r.page1_patterns, BODY, brief=True)
    more = len(r.patterns) - len(r.page1_patterns)
    if more > 0:
        out.append(para(f"{more} more, and each in full, under All findings.", SMALL))
    return out


def _alerts_block(lay: _Layout) -> list[Flowable]:
    r = lay.report
    lead: list[Flowable] = [para("Current alerts", H2)]
    if not r.alerts:
        return [KeepTogether([*lead, para(f"None in the last {CURRENT_DAYS} days of the period.")])]
    return _kept(lead, r.alerts, BODY)


def _question_block(lay: _Layout) -> list[Flowable]:
    q = lay.report.options.question.strip()
    if not q:
        return []
    box = Table([[para(q)]], colWidths=[lay.width], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [*CELL_FONT, ("BOX", (0, 0), (-1, -1), 0.8, INK), ("LEFTPADDING", (0, 0), (-1, -1), 5)]
        )
    )
    return [KeepTogether([para("My question for this visit", H2), box])]


def _summary(lay: _Layout) -> list[Flowable]:
    r = lay.report
    out = _header(lay)
    if r.nothing_logged:
        out += [
            para(
                "Nothing was logged in this period: no pain entries and no runs. The figures "
                "and charts below need a few weeks of diary entries (pain each morning on "
                "waking, 0 when there is none) and the runs.",
                BODY,
            ),
            Spacer(1, 4),
        ]
    out.append(_figures(lay))
    out += _question_block(lay)
    out.append(Spacer(1, 3))
    out.append(
        KeepTogether(
            [
                para("Pain over the period (0 = no pain, 10 = worst imaginable)", H2),
                pain_chart(r.days, lay.width, 54 * mm),
            ]
        )
    )
    out.append(
        KeepTogether(
            [
                para("Weekly running and pain", H2),
                weekly_chart(r.weeks, lay.unit, lay.width, 40 * mm),
            ]
        )
    )
    out.append(_checkup_block(lay))
    out += _patterns_block(lay)
    out += _alerts_block(lay)
    return out


# ---------------------------------------------------------------- later sections


def _section_title(key: str) -> Paragraph:
    return para(SECTIONS[key], H1)


def _checkup_section(lay: _Layout) -> list[Flowable]:
    r = lay.report
    out: list[Flowable] = [_section_title("checkup")]
    c = r.checkup
    if c is None:
        return [*out, _checkup_block(lay)]
    out.append(
        _rich(
            [(f"{when_text(c.taken)}: ", False), (c.tier_name, True), (f" — {c.headline}", False)]
        )
    )
    out.append(para(f"Rules version {c.rules_version}. Every warning-sign answer:", SMALL))
    out.append(Spacer(1, 3))
    rows: list[list[Any]] = [["Warning sign", "How urgent a yes is", "Answer"]]
    tiers = {"emergency": "emergency", "urgent": "urgent", "recheck": "asked again"}
    for a in c.answers:
        answer = _rich([(a.answer, a.answer != "no")], CELL)
        rows.append([a.label, tiers.get(a.tier, a.tier), answer])
    w = lay.width
    out.append(_table(rows, [w * 0.66, w * 0.18, w * 0.16]))
    out.append(Spacer(1, 3))
    out.append(para('"Not sure" is shown as not answered, as the check-up treats it.', SMALL))
    return out


def _body_map_section(lay: _Layout) -> list[Flowable]:
    r = lay.report
    out: list[Flowable] = [_section_title("body_map")]
    if not r.regions:
        out.append(para("No painful entry in this period marked where it hurt."))
        return out
    out.append(body_map(r.regions, r.figures.pain_days, lay.width, 95 * mm))
    out.append(Spacer(1, 4))
    rows: list[list[Any]] = [["Region", "Days marked", "Entries", "Average pain", "Worst"]]
    for c in r.regions:
        rows.append([c.label, str(c.days), str(c.entries), _num(c.mean_pain), str(c.worst)])
    w = lay.width
    out.append(_table(rows, [w * 0.4, w * 0.15, w * 0.15, w * 0.15, w * 0.15]))
    out.append(para(f"Of {r.figures.pain_days} days with pain above 0.", SMALL))
    return out


def _count_rows(counts: Sequence[Count], first: str) -> list[list[Any]]:
    rows: list[list[Any]] = [[first, "Entries", "Days", "Average pain", "Worst"]]
    for c in counts:
        rows.append([c.label, str(c.entries), str(c.days), _num(c.mean_pain), str(c.worst)])
    return rows


def _daily_section(lay: _Layout) -> list[Flowable]:
    r = lay.report
    w = lay.width
    out: list[Flowable] = [_section_title("daily_pattern")]
    if not r.timings:
        out.append(para("No diary entries in this period."))
        return out
    out.append(
        _table(_count_rows(r.timings, "When"), [w * 0.4, w * 0.15, w * 0.15, w * 0.15, w * 0.15])
    )
    s = r.stiffness
    out.append(Spacer(1, 6))
    out.append(para("Morning stiffness", H2))
    if s.entries:
        out.append(
            para(
                f"Recorded in {s.entries} entries: median {_num(s.median_min, 0)} minutes, "
                f"longest {s.longest_min} minutes."
            )
        )
    else:
        out.append(para("Not recorded in this period."))
    return out


def _training_section(lay: _Layout) -> list[Flowable]:
    r = lay.report
    out: list[Flowable] = [_section_title("training")]
    rows: list[list[Any]] = [
        [
            "Week of",
            "Runs",
            "Distance",
            "Time",
            "Descent",
            "Longest run",
            "Load ratio",
            "Warm-up",
            "Core days",
            "Avg pain",
        ]
    ]
    for wk in r.weeks:
        warm = "–" if not wk.warmup_known else f"{wk.warmup_runs} of {wk.warmup_known}"
        partial = "" if wk.days == 7 else f" ({wk.days} d)"
        rows.append(
            [
                f"{day_text(wk.monday)}{partial}",
                str(wk.runs),
                lay.distance(wk.distance_m),
                duration(wk.moving_s) if wk.moving_s else "–",
                f"{wk.descent_m:.0f} m" if wk.descent_m else "–",
                lay.distance(wk.longest_m),
                _num(wk.load_ratio, 2),
                warm,
                str(wk.core_sessions),
                _num(wk.mean_pain),
            ]
        )
    w = lay.width
    widths = [0.15, 0.06, 0.11, 0.1, 0.09, 0.11, 0.09, 0.1, 0.09, 0.1]
    out.append(_table(rows, [w * x for x in widths]))
    out.append(Spacer(1, 4))
    out.append(
        para(
            "Load ratio: acute:chronic (7 against 28 days, Williams 2017) on the week's last "
            "day; 0.8–1.3 is the usual band (Gabbett 2016). It is contested and is context, "
            "not a prediction (Impellizzeri 2021). Warm-up: runs with one, of the runs whose "
            "warm-up was recorded. Core days: days with core or back-strengthening work. "
            "Avg pain: mean of each logged day's worst.",
            SMALL,
        )
    )
    return out


def _worse_helped_section(lay: _Layout) -> list[Flowable]:
    r = lay.report
    w = lay.width
    widths = [w * 0.4, w * 0.15, w * 0.15, w * 0.15, w * 0.15]
    out: list[Flowable] = [_section_title("worse_helped")]
    for title, counts, empty in (
        ("Made it worse", r.worse, "Nothing recorded as making it worse."),
        ("Helped", r.helped, "Nothing recorded as helping."),
    ):
        out.append(para(title, H2))
        out.append(_table(_count_rows(counts, "What"), widths) if counts else para(empty))
    out.append(Spacer(1, 3))
    out.append(
        para(
            "Average pain is that of the entries naming it: what helped is often noted on "
            "worse days, so a higher number does not mean it made things worse.",
            SMALL,
        )
    )
    return out


def _medications_section(lay: _Layout) -> list[Flowable]:
    r = lay.report
    out: list[Flowable] = [_section_title("medications")]
    if not r.medications:
        out.append(para("No medication recorded in the diary in this period."))
        return out
    rows: list[list[Any]] = [["Medication (as written)", "First", "Last", "Days", "Average pain"]]
    for m in r.medications:
        rows.append([m.name, day_text(m.first), day_text(m.last), str(m.days), _num(m.mean_pain)])
    w = lay.width
    out.append(_table(rows, [w * 0.4, w * 0.16, w * 0.16, w * 0.12, w * 0.16]))
    return out


def _findings_section(lay: _Layout) -> list[Flowable]:
    r = lay.report
    out: list[Flowable] = [_section_title("findings")]
    # (title, findings, brief): comparisons that could well be chance get one line each.
    groups: list[tuple[str, Sequence[Finding], bool]] = [
        ("Current alerts", r.alerts, False),
        ("Raised earlier in the period", r.earlier_alerts, False),
        (f"Patterns (q < {SIGNIFICANT_Q:g}), strongest first", r.patterns, False),
        (
            f"Tested, no clear pattern (q ≥ {SIGNIFICANT_Q:g}: could well be chance)",
            r.unclear,
            True,
        ),
        ("Training load (context, not a prediction)", r.load, False),
        ("Not enough data yet", r.insufficient, False),
    ]
    for title, found, brief in groups:
        if found:
            out += _kept([para(title, H2)], found, SMALL, brief)
    out.append(para("Read with care", H2))
    out += [
        KeepTogether([_rich([(c.title + ". ", True), (c.cited(), False)], SMALL)]) for c in CAVEATS
    ]
    return out


def _experiment_parts(lay: _Layout, result: ExperimentResult) -> list[Flowable]:
    """One experiment: plan, verdict, numbers, deviations, chart and caveats."""
    e = result.experiment
    plan = e.plan
    kind = plan.kind
    what = plan.label if plan.change == "custom" else kind.title
    orders = ", ".join(
        "on–off" if first_on else "off–on" for first_on in pair_orders(plan.seed, plan.pairs)
    )
    smallest = (
        f"{plan.mic_points:g} points" if plan.mic_points is not None else f"{MIC_PERCENT:g} %"
    )
    out: list[Flowable] = [para(f"Personal experiment: {what}", H1)]
    out.append(
        para(
            f"On means: {plan.on_means}; kept as planned is known from {kind.source}. "
            + ("A baseline week first, then " if plan.baseline else "")
            + f"{plan.pairs} pairs of {plan.phase_days}-day phases, {day_text(plan.start)} – "
            f"{day_text(plan.end)}, the order within each pair drawn at random (seed "
            f"{plan.seed}: {orders}). The first {plan.washout_days} days of each phase are a "
            "wash-out, left out of the comparison because back pain carries over. Outcome, "
            f"fixed before the start: {OUTCOMES[plan.outcome]}. Smallest change that matters: "
            f"{smallest} (Ostelo 2008).",
            SMALL,
        )
    )
    out.append(Spacer(1, 3))
    title = f"{result.status.capitalize()}" + (
        f" on {day_text(e.stopped_on)}: {e.stop_reason}" if e.stopped_on is not None else ""
    )
    out.append(_rich([(f"{title}. ", False), (result.words(), True)]))
    out.append(Spacer(1, 3))

    def effect(c: Comparison) -> str:
        if c.effect is None or c.interval is None:
            return "–"

        def point(x: float) -> str:
            return _num(round(x, 1) + 0.0, signed=True)  # never "−0.0"

        return f"{point(c.effect)} ({point(c.interval[0])} to {point(c.interval[1])})"

    def share(value: float | None) -> str:
        return "–" if value is None else f"{value * 100:.0f} %"

    p = result.p
    orders_n = 2 ** len(pairs_compared(result.days))
    rows: list[list[Any]] = [
        ["", "As planned (the comparison)", "As done (not randomised)"],
        [
            "Effect, on − off, points (90 % interval)",
            effect(result.plan_result),
            effect(result.done_result),
        ],
        [
            "Days compared (on / off)",
            f"{result.plan_result.n_on} / {result.plan_result.n_off}",
            f"{result.done_result.n_on} / {result.done_result.n_off}",
        ],
        [
            "Kept as planned (on days / off days)",
            f"{share(result.adherence.get(ON))} / {share(result.adherence.get(OFF))}",
            "",
        ],
        [
            "Randomisation test",
            "–" if p is None else f"p = {p:.2f} over the {orders_n} possible orders",
            "",
        ],
    ]
    w = lay.width
    out.append(_table(rows, [w * 0.36, w * 0.32, w * 0.32]))
    out.append(Spacer(1, 2))
    out.append(
        para(
            "Negative: less pain with the change. Helped or worse needs the 95 % interval "
            "clear of 0; no difference needs the 90 % interval within the smallest change "
            "that matters.",
            SMALL,
        )
    )
    if e.deviations:
        out.append(
            para(
                "Changes to the plan, as logged: "
                + "; ".join(f"{day_text(d.day)}: {d.text}" for d in e.deviations)
                + ".",
                SMALL,
            )
        )
    if result.events:
        out.append(para("Logged during the experiment: " + "; ".join(result.events) + ".", SMALL))
    out.append(Spacer(1, 4))
    out.append(KeepTogether([experiment_chart(result, w, 150)]))
    out.append(para("Read with care", H2))
    out += [para(c, SMALL) for c in EXPERIMENT_CAVEATS]
    return out


def _experiments_section(lay: _Layout) -> list[Flowable]:
    if not lay.report.experiments:
        return [_section_title(EXPERIMENTS), para("No personal experiment ran in this period.")]
    out: list[Flowable] = []
    for n, result in enumerate(lay.report.experiments):
        if n:
            out.append(Spacer(1, 10))
        out += _experiment_parts(lay, result)
    return out


def _appendix_section(lay: _Layout) -> list[Flowable]:
    r = lay.report
    out: list[Flowable] = [_section_title("appendix")]
    if not r.appendix:
        out.append(para("No diary entries in this period."))
        return out
    notes = r.options.notes
    out.append(
        para(
            f"Every diary entry of the period, oldest first ({len(r.appendix)} entries). "
            + ("" if notes else "Notes are left out. ")
            + f"Characters the report's font cannot print (such as emoji) show as {MISSING}.",
            SMALL,
        )
    )
    w = lay.width
    header = ["Date", "Time", "Pain", "Details"] + (["Note"] if notes else [])
    widths = [0.13, 0.07, 0.06] + ([0.37, 0.37] if notes else [0.74])
    rows: list[list[Any]] = [header]
    for e in r.appendix:
        row = [day_text(e.day), e.time, str(e.intensity), e.details]
        rows.append([*row, e.note] if notes else row)
    out.append(_table(rows, [w * x for x in widths]))
    return out


SECTION_BUILDERS: dict[str, Callable[[_Layout], list[Flowable]]] = {
    "summary": _summary,
    "checkup": _checkup_section,
    "body_map": _body_map_section,
    "daily_pattern": _daily_section,
    "training": _training_section,
    "worse_helped": _worse_helped_section,
    "medications": _medications_section,
    "findings": _findings_section,
    "appendix": _appendix_section,
    EXPERIMENTS: _experiments_section,
}


def _with_title(part: list[Flowable]) -> list[Flowable]:
    """A section's title kept on the page of what follows it."""
    if len(part) < 2:
        return part
    title, first, *rest = part
    inner = first._content if isinstance(first, KeepTogether) else [first]
    return [KeepTogether([title, *inner]), *rest]


def story(report: Report, width: float) -> list[Flowable]:
    """Every flowable of the report. Page 1 is the summary alone; the sections after it
    follow on from each other, and the appendix starts a page of its own."""
    lay = _Layout(report, width)
    out: list[Flowable] = []
    keys = list(report.options.sections)
    if not report.experiments and keys != [EXPERIMENTS]:  # alone, it says that none ran
        keys = [k for k in keys if k != EXPERIMENTS]
    for key in keys:
        part = SECTION_BUILDERS[key](lay)
        if not out:
            if key != "summary":
                part = _header(lay) + part  # the name and period head the first page
        elif key == "appendix" or out[-1] is _AFTER_SUMMARY:
            out.append(PageBreak())
        else:
            out.append(Spacer(1, 10))
        out += _with_title(part) if key != "summary" else part
        if key == "summary":
            out.append(_AFTER_SUMMARY)
    return [f for f in out if f is not _AFTER_SUMMARY]


_AFTER_SUMMARY = Spacer(0, 0)  # marks the end of page 1 while the story is put together


def frame_size(paper: str) -> tuple[float, float]:
    w, h = PAGE_SIZES[paper]
    return w - 2 * MARGIN, h - 2 * MARGIN - FOOTER_Y


def _numbered_canvas(footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that draws each page's footer once the page count is known."""

    class Numbered(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = FAMILY  # no unembedded Helvetica in the file
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                footer(self, number, total)
                super().showPage()
            super().save()

    return Numbered


def build_pdf(
    flowables: list[Flowable], paper_name: str, title: str, author: str, period: str
) -> bytes:
    """flowables laid out on pages of paper_name with the footer, as PDF bytes."""
    paper = PAGE_SIZES[paper_name]
    width, height = frame_size(paper_name)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=paper,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_Y,
        title=printable(title),
        author=printable(author) or "Backstride",
        subject=SUBJECT,
        creator=f"Backstride {__version__}",
        keywords="back pain, running, self-reported",
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_Y,
        width,
        height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def footer(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(FAMILY, 7.5)
        canvas.setFillColor(INK)
        y = MARGIN
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y + 9, paper[0] - MARGIN, y + 9)
        canvas.drawString(MARGIN, y, DISCLAIMER)
        canvas.drawCentredString(paper[0] / 2, y, printable(period))
        canvas.drawRightString(paper[0] - MARGIN, y, f"Page {number} of {total}")
        canvas.restoreState()

    doc.build(flowables, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    width, _ = frame_size(report.options.paper)
    return build_pdf(
        story(report, width),
        report.options.paper,
        f"{report.title} — {report.period_text}",
        report.name,
        report.period_text,
    )


__all__ = ["DISCLAIMER", "PAGE_SIZES", "build_pdf", "frame_size", "render_pdf", "story"]
