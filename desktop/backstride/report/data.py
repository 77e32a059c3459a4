"""The report as one plain value: every figure, row and sentence the PDF prints.

``build_report`` reads core values only (the dataset, the stored check-ups, the profile's
two fields) and runs the analysis, so it is tested without reportlab and the PDF layer
never computes anything. Missing days stay missing: a day without a diary entry is never
counted as pain-free, and every figure says how many days it rests on.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backstride.core.analysis.alerts import MEANINGFUL_CHANGE, day_text
from backstride.core.analysis.findings import Analysis, Finding
from backstride.core.experiment_result import Result as ExperimentResult
from backstride.core.experiment_result import build_result
from backstride.core.experiments import Experiment, Log
from backstride.core.models import Assessment, Dataset, PainEntry, Run
from backstride.core.profile import Profile, header_parts
from backstride.core.training_days import monday_of
from backstride.core.triage import headline_text, question_label, tier_wording
from backstride.core.triage_answers import SPECS, red_flag_keys
from backstride.core.triage_record import RecordError, flatten_answers, result_from_record
from backstride.core.units import UNITS
from backstride.core.vocab import HELPED, QUALITIES, REGIONS, TIMINGS, WORSE
from backstride.report.options import ReportOptions, check_options

TITLE = "Back pain and running: summary for my physiotherapist"
CHANGE_DAYS = 14  # "against the first two weeks of the period": its first and last 14 days
# A two-week mean resting on fewer diary days than this is not compared (as the
# worsening alert asks for 4 of its last 7 days).
CHANGE_MIN_DAYS = 4
PAGE1_PATTERNS = 3  # the strongest patterns on page 1; all of them under "All findings"
RED_FLAG_KEYS: tuple[str, ...] = red_flag_keys("emergency") + red_flag_keys("urgent")
RECHECK_KEYS: tuple[str, ...] = tuple(k for k in SPECS if k.startswith("recheck."))


@dataclass(frozen=True, slots=True)
class Figures:
    days: int  # days in the period
    days_logged: int  # days with at least one diary entry
    pain_days: int  # logged days whose worst pain was above 0
    average: float | None  # mean of each logged day's worst pain
    worst: int | None
    worst_day: date | None
    first_average: float | None  # the period's first CHANGE_DAYS days (None: too few logged)
    last_average: float | None  # its last CHANGE_DAYS days
    first_logged: int
    last_logged: int
    runs: int
    distance_m: float

    @property
    def days_missing(self) -> int:
        return self.days - self.days_logged

    @property
    def pain_days_per_week(self) -> float | None:
        """Pain days per 7 logged days (missing days are not counted as pain-free)."""
        return None if not self.days_logged else 7 * self.pain_days / self.days_logged

    @property
    def change(self) -> float | None:
        if self.first_average is None or self.last_average is None:
            return None
        return self.last_average - self.first_average

    @property
    def meaningful_change(self) -> bool:
        """About 2 points is the smallest change people with back pain find meaningful."""
        return self.change is not None and abs(self.change) >= MEANINGFUL_CHANGE


@dataclass(frozen=True, slots=True)
class DayPoint:
    day: date
    worst: int | None  # None: nothing logged that day
    least: int | None
    average7: float | None  # 7-day mean of the daily worst (the analysis's, needs 4 days)
    run_m: float  # distance run that day, 0 without a run


@dataclass(frozen=True, slots=True)
class WeekRow:
    monday: date
    days: int  # days of this week inside the period
    runs: int
    distance_m: float
    moving_s: float
    descent_m: float
    longest_m: float | None
    load_ratio: float | None  # acute:chronic ratio on the week's last day (context only)
    warmup_runs: int  # runs with a warm-up
    warmup_known: int  # runs whose warm-up was recorded (0 minutes counts: none)
    core_sessions: int  # days with core or back-strengthening minutes
    mean_pain: float | None  # mean daily worst pain of the logged days


@dataclass(frozen=True, slots=True)
class RedFlagAnswer:
    key: str
    label: str
    tier: str  # "emergency" or "urgent" for a warning sign, "recheck" when asked again
    answer: str  # "yes", "no" or "not answered" ("not sure" is stored as not answered)


@dataclass(frozen=True, slots=True)
class CheckupSummary:
    taken: datetime
    tier: str
    tier_name: str
    headline: str
    answers: tuple[RedFlagAnswer, ...]
    rules_version: str

    def with_answer(self, answer: str) -> tuple[RedFlagAnswer, ...]:
        return tuple(a for a in self.answers if a.answer == answer)

    @property
    def status(self) -> str:
        """The warning-sign screen in one sentence, "none reported" said explicitly."""
        yes = self.with_answer("yes")
        unanswered = [a for a in self.with_answer("not answered") if a.tier != "recheck"]
        asked = [a for a in self.answers if a.tier != "recheck"]
        parts = []
        if yes:
            parts.append("Reported: " + "; ".join(a.label for a in yes) + ".")
        if unanswered:
            parts.append(
                f"Not answered ({len(unanswered)} of {len(asked)}): "
                + "; ".join(a.label for a in unanswered)
                + "."
            )
        if not yes and not unanswered:
            return f"None reported: all {len(asked)} warning-sign questions answered no."
        if not yes:
            parts.insert(0, "None reported among the questions answered.")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Count:
    code: str
    label: str
    entries: int
    days: int
    mean_pain: float | None
    worst: int | None


@dataclass(frozen=True, slots=True)
class Stiffness:
    entries: int
    median_min: float | None
    longest_min: int | None


@dataclass(frozen=True, slots=True)
class Medication:
    name: str
    first: date
    last: date
    days: int
    mean_pain: float


@dataclass(frozen=True, slots=True)
class AppendixEntry:
    day: date
    time: str
    intensity: int
    details: str  # where, when, what it felt like, what made it worse or helped
    note: str  # empty when notes are left out


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    generated: datetime
    options: ReportOptions
    name: str
    birth_year: int | None
    profile: Profile  # name and year of birth above, and height, weight, running since
    figures: Figures
    days: tuple[DayPoint, ...]
    weeks: tuple[WeekRow, ...]
    checkup: CheckupSummary | None  # the latest check-up taken in the period
    earlier_checkup: date | None  # without one in the period: the latest before it
    patterns: tuple[Finding, ...]  # q < 0.1, strongest first
    alerts: tuple[Finding, ...]  # current
    earlier_alerts: tuple[Finding, ...]  # raised earlier in the period
    unclear: tuple[Finding, ...]  # tested, no clear pattern
    load: tuple[Finding, ...]  # load context
    insufficient: tuple[Finding, ...]  # not enough data yet
    regions: tuple[Count, ...]  # most frequent first
    timings: tuple[Count, ...]  # in the order of the day
    stiffness: Stiffness
    worse: tuple[Count, ...]
    helped: tuple[Count, ...]
    medications: tuple[Medication, ...]
    appendix: tuple[AppendixEntry, ...]
    # Personal experiments that ran in the period, oldest first, as of the period's end.
    experiments: tuple[ExperimentResult, ...] = ()

    @property
    def profile_parts(self) -> list[str]:
        """The profile in the header, height and weight in the report's units (core.units)."""
        return header_parts(self.profile, self.generated.date(), UNITS[self.options.unit])

    @property
    def period_text(self) -> str:
        o = self.options
        return f"{day_text(o.start)} – {day_text(o.end)} ({o.days} days)"

    @property
    def page1_patterns(self) -> tuple[Finding, ...]:
        return self.patterns[:PAGE1_PATTERNS]

    @property
    def nothing_logged(self) -> bool:
        return not self.figures.days_logged and not self.figures.runs


def build_report(
    dataset: Dataset,
    assessments: Sequence[Assessment],
    options: ReportOptions,
    now: datetime,
    *,
    name: str = "",
    birth_year: int | None = None,
    profile: Profile | None = None,
    analysis: Analysis | None = None,
    experiments: Sequence[tuple[Experiment, Mapping[date, bool]]] = (),
) -> Report:
    """Everything the report prints for the period in options. ``dataset`` may start
    before the period: earlier records are the history the analysis needs. ``profile``
    (the stored one) gives the header; without it, ``name`` and ``birth_year`` do.
    ``experiments`` are the stored experiments with their daily answers: those that ran
    in the period get a section."""
    check_options(options)
    if profile is None:
        profile = Profile(name=name, birth_year=birth_year)
    start, end = options.start, options.end
    if analysis is None:
        from backstride.core.analysis import analyze

        analysis = analyze(dataset, start, end)
    pain = sorted((e for e in dataset.pain if start <= e.day <= end), key=_entry_order)
    runs = sorted((r for r in dataset.runs if start <= r.day <= end), key=lambda r: r.start)
    by_day: dict[date, list[PainEntry]] = defaultdict(list)
    for e in pain:
        by_day[e.day].append(e)
    worst = {d: max(e.intensity for e in es) for d, es in by_day.items()}
    checkup, earlier = _checkup(assessments, start, end)
    findings = analysis.findings
    alerts = [f for f in findings if f.kind == "alert"]
    return Report(
        title=TITLE,
        generated=now,
        options=options,
        name=profile.name,
        birth_year=profile.birth_year,
        profile=profile,
        figures=_figures(options, worst, runs),
        days=_days(options, by_day, runs, analysis),
        weeks=_weeks(options, worst, runs, dataset, analysis),
        checkup=checkup,
        earlier_checkup=earlier,
        patterns=analysis.patterns,
        alerts=tuple(f for f in alerts if f.current),
        earlier_alerts=tuple(f for f in alerts if not f.current),
        unclear=tuple(f for f in findings if f.kind == "association" and not f.significant),
        load=analysis.of_kind("load"),
        insufficient=analysis.of_kind("insufficient"),
        regions=_regions(pain),
        timings=_timings(pain),
        stiffness=_stiffness(pain),
        worse=_counts(pain, WORSE, lambda e: e.worse),
        helped=_counts(pain, HELPED, lambda e: e.helped),
        medications=_medications(pain),
        appendix=tuple(_appendix_entry(e, options.notes) for e in pain)
        if "appendix" in options.sections
        else (),
        experiments=_experiments(experiments, dataset, options, now),
    )


def _experiments(
    experiments: Sequence[tuple[Experiment, Mapping[date, bool]]],
    dataset: Dataset,
    options: ReportOptions,
    now: datetime,
) -> tuple[ExperimentResult, ...]:
    """The result of each experiment with days in the period, as it stood at the period's
    end (the diary after it is not read): one still under way then has no verdict yet."""
    today = min(now.date(), options.end)
    found = []
    for experiment, ticks in experiments:
        if experiment.plan.start > options.end or experiment.last_day(today) < options.start:
            continue
        log = Log(pain=dataset.pain, runs=dataset.runs, habits=dataset.habits, ticks=ticks)
        found.append(build_result(experiment, log, today))
    return tuple(sorted(found, key=lambda r: r.experiment.plan.start))


def _entry_order(e: PainEntry) -> tuple[date, str, int]:
    return e.day, "" if e.time is None else e.time.isoformat(), e.id or 0


def _mean(values: Iterable[float]) -> float | None:
    got = list(values)
    return statistics.fmean(got) if got else None


def _figures(options: ReportOptions, worst: Mapping[date, int], runs: Sequence[Run]) -> Figures:
    def window(first: date, last: date) -> tuple[float | None, int]:
        got = [v for d, v in worst.items() if first <= d <= last]
        return (_mean(got) if len(got) >= CHANGE_MIN_DAYS else None), len(got)

    # Two windows that do not overlap: a period shorter than four weeks compares its halves.
    span = min(CHANGE_DAYS, options.days // 2)
    first_avg, first_n = window(options.start, options.start + timedelta(days=span - 1))
    last_avg, last_n = window(options.end - timedelta(days=span - 1), options.end)
    worst_day = max(worst, key=lambda d: (worst[d], d), default=None)
    return Figures(
        days=options.days,
        days_logged=len(worst),
        pain_days=sum(1 for v in worst.values() if v > 0),
        average=_mean(worst.values()),
        worst=None if worst_day is None else worst[worst_day],
        worst_day=worst_day,
        first_average=first_avg if span else None,
        last_average=last_avg if span else None,
        first_logged=first_n,
        last_logged=last_n,
        runs=len(runs),
        distance_m=sum(r.distance_m or 0.0 for r in runs),
    )


def _float(x: float) -> float | None:
    return None if x != x else float(x)  # NaN (missing) is None


def _days(
    options: ReportOptions,
    by_day: Mapping[date, list[PainEntry]],
    runs: Sequence[Run],
    analysis: Analysis,
) -> tuple[DayPoint, ...]:
    average = {
        d: _float(v) for d, v in zip(analysis.series.days, analysis.series.average7, strict=True)
    }
    run_m: dict[date, float] = defaultdict(float)
    for r in runs:
        run_m[r.day] += r.distance_m or 0.0
    out = []
    for i in range(options.days):
        d = options.start + timedelta(days=i)
        entries = by_day.get(d, [])
        out.append(
            DayPoint(
                day=d,
                worst=max((e.intensity for e in entries), default=None),
                least=min((e.intensity for e in entries), default=None),
                average7=average.get(d),
                run_m=run_m.get(d, 0.0),
            )
        )
    return tuple(out)


def _weeks(
    options: ReportOptions,
    worst: Mapping[date, int],
    runs: Sequence[Run],
    dataset: Dataset,
    analysis: Analysis,
) -> tuple[WeekRow, ...]:
    ratio = {
        d: _float(v) for d, v in zip(analysis.series.days, analysis.series.load_ratio, strict=True)
    }
    core_days = {
        h.day for h in dataset.habits if options.start <= h.day <= options.end and h.core_min
    }
    by_week: dict[date, list[Run]] = defaultdict(list)
    for r in runs:
        by_week[monday_of(r.day)].append(r)
    rows = []
    monday = monday_of(options.start)
    while monday <= options.end:
        first, last = max(monday, options.start), min(monday + timedelta(days=6), options.end)
        mine = by_week.get(monday, [])
        pains = [v for d, v in worst.items() if first <= d <= last]
        longest = max((r.distance_m for r in mine if r.distance_m), default=None)
        rows.append(
            WeekRow(
                monday=monday,
                days=(last - first).days + 1,
                runs=len(mine),
                distance_m=sum(r.distance_m or 0.0 for r in mine),
                moving_s=sum(r.moving_time_s or 0.0 for r in mine),
                descent_m=sum(r.descent_m or 0.0 for r in mine),
                longest_m=longest,
                load_ratio=ratio.get(last),
                warmup_runs=sum(1 for r in mine if r.warmup_min),
                warmup_known=sum(1 for r in mine if r.warmup_min is not None),
                core_sessions=sum(1 for d in core_days if first <= d <= last),
                mean_pain=_mean(pains),
            )
        )
        monday += timedelta(days=7)
    return tuple(rows)


def _checkup(
    assessments: Sequence[Assessment], start: date, end: date
) -> tuple[CheckupSummary | None, date | None]:
    """The latest check-up taken in the period, else the day of the latest one before it."""
    dated = sorted(assessments, key=lambda a: a.taken_at, reverse=True)
    inside = [a for a in dated if start <= a.taken_at.astimezone().date() <= end]
    if not inside:
        before = [a for a in dated if a.taken_at.astimezone().date() < start]
        return None, before[0].taken_at.astimezone().date() if before else None
    latest = inside[0]
    flat = flatten_answers(latest.answers)

    def answer(key: str) -> str:
        value = flat.get(key)
        return "not answered" if value is None else ("yes" if value is True else "no")

    answers = [
        RedFlagAnswer(k, question_label(k), str(SPECS[k].tier), answer(k)) for k in RED_FLAG_KEYS
    ]
    answers += [
        RedFlagAnswer(k, question_label(k), "recheck", answer(k))
        for k in RECHECK_KEYS
        if flat.get(k) is not None
    ]
    try:
        result = result_from_record(latest.result)
    except RecordError:
        return CheckupSummary(
            latest.taken_at,
            "",
            "Unreadable",
            "The saved result cannot be read back; its answers are listed as given.",
            tuple(answers),
            latest.rules_version,
        ), None
    return CheckupSummary(
        taken=latest.taken_at,
        tier=result.tier,
        tier_name=tier_wording(result.tier).name,
        headline=headline_text(result),
        answers=tuple(answers),
        rules_version=result.rules_version,
    ), None


def _counts(
    pain: Sequence[PainEntry],
    vocab: Mapping[str, str],
    codes_of: Callable[[PainEntry], Iterable[str]],
) -> tuple[Count, ...]:
    """How often each code was given, with the pain of its entries; most frequent first."""
    entries: dict[str, list[PainEntry]] = defaultdict(list)
    for e in pain:
        for code in set(codes_of(e)):
            entries[code].append(e)
    rows = [
        Count(
            code=code,
            label=vocab.get(code, code),
            entries=len(es),
            days=len({e.day for e in es}),
            mean_pain=_mean(e.intensity for e in es),
            worst=max(e.intensity for e in es),
        )
        for code, es in entries.items()
    ]
    order = list(vocab)
    rows.sort(key=lambda c: (-c.entries, order.index(c.code) if c.code in order else len(order)))
    return tuple(rows)


def _regions(pain: Sequence[PainEntry]) -> tuple[Count, ...]:
    return _counts([e for e in pain if e.intensity > 0], REGIONS, lambda e: e.regions)


def _timings(pain: Sequence[PainEntry]) -> tuple[Count, ...]:
    found = {c.code: c for c in _counts(pain, TIMINGS, lambda e: (e.timing or "unset",))}
    order = [*TIMINGS, "unset"]
    rows = [found[c] for c in order if c in found]
    return tuple(
        Count(c.code, "Time not given", c.entries, c.days, c.mean_pain, c.worst)
        if c.code == "unset"
        else c
        for c in rows
    )


def _stiffness(pain: Sequence[PainEntry]) -> Stiffness:
    minutes = [e.stiffness_min for e in pain if e.stiffness_min is not None]
    return Stiffness(
        entries=len(minutes),
        median_min=statistics.median(minutes) if minutes else None,
        longest_min=max(minutes, default=None),
    )


def _medications(pain: Sequence[PainEntry]) -> tuple[Medication, ...]:
    """Each medication as first written, with the days it was noted and their pain."""
    named: dict[str, list[PainEntry]] = defaultdict(list)
    spelling: dict[str, str] = {}
    for e in pain:
        text = " ".join(e.medication.split())
        if text:
            key = text.casefold()
            spelling.setdefault(key, text)
            named[key].append(e)
    rows = [
        Medication(
            name=spelling[key],
            first=min(e.day for e in es),
            last=max(e.day for e in es),
            days=len({e.day for e in es}),
            mean_pain=statistics.fmean(e.intensity for e in es),
        )
        for key, es in named.items()
    ]
    rows.sort(key=lambda m: (m.first, m.name.casefold()))
    return tuple(rows)


def _labels(codes: Iterable[str], vocab: Mapping[str, str]) -> str:
    return ", ".join(vocab.get(c, c) for c in codes)


def _appendix_entry(e: PainEntry, notes: bool) -> AppendixEntry:
    parts = []
    if e.regions:
        parts.append(_labels(e.regions, REGIONS))
    if e.timing:
        parts.append(TIMINGS.get(e.timing, e.timing).lower())
    if e.quality:
        parts.append(_labels(e.quality, QUALITIES).lower())
    if e.stiffness_min is not None:
        parts.append(f"stiffness {e.stiffness_min} min")
    if e.worse:
        parts.append("worse: " + _labels(e.worse, WORSE).lower())
    if e.helped:
        parts.append("helped: " + _labels(e.helped, HELPED).lower())
    if e.medication.strip():
        parts.append("medication: " + " ".join(e.medication.split()))
    return AppendixEntry(
        day=e.day,
        time="" if e.time is None else e.time.strftime("%H:%M"),
        intensity=e.intensity,
        details="; ".join(parts),
        note=e.note.strip() if notes else "",
    )


__all__ = [
    "RED_FLAG_KEYS",
    "AppendixEntry",
    "CheckupSummary",
    "Count",
    "DayPoint",
    "Figures",
    "Medication",
    "RedFlagAnswer",
    "Report",
    "Stiffness",
    "WeekRow",
    "build_report",
]
