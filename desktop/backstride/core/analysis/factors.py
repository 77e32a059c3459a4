"""The 15 exposures the analysis compares pain against, each as exposed/unexposed days.

Run factors mark a day exposed when any run that day crosses the threshold and unexposed
when it had runs but none crossed it (so the comparison is "after these runs vs after
other runs"); day factors compare days with the exposure against other days with data.
Thresholds come from the runner's own runs in the period (top or bottom third, rounded
so the sentence is exactly true) unless clinical.md gives one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from backstride.core.analysis.constants import MIN_DAYS_PER_GROUP
from backstride.core.analysis.load import SWEET_SPOT, DailyLoad, RunTable
from backstride.core.analysis.timeline import BoolArray, FloatArray, Timeline, rolling_count
from backstride.core.models import HabitDay

# What to log so a factor (constants.FACTORS) can be tested, shown when its data are absent.
LOG_HINTS: dict[str, str] = {
    "descent": "Log the descent (metres downhill) of your runs, or import them from watch files.",
    "long_run": "Log the distance of every run; each run is compared with your longest run "
    "of the previous 30 days, so this needs more than 30 days of runs.",
    "pace": "Log distance and moving time for every run; each run's pace is compared with "
    "your typical pace of the previous 4 weeks.",
    "surges": "Pace surges are counted from watch files: import your runs (FIT, GPX or TCX).",
    "warmup": "Log your warm-up minutes with every run (0 when you skip it).",
    "core": "Log your core or back-strengthening minutes in the daily habits (0 on days without).",
    "duration": "Log the moving time of every run.",
    "cadence": "Log your cadence (steps per minute) with your runs, or import watch files.",
    "vertical_oscillation": "Log vertical oscillation with your runs, or import watch files "
    "from a watch that records it.",
    "surface": "Log the surface of every run; surfaces are compared with each other, so this "
    "needs runs on at least two.",
    "shoe_distance": "Log which shoe you wore for every run.",
    "sleep": "Log your hours of sleep in the daily habits.",
    "sitting": "Log your hours of sitting in the daily habits.",
    "weight": "Log your body weight in the daily habits (at least once a week).",
    "load_ratio": "Log every run with its moving time and effort (RPE) for at least 4 weeks.",
}

LONG_RUN_RATIO = 1.10  # Garmin-RUNSAFE (BJSM 2025): the +10-30 % band already raised risk
WEIGHT_TREND_DAYS = 14
WEIGHT_CARRY_DAYS = 7  # a weighing stands for up to a week
CORE_WINDOW_DAYS = 7
CORE_MIN_LOGGED = 4  # of the 7 days, to call a week "no core work" rather than unknown
_SURFACE_PHRASES = {
    "road": "road",
    "trail": "trails",
    "track": "a track",
    "treadmill": "a treadmill",
    "mixed": "mixed surfaces",
}


@dataclass(frozen=True, slots=True, eq=False)
class Exposure:
    factor: str
    exposed: BoolArray  # over the timeline, inside the period only
    unexposed: BoolArray
    subject: str  # "runs with 250 m or more of descent"
    comparator: str  # "other runs"
    per_run: bool
    key: str  # tells a factor's exposures apart: "descent", "descent_per_km", "surface_trail"
    threshold: float | None = None  # the cut the subject states, when there is one

    @property
    def training(self) -> bool:
        """Whether training chooses this exposure day by day, so that pain can drive it
        (reverse causation): it is compared against that morning's pain (outcomes.py)."""
        return self.per_run or self.factor == "load_ratio"


@dataclass(frozen=True, slots=True)
class Absent:
    """A factor whose data are not recorded at all: what to log instead."""

    factor: str
    message: str


@dataclass(frozen=True, slots=True, eq=False)
class Habits:
    core: FloatArray
    sleep: FloatArray
    sitting: FloatArray
    weight: FloatArray


def build_habits(habits: Iterable[HabitDay], tl: Timeline) -> Habits:
    cols = {k: tl.nan() for k in ("core", "sleep", "sitting", "weight")}
    for h in habits:
        i = tl.index(h.day)
        if not 0 <= i < tl.length:
            continue
        for name, value in (
            ("core", h.core_min),
            ("sleep", h.sleep_h),
            ("sitting", h.sitting_h),
            ("weight", h.weight_kg),
        ):
            if value is not None:
                cols[name][i] = float(value)
    return Habits(**cols)


def build_exposures(
    tl: Timeline,
    start: int,
    stop: int,
    runs: RunTable,
    habits: Habits,
    load: DailyLoad,
) -> list[Exposure | Absent]:
    """Every factor's exposures (several for descent and surface), or why it is absent."""
    period = np.zeros(tl.length, dtype=bool)
    period[start:stop] = True
    run_in = (runs.day >= start) & (runs.day < stop)
    b = _Builder(tl, period, runs, run_in)
    out: list[Exposure | Absent] = []
    out += b.high("descent", runs.descent, 10.0, "runs with {t:.0f} m or more of descent")
    with np.errstate(divide="ignore", invalid="ignore"):
        per_km = np.where(runs.km > 0, runs.descent / runs.km, np.nan)
    per_km_exposure = b.high(
        "descent",
        per_km,
        1.0,
        "runs with {t:.0f} m or more of descent per km",
        key="descent_per_km",
    )
    out += [e for e in per_km_exposure if isinstance(e, Exposure)]
    out += b.flags(
        "long_run",
        _flags(runs.longest_ratio, lambda r: r > LONG_RUN_RATIO),
        "runs more than 10 % longer than your longest run of the previous 30 days",
        threshold=LONG_RUN_RATIO,
    )
    speedup = (1.0 - runs.relative_pace) * 100.0
    out += b.high(
        "pace",
        speedup,
        1.0,
        "runs at least {t:.0f} % faster than your typical pace of the previous 4 weeks",
        floor=1.0,
    )
    out += b.high("surges", runs.surges, 1.0, "runs with {t:.0f} or more pace surges", floor=1.0)
    out += b.warmup(runs.warmup)
    out += [_core(tl, period, habits.core)]
    out += b.high("duration", runs.minutes, 5.0, "runs of {t:.0f} min or more")
    out += b.low("cadence", runs.cadence, 1.0, "runs with a cadence of {t:.0f} steps/min or less")
    out += b.high(
        "vertical_oscillation",
        runs.vertical_oscillation,
        0.1,
        "runs with {t:.1f} cm or more of vertical oscillation",
    )
    out += b.surfaces()
    out += b.high(
        "shoe_distance", runs.shoe_km, 50.0, "runs in shoes that already had {t:.0f} km or more"
    )
    out += b.day_low("sleep", habits.sleep, 0.5, "days logged with {t:g} h of sleep or less")
    out += b.day_high("sitting", habits.sitting, 0.5, "days with {t:g} h or more of sitting")
    out += b.day_high(
        "weight",
        _weight_change(habits.weight),
        0.1,
        "days when your weight had risen by {t:.1f} kg or more over 2 weeks",
        floor=0.1,
    )
    ratio = load.acwr
    known = ~np.isnan(ratio) & period
    if not known.any():
        out.append(Absent("load_ratio", LOG_HINTS["load_ratio"]))
    else:
        high = known & (ratio > SWEET_SPOT[1])
        out.append(
            Exposure(
                "load_ratio",
                high,
                known & ~high,
                # Gabbett 2016: above the 0.8-1.3 "sweet spot" (1.5 or more is "high").
                f"days with a load ratio above {SWEET_SPOT[1]:g}",
                "other days",
                per_run=False,
                key="load_ratio",
                threshold=SWEET_SPOT[1],
            )
        )
    return out


def _flags(values: FloatArray, test: Callable[[FloatArray], BoolArray]) -> FloatArray:
    """1.0 where test holds, 0.0 where not, NaN where the value is unknown."""
    with np.errstate(invalid="ignore"):
        hit = test(values)
    out: FloatArray = np.where(np.isnan(values), np.nan, hit.astype(np.float64))
    return out


def _round_to(x: float, step: float) -> float:
    return float(round(round(x / step) * step, 6))


class _Builder:
    def __init__(self, tl: Timeline, period: BoolArray, runs: RunTable, run_in: BoolArray):
        self.tl, self.period, self.runs, self.run_in = tl, period, runs, run_in

    def flags(
        self,
        factor: str,
        flags: FloatArray,
        subject: str,
        key: str | None = None,
        threshold: float | None = None,
        comparator: str = "other runs",
    ) -> list[Exposure | Absent]:
        """Day exposures from per-run flags: any flagged run exposes the day."""
        known = ~np.isnan(flags) & self.run_in
        if not known.any():
            return [Absent(factor, LOG_HINTS[factor])]
        n = self.tl.length
        day = self.runs.day[known]
        hit = np.bincount(day, weights=flags[known], minlength=n) > 0
        seen = np.bincount(day, minlength=n) > 0
        exposed = hit & self.period
        return [
            Exposure(
                factor,
                exposed,
                seen & ~hit & self.period,
                subject,
                comparator,
                True,
                key or factor,
                threshold,
            )
        ]

    def high(
        self,
        factor: str,
        values: FloatArray,
        step: float,
        subject: str,
        floor: float | None = None,
        key: str | None = None,
    ) -> list[Exposure | Absent]:
        known = values[self.run_in & ~np.isnan(values)]
        if known.size == 0:
            return [Absent(factor, LOG_HINTS[factor])]
        t = _round_to(float(np.quantile(known, 2.0 / 3.0)), step)
        if floor is not None:
            t = max(t, floor)
        hit = _flags(values, lambda v: v >= t - 1e-9)
        return self.flags(factor, hit, subject.format(t=t), key, t)

    def low(
        self, factor: str, values: FloatArray, step: float, subject: str, zero: str | None = None
    ) -> list[Exposure | Absent]:
        known = values[self.run_in & ~np.isnan(values)]
        if known.size == 0:
            return [Absent(factor, LOG_HINTS[factor])]
        t = _round_to(float(np.quantile(known, 1.0 / 3.0)), step)
        text = zero if zero is not None and t <= 0 else subject.format(t=t)
        return self.flags(factor, _flags(values, lambda v: v <= t + 1e-9), text, None, t)

    def warmup(self, minutes: FloatArray) -> list[Exposure | Absent]:
        """Skipped warm-ups when there are enough of them to compare, else the shortest third
        (the runner's own distribution, as clinical.md gives no threshold)."""
        known = self.run_in & ~np.isnan(minutes)
        skipped = np.unique(self.runs.day[known & (minutes == 0)]).size
        if skipped >= MIN_DAYS_PER_GROUP:
            flags = _flags(minutes, lambda v: v == 0)
            return self.flags("warmup", flags, "runs without a warm-up", None, 0.0)
        return self.low(
            "warmup",
            minutes,
            1.0,
            "runs with a warm-up of {t:.0f} min or less",
            zero="runs without a warm-up",
        )

    def surfaces(self) -> list[Exposure | Absent]:
        """One test per surface against the others, except that with two surfaces "road vs
        trails" and "trails vs road" are one test with the sign flipped: then only the less
        common surface is compared with the commoner one."""
        codes = [
            s for s, inside in zip(self.runs.surface, self.run_in, strict=True) if s and inside
        ]
        counts = {code: codes.count(code) for code in sorted(set(codes))}
        if len(counts) < 2:
            return [Absent("surface", LOG_HINTS["surface"])]
        tested = sorted(counts, key=lambda c: (counts[c], c))
        if len(tested) == 2:
            comparator = f"runs on {_surface_phrase(tested[1])}"
            tested = tested[:1]
        else:
            comparator = "runs on other surfaces"
        out: list[Exposure | Absent] = []
        surface = np.asarray([s or "" for s in self.runs.surface], dtype=object)
        for code in tested:
            flags = np.where(surface == "", np.nan, (surface == code).astype(np.float64))
            out += self.flags(
                "surface",
                flags.astype(np.float64),
                f"runs on {_surface_phrase(code)}",
                f"surface_{code}",
                comparator=comparator,
            )
        return out

    def day_high(
        self, factor: str, values: FloatArray, step: float, subject: str, floor: float | None = None
    ) -> list[Exposure | Absent]:
        return self._day(factor, values, step, subject, high=True, floor=floor)

    def day_low(
        self, factor: str, values: FloatArray, step: float, subject: str
    ) -> list[Exposure | Absent]:
        return self._day(factor, values, step, subject, high=False, floor=None)

    def _day(
        self,
        factor: str,
        values: FloatArray,
        step: float,
        subject: str,
        *,
        high: bool,
        floor: float | None,
    ) -> list[Exposure | Absent]:
        known = ~np.isnan(values) & self.period
        if not known.any():
            return [Absent(factor, LOG_HINTS[factor])]
        t = _round_to(float(np.quantile(values[known], 2.0 / 3.0 if high else 1.0 / 3.0)), step)
        if floor is not None:
            t = max(t, floor)
        with np.errstate(invalid="ignore"):
            hit = values >= t - 1e-9 if high else values <= t + 1e-9
        exposed = known & hit
        return [
            Exposure(
                factor,
                exposed,
                known & ~hit,
                subject.format(t=t),
                "other days",
                per_run=False,
                key=factor,
                threshold=t,
            )
        ]


def _core(tl: Timeline, period: BoolArray, core: FloatArray) -> Exposure | Absent:
    logged = ~np.isnan(core)
    if not (logged & period).any():
        return Absent("core", LOG_HINTS["core"])
    with np.errstate(invalid="ignore"):
        did = rolling_count(logged & (core > 0), CORE_WINDOW_DAYS) > 0
    enough = rolling_count(logged, CORE_WINDOW_DAYS) >= CORE_MIN_LOGGED
    return Exposure(
        "core",
        ~did & enough & period,
        did & period,
        "days with no core work in the previous 7 days",
        "days with some",
        per_run=False,
        key="core",
    )


def _surface_phrase(code: str) -> str:
    return _SURFACE_PHRASES.get(code, code.replace("_", " "))


def _weight_change(weight: FloatArray) -> FloatArray:
    """Weight now minus weight 2 weeks before, each carried forward up to a week."""
    n = weight.size
    present = ~np.isnan(weight)
    last = np.where(present, np.arange(n), -1)
    last = np.maximum.accumulate(last)
    age = np.arange(n) - last
    carried = np.where(
        (last >= 0) & (age <= WEIGHT_CARRY_DAYS), weight[np.maximum(last, 0)], np.nan
    )
    out = np.full(n, np.nan)
    out[WEIGHT_TREND_DAYS:] = carried[WEIGHT_TREND_DAYS:] - carried[:-WEIGHT_TREND_DAYS]
    return out
