"""The clinician report's data (issue 13): one plain value, tested without reportlab."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from backstride.core.errors import ValidationError
from backstride.core.models import Assessment, Dataset, HabitDay, PainEntry, Run
from backstride.core.triage import evaluate, parse_answers
from backstride.core.triage_record import result_record
from backstride.report.data import RED_FLAG_KEYS, build_report
from backstride.report.options import (
    DEFAULT_SECTIONS,
    SECTIONS,
    ReportOptions,
    check_options,
    last_weeks,
    paper_for_locale,
    parse_sections,
)
from backstride.store.database import open_store
from backstride.store.profile import Profile, load_profile, save_profile

END = date(2026, 3, 29)  # a Sunday
START = END - timedelta(days=27)  # four weeks
NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


def entry(day: date, pain: int, **kw: object) -> PainEntry:
    return PainEntry(day=day, intensity=pain, **kw)  # type: ignore[arg-type]


def assessment(taken: datetime, red_flags: dict[str, bool | None]) -> Assessment:
    answers = {"red_flags": red_flags, "age": 40}
    result = evaluate(parse_answers(answers))
    return Assessment(taken, answers, result_record(result), result.rules_version, id=1)


def report(dataset: Dataset, assessments: list[Assessment] | None = None, **kw: object):  # type: ignore[no-untyped-def]
    options = ReportOptions(START, END, **kw)  # type: ignore[arg-type]
    return build_report(dataset, assessments or [], options, NOW)


def test_missing_days_are_not_pain_free() -> None:
    # 8 logged days over 28: 6 with pain, 2 at 0; the 20 others are missing.
    days = [START + timedelta(days=i) for i in (0, 1, 2, 3, 24, 25, 26, 27)]
    pains = [6, 5, 0, 7, 3, 0, 2, 4]
    r = report(Dataset(pain=tuple(entry(d, p) for d, p in zip(days, pains, strict=True))))
    f = r.figures
    assert (f.days, f.days_logged, f.days_missing, f.pain_days) == (28, 8, 20, 6)
    assert f.pain_days_per_week == pytest.approx(7 * 6 / 8)
    assert f.average == pytest.approx(sum(pains) / 8)
    assert (f.worst, f.worst_day) == (7, days[3])
    assert f.first_average == pytest.approx(18 / 4) and f.last_average == pytest.approx(9 / 4)
    assert f.change == pytest.approx(-2.25) and f.meaningful_change
    assert [p.worst for p in r.days[:5]] == [6, 5, 0, 7, None]


def test_change_needs_enough_days_in_each_fortnight() -> None:
    r = report(Dataset(pain=(entry(START, 5), entry(END, 2))))
    assert r.figures.change is None and r.figures.first_logged == 1


def test_the_worst_and_least_of_a_day_and_its_runs() -> None:
    morning = entry(START, 2, time=time(7, 0), timing="on_waking")
    evening = entry(START, 6, time=time(21, 0), timing="evening")
    run = Run(start=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), distance_m=8000.0)
    r = report(Dataset(pain=(morning, evening), runs=(run,)))
    first = r.days[0]
    assert (first.worst, first.least, first.run_m) == (6, 2, 8000.0)
    assert [t.code for t in r.timings] == ["evening", "on_waking"]  # the day's order


def test_weekly_rows_cover_the_period_with_warmups_and_core() -> None:
    runs = (
        Run(start=datetime(2026, 3, 3, 7, tzinfo=UTC), distance_m=10000.0, warmup_min=10),
        Run(start=datetime(2026, 3, 5, 7, tzinfo=UTC), distance_m=5000.0, warmup_min=0),
        Run(start=datetime(2026, 3, 6, 7, tzinfo=UTC), distance_m=6000.0),
    )
    habits = (HabitDay(date(2026, 3, 4), core_min=15), HabitDay(date(2026, 3, 7), core_min=0))
    r = report(Dataset(runs=runs, habits=habits))
    assert [w.monday for w in r.weeks] == [START + timedelta(days=7 * i) for i in range(4)]
    week = r.weeks[0]
    assert (week.runs, week.distance_m, week.longest_m) == (3, 21000.0, 10000.0)
    assert (week.warmup_runs, week.warmup_known, week.core_sessions) == (1, 2, 1)
    assert r.weeks[1].runs == 0 and r.weeks[1].longest_m is None


def test_red_flags_none_reported_is_said_explicitly() -> None:
    taken = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
    all_no: dict[str, bool | None] = {k.split(".")[1]: False for k in RED_FLAG_KEYS}
    r = report(Dataset(), [assessment(taken, all_no)])
    assert r.checkup is not None
    assert r.checkup.status.startswith(f"None reported: all {len(RED_FLAG_KEYS)}")
    assert r.checkup.tier == "self_care"


def test_unanswered_and_yes_answers_are_named() -> None:
    flags: dict[str, bool | None] = {k.split(".")[1]: False for k in RED_FLAG_KEYS}
    flags["fever"] = None
    flags["weight_loss"] = True
    r = report(Dataset(), [assessment(datetime(2026, 3, 20, 18, tzinfo=UTC), flags)])
    assert r.checkup is not None
    status = r.checkup.status
    assert "Reported: Unexplained weight loss" in status
    assert "Not answered (1 of 19): Fever" in status
    answers = {a.key: a.answer for a in r.checkup.answers}
    assert answers["red_flags.fever"] == "not answered"
    assert answers["red_flags.saddle_numbness"] == "no"


def test_a_checkup_before_the_period_is_not_this_periods() -> None:
    earlier = assessment(datetime(2026, 1, 5, 12, tzinfo=UTC), {"fever": False})
    r = report(Dataset(), [earlier])
    assert r.checkup is None and r.earlier_checkup == date(2026, 1, 5)


def test_medications_body_map_and_what_helped() -> None:
    pain = (
        entry(START, 6, medication="Ibuprofen 400 mg", regions=("lower_back_left",)),
        entry(START + timedelta(days=3), 4, medication="ibuprofen  400 mg", helped=("heat",)),
        entry(START + timedelta(days=5), 0, regions=("saddle",)),  # no pain: not on the map
        entry(START + timedelta(days=6), 3, worse=("sitting",), regions=("lower_back_left",)),
    )
    r = report(Dataset(pain=pain))
    (med,) = r.medications
    assert (med.name, med.first, med.last, med.days) == (
        "Ibuprofen 400 mg",
        START,
        START + timedelta(days=3),
        2,
    )
    assert [(c.code, c.days, c.mean_pain) for c in r.regions] == [("lower_back_left", 2, 4.5)]
    assert [c.code for c in r.helped] == ["heat"] and [c.code for c in r.worse] == ["sitting"]


def test_appendix_keeps_or_leaves_out_notes() -> None:
    pain = (entry(START, 3, note="Καλημέρα, спина болит 😀", timing="on_waking"),)
    with_notes = report(Dataset(pain=pain), sections=(*DEFAULT_SECTIONS, "appendix"))
    without = report(Dataset(pain=pain), sections=("appendix",), notes=False)
    assert with_notes.appendix[0].note == "Καλημέρα, спина болит 😀"
    assert without.appendix[0].note == "" and "on waking" in without.appendix[0].details
    assert report(Dataset(pain=pain)).appendix == ()  # not asked for


def test_an_empty_diary_gives_a_report() -> None:
    r = report(Dataset())
    assert r.nothing_logged and r.figures.average is None and len(r.days) == 28
    assert r.insufficient  # "nothing logged yet" is a finding


def test_options_are_checked() -> None:
    with pytest.raises(ValidationError, match="swap the two dates"):
        check_options(ReportOptions(END, START))
    with pytest.raises(ValidationError, match="at least one section"):
        check_options(ReportOptions(START, END, sections=()))
    with pytest.raises(ValidationError, match="unknown section 'foo'"):
        parse_sections("summary,foo")
    assert parse_sections("appendix, summary") == ("summary", "appendix")
    assert last_weeks(END, 4) == (START, END)
    assert set(DEFAULT_SECTIONS) == set(SECTIONS) - {"appendix"}


@pytest.mark.parametrize(
    ("name", "paper"),
    [
        ("en_US", "letter"),
        ("fr_CA.UTF-8", "letter"),
        ("en-GB", "a4"),
        ("de_DE", "a4"),
        (None, "a4"),
        ("C", "a4"),
    ],
)
def test_paper_follows_the_locale(name: str | None, paper: str) -> None:
    assert paper_for_locale(name) == paper


def test_profile_round_trip_and_checks(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        assert load_profile(store).empty
        save_profile(store, Profile("  Zoë Ιωάννου ", 1985), date(2026, 3, 1))
        assert load_profile(store) == Profile("Zoë Ιωάννου", 1985)
        with pytest.raises(ValidationError, match="year of birth from 1900 to 2026"):
            save_profile(store, Profile("", 2030), date(2026, 3, 1))
        with pytest.raises(ValidationError, match="80 characters"):
            save_profile(store, Profile("x" * 81, None), date(2026, 3, 1))
        save_profile(store, Profile("", None), date(2026, 3, 1))
        assert load_profile(store).empty
    finally:
        store.close()


def test_report_data_needs_no_reportlab() -> None:
    code = (
        "import sys\n"
        "from datetime import date, datetime, timezone\n"
        "from backstride.core.models import Dataset\n"
        "from backstride.report.data import build_report\n"
        "from backstride.report.options import ReportOptions\n"
        "build_report(Dataset(), [], ReportOptions(date(2026, 1, 1), date(2026, 1, 28)),"
        " datetime.now(timezone.utc))\n"
        "assert not any(m.startswith('reportlab') for m in sys.modules), 'reportlab loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_experiments_that_ran_in_the_period_get_their_result() -> None:
    from backstride.core.experiments import Experiment, Plan
    from tests.sim.experiment_runners import simulate

    finished, log = simulate(3, 2.0, start=START - timedelta(days=20))  # ends in the period
    running, _ = simulate(4, 2.0, start=END - timedelta(days=6))  # still under way at END
    before = Experiment(Plan(change="warmup", start=START - timedelta(days=90), seed=1), id=3)
    after = Experiment(Plan(change="warmup", start=END + timedelta(days=1), seed=1), id=4)
    dataset = Dataset(pain=tuple(log.pain))
    options = ReportOptions(START, END)
    built = build_report(
        dataset,
        [],
        options,
        NOW,
        experiments=[(after, {}), (running, {}), (finished, log.ticks), (before, {})],
    )
    assert [r.experiment for r in built.experiments] == [finished, running]
    done, under_way = built.experiments
    assert done.final and done.plan_result.effect is not None
    assert under_way.status == "running" and under_way.verdict == "unclear"
    assert max(d.day for d in under_way.days) <= END  # nothing after the period is read
    assert report(dataset).experiments == ()
