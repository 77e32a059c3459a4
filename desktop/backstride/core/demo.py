"""A realistic, reproducible demo runner: runs, habit days, shoes and a pain diary.

The runner trains 3-5 times a week (easy runs, a faster session on Tuesdays, a Sunday long
run that climbs in steps to a race and then starts again from a base, the odd day out in
the hills), on flat, rolling and hilly routes, takes about two holidays a year without
running, skips some warm-ups, does core work in spells of 1-4 weeks, wears 2-3 shoes a year
and misses diary days now and then (a missed day has no entries: missing, never 0).
Pain follows a slowly wandering personal level (an AR(1) process around 1.8 with
occasional flares) plus measurement noise, and these relationships are planted (sizes are
the ``DEMO_EFFECTS`` defaults, in 0-10 pain points; ``effects=`` overrides them):

- ``descent``: the morning after a run with 250 m or more of descent, the on-waking pain
  is 1.5 points higher; entries later on the day of that run are 0.75 higher.
- ``warmup``: the morning after a run without a warm-up (0 min), +1.5 (same day +0.75).
- ``long_run``: the morning after a run more than 10 % longer than the longest run of the
  previous 30 days, +2.0 (same day +1.0).
- ``core``: every entry is 1.5 points higher on days with no core work in the 7 days
  before, i.e. pain is lower in weeks with core work.

Run effects add up (a long, hilly run without a warm-up counts three times). Nothing else
(sleep, sitting, weight, surface, shoes, cadence, pace, ...) affects pain, though some
go together with planted factors (hilly runs are often on trails, long runs are long),
so the analysis may rightly find them associated too. Each entry gets its own noise
(SD 0.7) and is rounded to 0-10. The same seed and end date give exactly the same data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone
from types import MappingProxyType

from backstride.core.models import Dataset, HabitDay, PainEntry, Run, Shoe

DEMO_EFFECTS: Mapping[str, float] = MappingProxyType(
    {"descent": 1.5, "warmup": 1.5, "long_run": 2.0, "core": 1.5}
)
PLANTED_DESCENT_M = 250.0
PLANTED_LONG_RUN_RATIO = 1.10  # the RUNSAFE +10 % band edge (clinical.md section 4)
SAME_DAY_SHARE = 0.5  # share of a run's next-morning effect felt later the same day

TZ = timezone(timedelta(hours=1))  # the demo runner's fixed UTC offset
ROAD_SHOES = ("Pegasus", "Clifton", "Ghost", "Novablast")
TRAIL_SHOES = ("Speedgoat", "Peregrine")
SHOE_LIFE_KM = (650.0, 850.0)

# Columns of the per-day uniform draws; fixed so that changing one use never shifts another.
_U_HOLIDAY, _U_GAP, _U_MISS, _U_WAKE, _U_EVENING, _U_FLARE, _U_HABIT, _U_WEIGHT = range(8)
_U_CORE, _U_CROSS, _U_SHIFT, _U_MED, _U_REGION, _U_REGION2, _U_QUAL, _U_WORSE = range(8, 16)
_N_U = 16
# Columns of the per-day normal draws.
_Z_LATENT, _Z_WAKE, _Z_EVENING, _Z_SLEEP, _Z_WEIGHT, _Z_FATIGUE, _Z_SIT, _Z_STIFF = range(8)
_N_Z = 8
# Per-run draws (uniform then normal), one row per planned run.
_RU_ROUTE, _RU_SURFACE, _RU_WARMUP, _RU_WARMLEN, _RU_START, _RU_AFTER, _RU_DURING = range(7)
_RU_RPE, _RU_SURGES, _RU_HILLS = range(7, 10)
_N_RU = 10
_RZ_DIST, _RZ_PACE, _RZ_CADENCE, _RZ_VO, _RZ_HR, _RZ_AFTER, _RZ_DURING, _RZ_START = range(8)
_N_RZ = 8


def generate_demo(
    days: int = 365,
    seed: int = 0,
    end: date | None = None,
    *,
    effects: Mapping[str, float] | None = None,
) -> Dataset:
    """A demo runner's last ``days`` days up to ``end`` (default today).

    ``effects`` replaces the planted effect sizes (keys of ``DEMO_EFFECTS``; missing keys
    are 0, so ``effects={}`` plants nothing) and leaves every other draw unchanged.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1 (got {days}).")
    sizes = _effect_sizes(effects)
    import numpy as np

    end = end or date.today()
    start = end - timedelta(days=days - 1)
    rng = np.random.default_rng(seed)
    u: list[list[float]] = rng.random((days, _N_U)).tolist()
    z: list[list[float]] = rng.standard_normal((days, _N_Z)).tolist()
    max_runs = days  # at most one planned run a day
    ru: list[list[float]] = rng.random((max_runs, _N_RU)).tolist()
    rz: list[list[float]] = rng.standard_normal((max_runs, _N_RZ)).tolist()
    weeks = days // 7 + 2
    wu: list[list[float]] = rng.random((weeks, 10)).tolist()

    sim = _Simulation(start, days, sizes, u, z, ru, rz, wu)
    sim.plan_calendar()
    sim.plan_runs()
    sim.diary()
    return Dataset(
        pain=tuple(sim.pain),
        runs=tuple(sim.runs),
        habits=tuple(sim.habits),
        shoes=tuple(sim.shoes()),
    )


def _effect_sizes(effects: Mapping[str, float] | None) -> dict[str, float]:
    if effects is None:
        return dict(DEMO_EFFECTS)
    unknown = sorted(set(effects) - set(DEMO_EFFECTS))
    if unknown:
        raise ValueError(
            f"Unknown demo effect(s) {', '.join(unknown)}; use {', '.join(DEMO_EFFECTS)}."
        )
    return {k: float(effects.get(k, 0.0)) for k in DEMO_EFFECTS}


class _Simulation:
    """Builds the runner day by day from pre-drawn random numbers."""

    def __init__(
        self,
        start: date,
        days: int,
        sizes: dict[str, float],
        u: list[list[float]],
        z: list[list[float]],
        ru: list[list[float]],
        rz: list[list[float]],
        wu: list[list[float]],
    ) -> None:
        self.start = start
        self.days = days
        self.sizes = sizes
        self.u, self.z, self.ru, self.rz, self.wu = u, z, ru, rz, wu
        self.holiday = [False] * days
        self.diary_gap = [False] * days
        self.core_spell = [False] * days
        self.core_done = [False] * days
        self.runs: list[Run] = []
        self.run_days: list[int] = []
        self.next_morning_bump = [0.0] * (days + 1)
        self.same_day_bump = [0.0] * days
        self.pain: list[PainEntry] = []
        self.habits: list[HabitDay] = []
        self._shoe_spans: list[tuple[str, int, int | None]] = []  # name, first, retired
        self.road_state = _ShoeState(ROAD_SHOES)
        self.trail_state = _ShoeState(TRAIL_SHOES)

    # -- calendar: holidays, diary gaps, core-work spells ---------------------------------
    def plan_calendar(self) -> None:
        t = 0
        while t < self.days:
            row = self.u[t]
            if row[_U_HOLIDAY] < 2.0 / 365.0:  # about two holidays a year
                length = 7 + int(row[_U_SHIFT] * 8)  # 7-14 days
                for k in range(t, min(self.days, t + length)):
                    self.holiday[k] = True
                t += length
                continue
            if row[_U_GAP] < 3.0 / 365.0:  # a few multi-day diary gaps a year
                length = 2 + int(row[_U_SHIFT] * 5)
                for k in range(t, min(self.days, t + length)):
                    self.diary_gap[k] = True
                t += length
                continue
            t += 1
        # Core work comes in spells of 1-4 weeks on, 1-4 weeks off.
        t, on = 0, self.wu[0][0] < 0.5
        w = 0
        while t < self.days:
            length = 7 * (1 + int(self.wu[w % len(self.wu)][1] * 4))
            for k in range(t, min(self.days, t + length)):
                self.core_spell[k] = on
            t += length
            on = not on
            w += 1
        for k in range(self.days):
            # 3-4 sessions a week inside a spell, none on holiday.
            if self.core_spell[k] and not self.holiday[k] and self.u[k][_U_CORE] < 0.5:
                self.core_done[k] = True

    # -- runs ------------------------------------------------------------------------------
    def plan_runs(self) -> None:
        # The long run climbs in steps (+15-35 % some weeks) to a peak, the race, and then
        # starts again from a base: steps are the runs longer than the recent longest.
        level, peak = 12.0 + 2.0 * self.wu[0][6], 20.0 + 10.0 * self.wu[0][3]
        n_planned = 0
        first_monday = -self.start.weekday()
        was_on_holiday = False
        for w, week_start in enumerate(range(first_monday, self.days, 7)):
            wrow = self.wu[w]
            in_week = [d for d in range(week_start, week_start + 7) if 0 <= d < self.days]
            if all(self.holiday[d] for d in in_week):
                was_on_holiday = True
                continue
            if was_on_holiday:
                level = max(10.0, level * 0.8)
                was_on_holiday = False
            if wrow[4] < 0.6:
                level *= 1.15 + 0.2 * wrow[5]
            this_long = min(level, 1.15 * peak)
            if level > peak:  # race week; then back to base for a new build-up
                level = 11.0 + 3.0 * wrow[6]
                peak = 20.0 + 12.0 * wrow[3]
            big_day = wrow[7] < 0.05  # a day out in the hills
            if big_day:
                this_long *= 1.3 + 0.4 * wrow[8]
            hilly_block = (w // 6) % 3 == 2  # every third 6-week block favours hills
            n_runs = 3 if wrow[2] < 0.3 else (4 if wrow[2] < 0.75 else 5)
            plan = {3: (1, 3, 6), 4: (1, 3, 5, 6), 5: (1, 2, 3, 5, 6)}[n_runs]
            for dow in plan:
                d = week_start + dow
                if not 0 <= d < self.days or self.holiday[d]:
                    continue
                if dow in (2, 3) and self.u[d][_U_SHIFT] < 0.15:
                    d += 1  # life happens: the run moves a day
                    if d >= self.days or self.holiday[d]:
                        continue
                kind = "long" if dow == 6 else ("session" if dow == 1 else "easy")
                if n_planned >= len(self.ru):
                    break
                self._add_run(d, kind, this_long, big_day, hilly_block, n_planned)
                n_planned += 1
        self._close_shoe(self.road_state)
        self._close_shoe(self.trail_state)

    def _add_run(
        self, d: int, kind: str, long_km: float, big_day: bool, hilly_block: bool, i: int
    ) -> None:
        r, g = self.ru[i], self.rz[i]
        day = self.start + timedelta(days=d)
        if kind == "long":
            dist_km = long_km * (1.0 + 0.04 * g[_RZ_DIST])
            pace = 375.0 + 12.0 * g[_RZ_PACE]  # ~6:15 /km
        elif kind == "session":
            dist_km = 9.5 + 1.2 * g[_RZ_DIST]
            pace = 300.0 + 12.0 * g[_RZ_PACE]  # ~5:00 /km including recoveries
        else:
            dist_km = 7.5 + 1.3 * g[_RZ_DIST]
            pace = 355.0 + 15.0 * g[_RZ_PACE]
        dist_km = max(3.0, dist_km)
        # Routes: flat, rolling or hilly (a hill loop, or hill repeats as a session).
        route, hills = r[_RU_ROUTE], r[_RU_HILLS]
        p_hilly = (0.5 if hilly_block else 0.3) + (0.1 if kind == "long" or big_day else 0.0)
        if kind == "session":
            p_hilly, p_rolling = 0.25, 0.0
        else:
            p_rolling = 0.35
        if route < p_hilly:
            route_kind = "hilly"
            descent = (250.0 + 300.0 * hills) * max(1.0, dist_km / 12.0)
        elif route < p_hilly + p_rolling:
            route_kind = "rolling"
            descent = 60.0 + 140.0 * hills
        else:
            route_kind = "flat"
            descent = 5.0 + 45.0 * hills
        winter = day.month in (12, 1, 2)
        if kind == "session":
            surface = "road" if route_kind == "hilly" or r[_RU_SURFACE] >= 0.5 else "track"
        elif route_kind == "hilly":
            surface = "trail" if r[_RU_SURFACE] < 0.7 else "mixed"
        elif winter and r[_RU_SURFACE] < 0.2:
            surface, descent = "treadmill", 0.0
        else:
            surface = "road" if r[_RU_SURFACE] < 0.85 else "mixed"
        descent = float(round(descent))
        ascent = float(round(descent * (0.9 + 0.2 * r[_RU_SURFACE])))
        pace += 0.8 * descent / dist_km  # hills slow you down
        skip_p = {"easy": 0.4, "long": 0.35, "session": 0.25}[kind]
        warmup = 0 if r[_RU_WARMUP] < skip_p else 5 + int(r[_RU_WARMLEN] * 11)
        cadence = 168.0 + {"session": 6.0, "long": -2.0, "easy": 0.0}[kind] + 2.5 * g[_RZ_CADENCE]
        vo = 8.8 - 0.05 * (cadence - 168.0) + 0.4 * g[_RZ_VO]
        hr = {"session": 164.0, "long": 148.0, "easy": 142.0}[kind] + 4.0 * g[_RZ_HR]
        rpe = {"session": 7, "long": 5, "easy": 3}[kind] + int(r[_RU_RPE] * 2)
        if dist_km > 25.0:
            rpe += 1
        surges = {
            "session": 6 + int(r[_RU_SURGES] * 7),
            "long": 1 + int(r[_RU_SURGES] * 4),
            "easy": int(r[_RU_SURGES] * 3),
        }[kind]
        weekend = day.weekday() >= 5
        if weekend:
            minute = 8 * 60 + 30 + int(45 * g[_RZ_START])
        elif r[_RU_START] < 0.6:
            minute = 6 * 60 + 45 + int(15 * g[_RZ_START])
        else:
            minute = 18 * 60 + 15 + int(25 * g[_RZ_START])
        minute = min(max(minute, 5 * 60), 21 * 60)
        start = datetime.combine(day, time(minute // 60, minute % 60), TZ)
        moving = dist_km * pace
        trail = surface in ("trail", "mixed") and route_kind != "flat"
        shoe = (self.trail_state if trail else self.road_state).wear(dist_km, d, self)
        run = Run(
            start=start,
            distance_m=round(dist_km * 1000.0, 1),
            moving_time_s=round(moving),
            ascent_m=ascent,
            descent_m=descent,
            avg_hr=round(hr),
            cadence_spm=round(cadence, 1),
            vertical_oscillation_cm=round(vo, 1),
            rpe=min(10, rpe),
            warmup_min=warmup,
            surface=surface,
            shoe=shoe,
            source="demo",
            elapsed_time_s=round(moving * 1.03),
            pace_surges=surges,
        )
        self._plant(d, run)
        self.runs.append(run)
        self.run_days.append(d)

    def _plant(self, d: int, run: Run) -> None:
        """The planted run effects on the next morning and, partly, later the same day."""
        bump = 0.0
        if (run.descent_m or 0.0) >= PLANTED_DESCENT_M:
            bump += self.sizes["descent"]
        if run.warmup_min == 0:
            bump += self.sizes["warmup"]
        longest = 0.0
        k = len(self.runs) - 1
        while k >= 0 and self.run_days[k] >= d - 30:
            if self.run_days[k] < d:
                longest = max(longest, self.runs[k].distance_m or 0.0)
            k -= 1
        if longest > 0 and (run.distance_m or 0.0) > PLANTED_LONG_RUN_RATIO * longest:
            bump += self.sizes["long_run"]
        self.next_morning_bump[d + 1] += bump
        self.same_day_bump[d] += SAME_DAY_SHARE * bump

    def _close_shoe(self, state: _ShoeState) -> None:
        if state.name is not None:
            self._shoe_spans.append((state.name, state.first_day, None))

    def shoes(self) -> list[Shoe]:
        out = [
            Shoe(
                name=name,
                first_used=self.start + timedelta(days=first),
                retired=None if retired is None else self.start + timedelta(days=retired),
            )
            for name, first, retired in self._shoe_spans
        ]
        return sorted(out, key=lambda s: (s.first_used or self.start, s.name))

    # -- diary: pain entries and habit days ----------------------------------------------
    def diary(self) -> None:
        runs_by_day: dict[int, list[tuple[int, Run]]] = {}
        for i, (run, d) in enumerate(zip(self.runs, self.run_days, strict=True)):
            runs_by_day.setdefault(d, []).append((i, run))
        core_eff = self.sizes["core"]
        level, flare = 1.8, 0.0
        weight = 72.0
        for t in range(self.days):
            u, z = self.u[t], self.z[t]
            day = self.start + timedelta(days=t)
            # Personal pain level: AR(1) around 1.8 (stationary SD 0.8) plus decaying flares.
            level = 1.8 + 0.9 * (level - 1.8) + 0.35 * z[_Z_LATENT]
            flare = flare * 0.85 + (2.5 if u[_U_FLARE] < 1.0 / 120.0 else 0.0)
            base = level + flare
            if not any(self.core_done[max(0, t - 7) : t]):
                base += core_eff
            todays = runs_by_day.get(t, [])
            hard_yesterday = any((r.rpe or 0) >= 5 for _, r in runs_by_day.get(t - 1, []))
            self._habit(t, day, u, z, hard_yesterday)
            weight += (
                0.03 * z[_Z_WEIGHT] - 0.01 * (weight - 72.0) + (0.05 if self.holiday[t] else 0)
            )
            if self.habits and self.habits[-1].day == day and u[_U_WEIGHT] < 0.55:
                self.habits[-1] = _with_weight(self.habits[-1], weight, z[_Z_WEIGHT])
            if self.diary_gap[t] or u[_U_MISS] < 0.07:
                continue  # a missed diary day: no entries at all
            morning_runs = [r for _, r in todays if r.start.hour < 12]
            wake_p = 0.6 if self.holiday[t] else 0.92
            if u[_U_WAKE] < wake_p:
                if morning_runs:
                    first = morning_runs[0].start
                    wake = (first.hour * 60 + first.minute) - 30
                elif day.weekday() >= 5:
                    wake = 7 * 60 + 30 + int(u[_U_SHIFT] * 80)
                else:
                    wake = 6 * 60 + 20 + int(u[_U_SHIFT] * 60)
                value = base + self.next_morning_bump[t] + 0.7 * z[_Z_WAKE]
                self._entry(day, wake, value, "on_waking", u, z, stiffness=True)
            for i, run in todays:
                r, g = self.ru[i], self.rz[i]
                begin = run.start.hour * 60 + run.start.minute
                moving_min = int((run.moving_time_s or 0.0) / 60.0)
                later = base + self.same_day_bump[t]
                if r[_RU_DURING] < 0.12:
                    value = later + 0.5 + 0.7 * g[_RZ_DURING]
                    self._entry(
                        day, min(begin + moving_min // 2, 23 * 60), value, "during_run", u, z
                    )
                if r[_RU_AFTER] < 0.5:
                    at = begin + moving_min + 20 + int(40 * r[_RU_AFTER])
                    value = later + 0.7 * g[_RZ_AFTER]
                    self._entry(day, min(at, 23 * 60), value, "after_run", u, z)
            if u[_U_EVENING] < 0.35:
                value = base + self.same_day_bump[t] + 0.7 * z[_Z_EVENING]
                at = 20 * 60 + 30 + int(u[_U_EVENING] / 0.35 * 120)
                self._entry(day, at, value, "evening", u, z)

    def _entry(
        self,
        day: date,
        minute: int,
        value: float,
        timing: str,
        u: list[float],
        z: list[float],
        *,
        stiffness: bool = False,
    ) -> None:
        intensity = min(10, max(0, math.floor(value + 0.5)))
        regions: tuple[str, ...] = ()
        quality: tuple[str, ...] = ()
        worse: tuple[str, ...] = ()
        helped: tuple[str, ...] = ()
        medication = ""
        stiff: int | None = None
        if intensity > 0:
            side = u[_U_REGION]
            main = (
                "lower_back_centre"
                if side < 0.6
                else ("lower_back_left" if side < 0.8 else "lower_back_right")
            )
            regions = (main,)
            if u[_U_REGION2] < 0.15:
                right = u[_U_REGION2] < 0.075
                regions += ("buttock_right" if right else "buttock_left",)
                if u[_U_REGION2] < 0.05:
                    regions += ("thigh_right" if right else "thigh_left",)
            if timing == "on_waking":
                quality = ("stiffness", "aching") if u[_U_QUAL] < 0.6 else ("stiffness",)
            else:
                quality = ("sharp",) if u[_U_QUAL] < 0.1 else ("aching",)
            if u[_U_WORSE] < 0.3:
                worse = ("sitting",)
            elif u[_U_WORSE] < 0.45:
                worse = ("bending",)
            elif timing in ("after_run", "during_run") and u[_U_WORSE] < 0.7:
                worse = ("running",)
            helped = ("stretching",) if u[_U_QUAL] > 0.7 else (("heat",) if intensity >= 5 else ())
            if intensity >= 6 and u[_U_MED] < 0.3:
                medication = "ibuprofen 400 mg"
                helped += ("tablets",)
        if stiffness:
            stiff = max(0, int(5 + 6 * intensity + 5 * z[_Z_STIFF]))
            stiff = 5 * round(stiff / 5)
        self.pain.append(
            PainEntry(
                day=day,
                intensity=intensity,
                time=time(minute // 60, minute % 60),
                regions=regions,
                timing=timing,
                quality=quality,
                stiffness_min=stiff,
                worse=worse,
                helped=helped,
                medication=medication,
            )
        )

    def _habit(
        self, t: int, day: date, u: list[float], z: list[float], hard_yesterday: bool
    ) -> None:
        if u[_U_HABIT] >= 0.9 or self.diary_gap[t]:
            return  # not logged today
        weekend = day.weekday() >= 5
        sleep = round((7.2 + 0.7 * z[_Z_SLEEP]) * 4) / 4
        fatigue = round(2.5 + (1.5 if hard_yesterday else 0.0) + 1.2 * z[_Z_FATIGUE])
        if self.holiday[t]:
            sitting = 2.0 + abs(z[_Z_SIT])
        elif weekend:
            sitting = 3.5 + 1.0 * z[_Z_SIT]
        else:
            sitting = 8.0 + 1.2 * z[_Z_SIT]
        self.habits.append(
            HabitDay(
                day=day,
                core_min=(10 + int(u[_U_CORE] * 30)) if self.core_done[t] else 0,
                stretch_min=int(u[_U_SHIFT] * 3) * 5,
                cross_min=(30 + int(u[_U_CROSS] * 300)) if u[_U_CROSS] < 0.1 else 0,
                sleep_h=min(10.0, max(4.0, sleep)),
                fatigue=min(10, max(0, fatigue)),
                sitting_h=round(min(14.0, max(0.5, sitting)) * 2) / 2,
            )
        )


def _with_weight(h: HabitDay, weight: float, noise: float) -> HabitDay:
    return HabitDay(
        day=h.day,
        core_min=h.core_min,
        stretch_min=h.stretch_min,
        cross_min=h.cross_min,
        sleep_h=h.sleep_h,
        weight_kg=round(weight + 0.3 * noise, 1),
        fatigue=h.fatigue,
        sitting_h=h.sitting_h,
        note=h.note,
    )


class _ShoeState:
    """The shoe in use for one kind of running; replaced when worn out."""

    def __init__(self, models: tuple[str, ...]) -> None:
        self.models = models
        self.count = 0
        self.name: str | None = None
        self.first_day = 0
        self.km = 0.0
        self.life = SHOE_LIFE_KM[0]

    def wear(self, km: float, d: int, sim: _Simulation) -> str:
        if self.name is None or self.km >= self.life:
            if self.name is not None:
                sim._shoe_spans.append((self.name, self.first_day, d - 1))
            model = self.models[self.count % len(self.models)]
            self.count += 1
            self.name = f"{model} {(self.count - 1) // len(self.models) + 1}"
            self.first_day = d
            self.km = 0.0
            lo, hi = SHOE_LIFE_KM
            self.life = lo + (hi - lo) * ((self.count * 0.618) % 1.0)
        self.km += km
        return self.name
