"""Personal experiments (issue 15): plan, store, operations, statistics and the CLI."""

from __future__ import annotations

import itertools
import json
import sqlite3
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from backstride.cli import main
from backstride.core.errors import ValidationError
from backstride.core.experiment_result import (
    EXPECTED_POWER,
    SUGGESTED_DESIGN,
    build_result,
    power_text,
    prestart_outcomes,
)
from backstride.core.experiment_stats import (
    MIN_PRIOR_DAYS,
    Comparison,
    adherence_contrast,
    estimate,
    randomisation_p,
    t_quantile,
    verdict,
)
from backstride.core.experiments import (
    BASELINE,
    OFF,
    ON,
    Experiment,
    Log,
    Plan,
    adherence,
    checkin_due,
    experiment_days,
    pair_orders,
    position,
    validate_plan,
)
from backstride.core.models import PainEntry, Run
from backstride.operations import experiments as ops
from backstride.store import experiments as experiment_store
from backstride.store.backup import list_backups
from backstride.store.database import (
    APPLICATION_ID,
    DB_FILENAME,
    Store,
    load_migrations,
    migrate,
    open_store,
    schema_version,
)
from backstride.store.settings import backup_folder
from tests.sim.experiment_runners import simulate

TZ = timezone(timedelta(hours=1))
START = date(2025, 3, 3)
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=TZ)


# -- the plan -------------------------------------------------------------------------
def test_phases_follow_the_seed_and_alternate_within_pairs() -> None:
    plan = Plan(change="warmup", start=START, seed=11, baseline=True)
    phases = plan.phases()
    assert phases[0].arm == BASELINE and phases[0].days == 7
    assert len(phases) == 7
    for k, first_on in enumerate(pair_orders(11, 3)):
        pair = phases[1 + 2 * k : 3 + 2 * k]
        assert [p.arm for p in pair] == ([ON, OFF] if first_on else [OFF, ON])
    assert all(b.start == a.end + timedelta(days=1) for a, b in itertools.pairwise(phases))
    assert plan.phases() == Plan(change="warmup", start=START, seed=11, baseline=True).phases()


def test_extending_keeps_the_orders_already_drawn() -> None:
    assert pair_orders(5, 4)[:3] == pair_orders(5, 3)
    orders = {tuple(pair_orders(seed, 3)) for seed in range(200)}
    assert len(orders) == 8  # every order the design allows does occur


def test_plan_limits_are_explained() -> None:
    with pytest.raises(ValidationError) as info:
        validate_plan(Plan(change="custom", start=START, phase_days=4, pairs=5), START)
    fields = {p.field for p in info.value.problems}
    assert {"phase_days", "pairs", "label"} <= fields
    with pytest.raises(ValidationError, match="descent limit"):
        validate_plan(Plan(change="descent", start=START), START)


def test_position_names_phase_day_and_wash_out() -> None:
    plan = Plan(change="warmup", start=START, seed=1)
    where = position(plan, START + timedelta(days=8))
    assert where is not None
    assert where.phase_index == 1 and where.day_in_phase == 2 and where.washout
    assert where.text("warm-up").startswith("Experiment: warm-up · phase 2 of 6")
    assert position(plan, START - timedelta(days=1)) is None


# -- adherence from the log -------------------------------------------------------------
def _run(day: date, warmup: int | None) -> Run:
    return Run(start=datetime.combine(day, time(7, 0), TZ), distance_m=8000.0, warmup_min=warmup)


def test_warm_up_adherence_comes_from_the_runs() -> None:
    plan = Plan(change="warmup", start=START, seed=2)
    phases = plan.phases()
    on = next(p for p in phases if p.arm == ON)
    off = next(p for p in phases if p.arm == OFF)
    runs = [
        _run(on.start, 12),
        _run(on.start + timedelta(days=1), 3),
        _run(off.start, 0),
        _run(off.start + timedelta(days=1), None),  # not recorded: unknown
    ]
    days = experiment_days(Experiment(plan=plan), Log(runs=runs), phases[-1].end)
    by_day = {d.day: d for d in days}
    assert by_day[on.start].kept is True
    assert by_day[on.start + timedelta(days=1)].kept is False
    assert by_day[off.start].kept is True
    assert by_day[off.start + timedelta(days=1)].kept is None
    assert not by_day[on.start + timedelta(days=2)].applies  # no run, nothing to keep
    assert adherence(days) == {"on": 0.5, "off": 1.0}


def test_next_morning_outcome_is_the_following_morning() -> None:
    plan = Plan(change="custom", label="x", start=START, seed=2)
    pain = [
        PainEntry(day=START + timedelta(days=1), intensity=6, time=time(7, 0)),
        PainEntry(day=START, intensity=2, time=time(20, 0)),
    ]
    days = experiment_days(Experiment(plan=plan), Log(pain=pain), START + timedelta(days=3))
    assert days[0].outcome == 6.0  # the morning after the first day
    worst = replace(plan, outcome="worst")
    days = experiment_days(Experiment(plan=worst), Log(pain=pain), START + timedelta(days=3))
    assert days[0].outcome == 2.0


# -- statistics ---------------------------------------------------------------------------
def test_t_quantiles() -> None:
    assert t_quantile(0.975, 2) == pytest.approx(4.303, abs=1e-3)
    assert t_quantile(0.95, 5) == pytest.approx(2.015, abs=1e-3)
    assert t_quantile(0.975, 30) == pytest.approx(2.042, abs=1e-3)
    assert t_quantile(0.975, 1) == pytest.approx(12.706, abs=1e-2)


def test_estimate_recovers_a_planted_difference() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(60, dtype=float)
    x = (t // 7 % 2).astype(float)
    y = 4 - 1.5 * x + rng.normal(0, 0.5, 60)
    est = estimate(y, x, t)
    assert est is not None
    low, high = est.interval(0.90)
    assert low < -1.5 < high and high < 0


def test_the_pre_start_diary_sharpens_the_interval_and_is_needed_in_full() -> None:
    """The correlations come from the 30 days before the start too (at least 14 logged);
    with fewer, the experiment days alone, as without a diary."""
    narrower = 0
    for seed in range(20):
        experiment, log = simulate(seed, 0.0)
        alone, _ = simulate(seed, 0.0, prestart=False)
        prior = prestart_outcomes(experiment, log)
        assert len(prior) >= MIN_PRIOR_DAYS
        assert all(day < experiment.plan.start for day, _ in prior)
        today = experiment.plan.end + timedelta(2)
        with_diary = build_result(experiment, log, today)
        without = build_result(
            alone,
            Log(pain=[p for p in log.pain if p.day >= alone.plan.start], ticks=log.ticks),
            today,
        )
        few = [p for p in log.pain if p.day >= experiment.plan.start - timedelta(days=8)]
        short = build_result(experiment, Log(pain=few, ticks=log.ticks), today)
        assert short.plan_result == without.plan_result
        assert with_diary.p == without.p  # the randomisation test does not use the diary
        low, high = with_diary.plan_result.interval or (0.0, 0.0)
        low0, high0 = without.plan_result.interval or (0.0, 0.0)
        narrower += high - low < high0 - low0
    assert narrower >= 12


def test_randomisation_p_is_uniform_under_the_null() -> None:
    """Exact: with no effect, P(p <= k/8) = k/8 for the 3-pair design's support."""
    ps = []
    for seed in range(240):
        experiment, log = simulate(seed, 0.0)
        days = experiment_days(experiment, log, experiment.plan.end + timedelta(days=2))
        p = randomisation_p(days)
        assert p is not None
        ps.append(p)
    values = np.array(ps)
    assert set(np.round(values * 8)) <= {2, 4, 6, 8}  # two-sided: mirror orders pair up
    for level in (0.25, 0.5, 0.75):
        share = float(np.mean(values <= level + 1e-9))
        assert abs(share - level) < 0.1, (level, share)  # 240 draws: 3.6 binomial SDs


def test_fast_simulated_runners() -> None:
    """A fast subset of `make bench` (bench_experiments.py): 40 runners per case, with
    wide margins; the bench runs 400 per case on fresh seeds."""
    verdicts: dict[float, list[str]] = {0.0: [], 1.0: [], 2.0: []}
    for size, found in verdicts.items():
        for seed in range(40):
            experiment, log = simulate(seed, size)
            found.append(build_result(experiment, log, experiment.plan.end + timedelta(2)).verdict)
    null = verdicts[0.0]
    assert sum(v in ("helped", "worse") for v in null) <= 6
    assert verdicts[2.0].count("helped") >= 16
    assert verdicts[2.0].count("no_difference") <= 4
    assert verdicts[1.0].count("unclear") > verdicts[1.0].count("no_difference")


def _comparison(effect: float, half90: float, half95: float) -> Comparison:
    return Comparison(
        effect, (effect - half90, effect + half90), (effect - half95, effect + half95), 15, 15
    )


def test_the_verdict_rule() -> None:
    # helped and worse need the 95 % interval clear of 0; the 90 % one is not enough
    assert verdict(_comparison(-1.5, 1.0, 1.4), 2.0) == "helped"
    assert verdict(_comparison(1.5, 1.0, 1.4), 2.0) == "worse"
    assert verdict(_comparison(-1.2, 1.0, 1.3), 2.0) == "unclear"
    # no difference: the 90 % interval within the smallest change, scaled by adherence
    assert verdict(_comparison(0.2, 1.0, 1.3), 2.0) == "no_difference"
    assert verdict(_comparison(0.2, 1.0, 1.3), 2.0, contrast=0.6) == "unclear"
    assert verdict(Comparison(None, None, None, 3, 4), 2.0) == "unclear"


def test_adherence_contrast() -> None:
    assert adherence_contrast({ON: 0.85, OFF: 0.95}) == pytest.approx(0.80)
    assert adherence_contrast({ON: None, OFF: None}) == 1.0
    assert adherence_contrast({ON: 0.2, OFF: 0.5}) == 0.0


def test_the_planner_names_the_expected_power() -> None:
    assert set(EXPECTED_POWER) == set(itertools.product((2, 3, 4), range(5, 15)))
    text = power_text(3, 7)
    assert "about 41–62 % of runners" in text
    assert f"{SUGGESTED_DESIGN[0]} pairs of {SUGGESTED_DESIGN[1]}-day phases" in text
    assert min(EXPECTED_POWER[SUGGESTED_DESIGN]) >= 0.80
    assert "would find" not in power_text(4, 14)
    assert "2-day wash-out" in power_text(3, 7, washout_days=3)


def test_checkin_due_asks_once_a_day_when_the_log_cannot_tell() -> None:
    plan = Plan(change="custom", label="hip stretches", start=START, seed=5)
    first = plan.phases()[0]
    question = checkin_due(plan, Log(), first.start + timedelta(days=3))
    assert question is not None and "hip stretches" in question
    assert f"an {first.arm} day (day 4 of 7)" in question
    assert checkin_due(plan, Log(ticks={START: True}), START) is None  # answered
    assert checkin_due(plan, Log(), START - timedelta(days=1)) is None  # not started
    assert checkin_due(replace(plan, baseline=True), Log(), START) is None  # baseline
    assert checkin_due(Plan(change="warmup", start=START), Log(), START) is None  # runs tell
    stopped = Experiment(plan=plan, stopped_on=START, stop_reason="flare")
    assert checkin_due(stopped, Log(), START + timedelta(days=2)) is None
    assert checkin_due(Experiment(plan=plan), Log(), START + timedelta(days=2)) is not None


def test_the_headline_for_insights_and_the_report() -> None:
    experiment, log = simulate(3, 2.0)
    finished = build_result(experiment, log, experiment.plan.end + timedelta(2))
    assert finished.headline() == (
        f"Tested simulated change (finished {experiment.plan.end:%d %b %Y}). " + finished.words()
    )
    running = build_result(experiment, log, experiment.plan.start + timedelta(days=9))
    assert running.headline().startswith("Testing simulated change: running; the verdict")


def test_a_running_experiment_has_no_verdict_yet() -> None:
    experiment, log = simulate(3, 2.0)
    result = build_result(experiment, log, experiment.plan.start + timedelta(days=20))
    assert result.status == "running" and result.verdict == "unclear"
    assert result.words().startswith("Still running")


# -- the store ------------------------------------------------------------------------------
def test_plan_seed_and_order_are_reproducible_from_the_store(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        plan = Plan(change="custom", label="hips", start=START, seed=123456, pairs=4)
        saved = ops.start_experiment(store, plan, NOW).result
        assert saved.id is not None
        store.close()
        store = open_store(tmp_path)
        again = experiment_store.get_experiment(store, saved.id)
        assert again is not None and again.plan == plan
        stored = experiment_store.planned_phases(store, saved.id)
        redrawn = Plan(change="custom", start=START, seed=123456, pairs=4).phases()
        assert stored == [p.to_json() for p in redrawn]
    finally:
        store.close()


def test_a_version_1_file_is_backed_up_and_upgraded(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, load_migrations()[:1])
    conn.execute("INSERT INTO pain_entry (day, intensity) VALUES ('2025-01-02', 3)")
    conn.close()
    store = open_store(tmp_path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {"experiment", "experiment_deviation", "experiment_tick"} <= tables
        assert store.conn.execute("SELECT count(*) FROM pain_entry").fetchone()[0] == 1
    finally:
        store.close()
    assert [b.reason for b in list_backups(backup_folder(tmp_path))] == ["upgrade"]


def test_the_migration_is_one_transaction(tmp_path: Path) -> None:
    """A migration that fails half-way leaves the file at version 1, unchanged."""
    conn = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    migrations = load_migrations()
    migrate(conn, migrations[:1])
    broken = replace(migrations[1], sql=migrations[1].sql + "\nCREATE TABLE experiment (x);")
    with pytest.raises(sqlite3.Error):
        migrate(conn, [migrations[0], broken])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "experiment" not in names and "experiment_tick" not in names
    conn.close()


# -- operations ------------------------------------------------------------------------------
def test_operations_with_undo(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        plan = Plan(change="topical", start=START, seed=9)
        started = ops.start_experiment(store, plan, NOW)
        e = started.result
        with pytest.raises(ValidationError, match="stop it first"):
            ops.start_experiment(store, plan, NOW)
        today = START + timedelta(days=9)
        tick = ops.tick_day(store, e, today, True)
        assert experiment_store.ticks(store, e.id or 0) == {today: True}
        tick.undo()
        assert experiment_store.ticks(store, e.id or 0) == {}

        paused = ops.pause(store, e, today).result
        assert paused.status(today + timedelta(days=3)) == "paused"
        resumed = ops.resume(store, paused, today + timedelta(days=3)).result
        assert resumed.plan.end == e.plan.end + timedelta(days=3)
        extended = ops.extend(store, resumed, today + timedelta(days=3))
        assert extended.result.plan.pairs == 4
        extended.undo()
        current = ops.active_experiment(store, today + timedelta(days=3))
        assert current is not None and current.plan.pairs == 3
        with pytest.raises(ValidationError, match="why you stop"):
            ops.stop(store, current, today, "   ")
        stopped = ops.stop(store, current, today + timedelta(days=4), "a flare after a fall")
        assert stopped.result.status(today + timedelta(days=5)) == "stopped"
        assert [d.kind for d in stopped.result.deviations] == ["pause", "resume", "stop"]
        stopped.undo()
        assert ops.active_experiment(store, today + timedelta(days=5)) is not None
        started.undo()
        assert experiment_store.list_experiments(store) == []
    finally:
        store.close()


# -- the CLI ------------------------------------------------------------------------------
def test_cli_start_status_result_stop_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    start = (date.today() - timedelta(days=50)).isoformat()
    assert main([*data, "experiment", "start", "--change", "custom"]) == 1
    assert "describe your change" in capsys.readouterr().err
    args = ["experiment", "start", "--change", "topical", "--seed", "4", "--start", start]
    assert main([*data, *args]) == 0
    out = capsys.readouterr().out
    assert "seed 4" in out and "this plan finds it in about 41–62 %" in out
    assert main([*data, "experiment", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["status"] == "finished"
    assert [p["arm"] for p in status["plan"]["phases"]].count("on") == 3
    assert status["planned_phases"] == status["plan"]["phases"]  # no pause: as stored
    assert main([*data, "experiment", "result", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"plan", "adherence", "effect", "interval", "p", "verdict", "status"}
    assert result["verdict"] == "unclear" and result["effect"] is None  # nothing logged
    assert set(result["plan"]) >= {"change", "phase_days", "washout_days", "outcome", "seed"}
    assert main([*data, "experiment", "stop", "--reason", "done"]) == 1
    assert "finished" in capsys.readouterr().err
    assert main([*data, "experiment", "list"]) == 0
    assert "finished" in capsys.readouterr().out
    assert main([*data, "experiment", "start", "--change", "warmup", "--start", "2025-13-01"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


# -- the JSON export ------------------------------------------------------------------------
def _full_experiment(store: Store, start: date) -> int:
    """An experiment with every kind of deviation and a few daily answers."""
    plan = Plan(change="custom", label="hips", start=start, seed=77, mic_points=None)
    e = ops.start_experiment(store, plan, NOW).result
    e = ops.extend(store, e, start + timedelta(days=1)).result
    e = ops.pause(store, e, start + timedelta(days=3)).result
    e = ops.resume(store, e, start + timedelta(days=5)).result
    ops.tick_day(store, e, start, True)
    ops.tick_day(store, e, start + timedelta(days=1), False)
    e = ops.stop(store, e, start + timedelta(days=9), "a flare").result
    assert e.id is not None
    return e.id


def test_experiments_round_trip_through_the_json_export(tmp_path: Path) -> None:
    from backstride.store.json_exchange import export_json, import_json

    today = START + timedelta(days=60)
    source = open_store(tmp_path / "a")
    target = open_store(tmp_path / "b")
    try:
        exp_id = _full_experiment(source, START)
        export_json(source, tmp_path / "all.json", NOW)
        doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
        (record,) = doc["experiments"]
        assert record["pairs"] == 4 and record["mic_points"] is None
        assert [d["kind"] for d in record["deviations"]] == ["extend", "pause", "resume", "stop"]
        assert record["ticks"] == {
            START.isoformat(): True,
            (START + timedelta(1)).isoformat(): False,
        }
        imported = {
            r.key: (r.added, r.already) for r in import_json(target, tmp_path / "all.json", today)
        }
        assert imported["experiments"] == (1, 0)
        assert experiment_store.export_records(target) == experiment_store.export_records(source)
        (copy,) = experiment_store.list_experiments(target)
        original = experiment_store.get_experiment(source, exp_id)
        assert original is not None and copy.id is not None
        assert replace(copy, id=None) == replace(original, id=None)
        assert experiment_store.planned_phases(target, copy.id) == (
            experiment_store.planned_phases(source, exp_id)
        )
        assert experiment_store.ticks(target, copy.id) == experiment_store.ticks(source, exp_id)
        again = {
            r.key: (r.added, r.already) for r in import_json(target, tmp_path / "all.json", today)
        }
        assert again["experiments"] == (0, 1)  # importing twice adds nothing
        export_json(target, tmp_path / "again.json", NOW)
        assert (tmp_path / "again.json").read_bytes() == (tmp_path / "all.json").read_bytes()
    finally:
        source.close()
        target.close()


def test_a_bad_or_second_running_experiment_is_refused(tmp_path: Path) -> None:
    from backstride.core.json_export import JsonImportError
    from backstride.store.database import StoreError
    from backstride.store.json_exchange import export_json, import_json

    source = open_store(tmp_path / "a")
    target = open_store(tmp_path / "b")
    try:
        ops.start_experiment(source, Plan(change="warmup", start=START, seed=1), NOW)
        export_json(source, tmp_path / "all.json", NOW)
        doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
        doc["experiments"][0]["deviations"] = [
            {"day": "2025-03-05", "kind": "holiday", "shift_days": 0, "text": ""}
        ]
        doc["experiments"][0]["baseline"] = "no"
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(JsonImportError) as refused:
            import_json(target, bad, START)
        text = str(refused.value)
        assert "experiments[0].baseline: must be true or false" in text
        doc["experiments"][0]["baseline"] = False
        bad.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(JsonImportError, match=r"experiments\[0\]\.deviations\[0\]\.kind"):
            import_json(target, bad, START)
        ops.start_experiment(target, Plan(change="core", start=START, seed=2), NOW)
        with pytest.raises(StoreError, match="one experiment runs at a time"):
            import_json(target, tmp_path / "all.json", START + timedelta(days=1))
        assert len(experiment_store.list_experiments(target)) == 1  # nothing saved
    finally:
        source.close()
        target.close()


def test_one_more_pair_is_promised_only_when_it_would_likely_settle_it() -> None:
    from backstride.core.experiment_result import one_more_pair_settles
    from backstride.core.experiment_stats import Comparison

    # Nearly clear of 0: narrowed by sqrt(3/4), the 95 % interval would exclude it.
    close = Comparison(-1.4, (-2.6, -0.2), (-2.9, 0.1), 14, 13)
    assert one_more_pair_settles(close, 3, 2.0, 1.0)
    # Wide and centred near 0, with the change barely kept: neither verdict is near.
    wide = Comparison(-0.2, (-1.8, 1.5), (-2.2, 1.8), 14, 13)
    assert not one_more_pair_settles(wide, 3, 2.0, 0.1)
    # The same interval with the plan kept: "no difference" is within reach.
    assert one_more_pair_settles(wide, 3, 2.0, 1.0)
    assert not one_more_pair_settles(Comparison(None, None, None, 2, 3), 3, 2.0, 1.0)
