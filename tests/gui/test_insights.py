"""The Insights page: findings from demo data, the days behind them, empty states, the
period selector, re-running on changes, tooltips, and staying light until shown."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCharts import QScatterSeries
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QTableWidget, QTreeWidget, QTreeWidgetItem

from backstride.core.demo import generate_demo
from backstride.core.models import PainEntry, Run
from backstride.core.units import MILES
from backstride.store.database import Store, open_store
from backstride.store.demo import fill_demo
from backstride.store.pain import import_pain_entries
from backstride.store.runs import add_runs
from backstride.ui.context import AppContext
from backstride.ui.data_events import PAIN, DataEvents
from backstride.ui.display_units import set_display_unit
from backstride.ui.insights.charts import day_ms
from backstride.ui.insights.page import CUSTOM, InsightsPage
from backstride.ui.insights.periods import PERIODS, last_months

pytestmark = pytest.mark.gui

END = date(2025, 6, 30)
WAIT_MS = 10_000


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 days of the demo runner, written once and copied for each test."""
    folder = tmp_path_factory.mktemp("demo")
    store = open_store(folder)
    try:
        fill_demo(store, generate_demo(200, seed=1, end=END), "demo")
    finally:
        store.close()
    return folder / "backstride.sqlite3"


@pytest.fixture
def demo_store(tmp_path: Path, demo_file: Path) -> Iterator[Store]:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / demo_file.name).write_bytes(demo_file.read_bytes())
    store = open_store(folder)
    yield store
    store.close()


def make_page(qtbot, store: Store, today: date = END) -> InsightsPage:  # type: ignore[no-untyped-def]
    ctx = AppContext(store=store, events=DataEvents(), undo=QUndoStack())
    page = InsightsPage(ctx, today=lambda: today)
    page._test_ctx = ctx  # type: ignore[attr-defined]  # keep the events object alive
    qtbot.addWidget(page)
    page.resize(1200, 760)
    return page


def wait_for_analysis(qtbot, page: InsightsPage, runs: int = 1) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: page.runs_started >= runs and not page.is_busy and page.result is not None,
        timeout=WAIT_MS,
    )


@pytest.fixture
def page(qtbot, demo_store: Store) -> InsightsPage:  # type: ignore[no-untyped-def]
    p = make_page(qtbot, demo_store)
    p.show()
    wait_for_analysis(qtbot, p)
    return p


def finding_items(page: InsightsPage) -> list[QTreeWidgetItem]:
    assert page.findings is not None
    return page.findings._finding_items()


def top_item(tree: QTreeWidget, i: int) -> QTreeWidgetItem:
    item = tree.topLevelItem(i)
    assert item is not None
    return item


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def test_demo_data_shows_the_planted_patterns(page: InsightsPage) -> None:
    assert page.findings is not None and page.charts is not None
    assert page.stack.currentWidget() is page.content
    analysis = page.result.analysis  # type: ignore[union-attr]
    # Last 12 months by default, which holds all 200 days.
    assert (analysis.period_from, analysis.period_to) == (date(2024, 12, 13), END)
    tree = page.findings.tree
    groups = [top_item(tree, i).text(0) for i in range(tree.topLevelItemCount())]
    patterns = next(g for g in groups if g.startswith("Patterns (q < 0.1)"))
    assert not patterns.endswith("(0)")
    shown = [page.findings.finding_of(item) for item in finding_items(page)]
    planted = [
        f for f in shown if f is not None and f.significant and f.factor in ("warmup", "descent")
    ]
    assert planted, "a planted effect (warm-up or descent) is listed as a pattern"
    item = next(i for i in finding_items(page) if page.findings.finding_of(i) is planted[0])
    assert "q = " in item.text(0) and "n = " in item.text(0)
    # Strongest first: the patterns come in the order of their q-values.
    qs = [f.q for f in shown if f is not None and f.significant and f.q is not None]
    assert qs == sorted(qs)
    assert "pattern" in page.status.text()


def test_charts_draw_the_period_with_gaps_for_missing_days(page: InsightsPage) -> None:
    assert page.charts is not None
    pain = page.charts.pain.chart()
    names = {s.name() for s in pain.series()}
    assert {"daily range", "7-day average", "worst of the day", "run"} <= names
    dots = next(s for s in pain.series() if s.name() == "worst of the day")
    series = page.result.analysis.series  # type: ignore[union-attr]
    diary_days = sum(1 for v in series.worst.tolist() if not math.isnan(v))
    assert isinstance(dots, QScatterSeries)
    assert dots.count() == diary_days < len(series.days)  # missing days are not drawn as 0
    weekly = {s.name() for s in page.charts.weekly.chart().series()}
    assert {"distance", "pain"} <= weekly
    ratio = {s.name() for s in page.charts.ratio.chart().series()}
    assert {"band", "high", "ratio"} <= ratio
    assert "Impellizzeri" in page.charts.caveat.text()
    # The legend names every mark, shape included (readable in black and white).
    legend = page.charts.legends[page.charts.pain].text()
    for symbol in ("●", "━", "█", "▲"):
        assert symbol in legend


def test_opening_a_finding_lists_its_days(qtbot, page: InsightsPage) -> None:  # type: ignore[no-untyped-def]
    panel = page.findings
    assert panel is not None
    item = next(
        i
        for i in finding_items(page)
        if (f := panel.finding_of(i)) is not None
        and f.kind == "association"
        and f.factor == "warmup"
        and f.lag == "next morning"
    )
    panel.tree.scrollToItem(item)
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    finding = panel.current_finding()
    assert finding is not None and finding.factor == "warmup"
    assert "On mornings after runs without a warm-up" in panel.detail.text()
    assert "block-permutation p" in panel.detail.text()
    assert panel.days.isVisibleTo(page)
    assert panel.days.rowCount() == len(finding.days) == finding.n_exposed
    series = page.result.analysis.series  # type: ignore[union-attr]
    index = {d: i for i, d in enumerate(series.days)}
    newest = max(finding.days)
    assert panel.rows[0].day == newest
    morning = series.morning[index[newest + timedelta(days=1)]]
    assert cell(panel.days, 0, 3) == f"{morning:.0f}"
    assert "no warm-up" in cell(panel.days, 0, 4)  # every exposed day had such a run
    header = panel.days.horizontalHeaderItem(3)
    assert header is not None and header.font().bold()  # the outcome compared


def test_alerts_are_prominent_and_open_their_days(page: InsightsPage) -> None:
    panel = page.findings
    assert panel is not None
    every = page.result.analysis.of_kind("alert")  # type: ignore[union-attr]
    alerts = [f for f in every if f.current]
    assert alerts, "the demo runner has at least one current alert"
    assert page.alerts.isVisibleTo(page)
    text = page.alerts.label.text()
    for alert in alerts:
        assert alert.action in text.replace("&#x27;", "'")
    # Alerts raised earlier are not in the banner: the list says when they were raised.
    tree = panel.tree
    groups = [top_item(tree, i).text(0) for i in range(tree.topLevelItemCount())]
    earlier = [f for f in every if not f.current]
    assert any(g.startswith("Raised earlier") for g in groups) == bool(earlier)
    for f in earlier:
        assert f.raised is not None and f"{f.raised.day} {f.raised:%b %Y}" in f.summary
    first = alerts[0]
    index = page.result.analysis.findings.index(first)  # type: ignore[union-attr]
    page.alerts.label.linkActivated.emit(f"finding:{index}")
    assert panel.current_finding() == first
    assert "What to do:" in panel.detail.text()
    assert panel.days.rowCount() == len(set(first.days))


def test_empty_store_says_what_to_log(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, store)
    page.show()
    wait_for_analysis(qtbot, page)
    assert page.stack.currentWidget() is page.empty_box
    assert "Not enough data yet" in page.empty.text()
    assert "Log your pain every morning on waking" in page.empty.text()
    assert not page.alerts.isVisibleTo(page)


def test_a_few_days_say_not_enough_data_for_patterns(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    tz = UTC
    import_pain_entries(
        store,
        [
            PainEntry(day=END - timedelta(days=n), time=time(7, 0), intensity=2, timing="on_waking")
            for n in range(6)
        ],
    )
    add_runs(
        store,
        [
            Run(
                start=datetime.combine(END - timedelta(days=n), time(18, 0), tz),
                distance_m=8000.0,
                moving_time_s=2700.0,
            )
            for n in (1, 3)
        ],
    )
    page = make_page(qtbot, store)
    page.show()
    wait_for_analysis(qtbot, page)
    panel = page.findings
    assert panel is not None
    assert page.stack.currentWidget() is page.content  # the charts show what there is
    assert panel.notice.isVisibleTo(page)
    assert "Not enough data yet to look for patterns" in panel.notice.text()
    assert "What to log next" in panel.notice.text()
    tree = panel.tree
    patterns = next(
        top_item(tree, i)
        for i in range(tree.topLevelItemCount())
        if top_item(tree, i).text(0).startswith("Patterns")
    )
    first = patterns.child(0)
    assert first is not None and first.text(0) == "Not enough data yet to compare any factor"


def test_a_period_without_entries_points_to_a_longer_one(qtbot, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_store, today=END + timedelta(days=400))
    page.show()
    wait_for_analysis(qtbot, page)
    assert page.stack.currentWidget() is page.empty_box
    assert "Choose a longer period" in page.empty.text()


def test_the_period_selector_reruns_the_analysis(qtbot, page: InsightsPage) -> None:  # type: ignore[no-untyped-def]
    three = next(i for i, (label, _) in enumerate(PERIODS) if label == "Last 3 months")
    page.period.setCurrentIndex(three)
    wait_for_analysis(qtbot, page, runs=2)
    analysis = page.result.analysis  # type: ignore[union-attr]
    assert (analysis.period_from, analysis.period_to) == last_months(END, 3)
    assert analysis.period_from == date(2025, 3, 31)

    page.period.setCurrentIndex(CUSTOM)  # starts from the period on show
    wait_for_analysis(qtbot, page, runs=3)
    assert page.custom_range.isVisibleTo(page)
    page.date_from.setDate(QDate(2025, 2, 1))
    page.date_to.setDate(QDate(2025, 4, 30))
    wait_for_analysis(qtbot, page, runs=4)  # both edits, one run (debounced)
    analysis = page.result.analysis  # type: ignore[union-attr]
    assert (analysis.period_from, analysis.period_to) == (date(2025, 2, 1), date(2025, 4, 30))
    assert page.runs_started == 4

    page.date_from.setDate(QDate(2025, 5, 15))  # after the end
    qtbot.waitUntil(lambda: "start date is after the end date" in page.status.text())
    assert page.runs_started == 4


def test_changes_to_the_data_rerun_once(qtbot, page: InsightsPage) -> None:  # type: ignore[no-untyped-def]
    before = page.runs_started
    for _ in range(3):
        page.ctx.events.announce(PAIN)
    wait_for_analysis(qtbot, page, runs=before + 1)
    assert not page.is_scheduled and not page.is_busy  # nothing more can start
    assert page.runs_started == before + 1


def test_hidden_page_waits_until_shown(qtbot, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_store)
    assert page.charts is None  # nothing built, nothing run before the page is shown
    page.ctx.events.announce(PAIN)
    assert not page.is_scheduled and not page.is_busy  # hidden: only noted as stale
    assert page.runs_started == 0
    page.show()
    wait_for_analysis(qtbot, page)
    page.hide()
    page.ctx.events.announce(PAIN)
    assert not page.is_scheduled and not page.is_busy
    assert page.runs_started == 1
    page.show()
    wait_for_analysis(qtbot, page, runs=2)


def test_miles_redraw_at_once_and_reword_the_findings(qtbot, page: InsightsPage) -> None:  # type: ignore[no-untyped-def]
    """The charts redraw at once; the findings name distances, so they are worded again."""
    assert page.charts is not None
    before = page.runs_started
    set_display_unit(MILES, page.ctx.events)
    assert "mi a week" in page.charts.legends[page.charts.weekly].text()
    wait_for_analysis(qtbot, page, runs=before + 1)
    texts = [f.summary for f in page.result.analysis.findings if f.kind == "load"]  # type: ignore[union-attr]
    assert any(" mi a week" in t for t in texts)


def test_hovering_a_day_shows_its_values(page: InsightsPage) -> None:
    assert page.charts is not None
    series = page.result.analysis.series  # type: ignore[union-attr]
    runs = page.result.runs  # type: ignore[union-attr]
    day = max(d for d in runs if not math.isnan(series.worst[series.days.index(d)]))
    pain = page.charts.pain
    text = pain.tooltip_for(pain.position_of(day_ms(day), 3.0))
    assert text is not None
    assert text.startswith(f"{day:%a} {day.day} {day:%b %Y}")
    assert "worst pain" in text and "run: " in text
    weekly = page.charts.weekly
    text = weekly.tooltip_for(weekly.position_of(day_ms(day), 1.0))
    assert text is not None and text.startswith("Week of ") and " run" in text
    ratio = page.charts.ratio
    text = ratio.tooltip_for(ratio.position_of(day_ms(END), 1.0))
    assert text is not None and "load ratio" in text and "not a prediction" in text
    # Outside the plot area there is nothing to show.
    assert pain.tooltip_for(pain.rect().topLeft()) is None


def test_importing_the_page_loads_neither_charts_nor_analysis() -> None:
    code = (
        "import sys\n"
        "import backstride.ui.insights.page\n"
        "heavy = [m for m in ('PySide6.QtCharts', 'backstride.core.analysis.engine', 'numpy') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""


def test_the_wording_comes_from_the_analysis_constants_without_numpy() -> None:
    """The page words its headings and empty state with the analysis's own numbers, from a
    module that loads no numpy (start-up must not pay for it)."""
    code = (
        "import sys\n"
        "from backstride.ui.insights import page, wording\n"
        "from backstride.core.analysis import MIN_DAYS_PER_GROUP, SIGNIFICANT_Q\n"
        "assert f'at least {MIN_DAYS_PER_GROUP} days with it' in page.EMPTY_TEXT\n"
        "assert f'q < {SIGNIFICANT_Q:g}' in wording.PATTERNS_HEADING\n"
        "print('numpy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"


def test_titles_and_counts_come_from_fields_not_sentences() -> None:
    from backstride.core.analysis import Finding
    from backstride.ui.insights.wording import second_line, title

    f = Finding(
        "descent", "association", 1.0, (0.5, 1.5), 0.01, 0.05, 20, 40, "next morning",
        "Any sentence at all.", subject="runs with 300 m or more of descent",
        comparator="other runs", needed=5,
    )  # fmt: skip
    assert title(f) == "Runs with 300 m or more of descent"
    short = Finding(
        "long_run", "insufficient", None, None, None, None, 1, 30, "next morning", "...",
        subject="runs more than 10 % longer", comparator="other runs", needed=7,
    )  # fmt: skip
    assert (
        second_line(short, MILES) == "1 vs 30 days so far; the comparison needs 7 of each (6 more)"
    )


def test_the_main_window_lists_insights_and_runs_it_when_opened(qtbot, demo_store: Store) -> None:  # type: ignore[no-untyped-def]
    from backstride.ui.app import create_window

    window = create_window(demo_store)
    qtbot.addWidget(window)
    window.show()
    page = window.insights
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert names[window.pages.index(page)] == "Insights"
    assert page.runs_started == 0  # not before it is opened
    window.show_page(page)
    wait_for_analysis(qtbot, page)
    # The demo diary ended in 2025: the last 12 months before today are empty.
    if page.result is not None and page.result.analysis.period_to != END:
        assert page.stack.currentWidget() is page.empty_box
        assert "Choose a longer period" in page.empty.text()
        page.period.setCurrentIndex(next(i for i, (_, m) in enumerate(PERIODS) if m is None))
        wait_for_analysis(qtbot, page, runs=2)
    assert page.stack.currentWidget() is page.content


def test_busy_while_running_and_errors_said_in_words(  # type: ignore[no-untyped-def]
    qtbot, page: InsightsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.refresh()
    assert page.is_busy and page.busy.isVisibleTo(page)
    wait_for_analysis(qtbot, page, runs=2)
    assert not page.busy.isVisibleTo(page)

    from backstride.store.database import StoreError
    from backstride.ui.insights import task

    def broken(*_: object) -> None:
        raise StoreError("The data file is locked by another program: close it and try again.")

    monkeypatch.setattr(task, "compute", broken)
    page.refresh()
    qtbot.waitUntil(lambda: not page.is_busy, timeout=WAIT_MS)
    assert "Could not analyse your data: The data file is locked" in page.status.text()
    assert page.stack.currentWidget() is page.content  # the last result stays on show


def test_load_ratio_after_a_long_break_stays_on_the_chart_with_readable_labels(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: with one week of data after old runs the ratio axis labels were all "…"
    and the line ran off the top; at small sizes the month labels were cut."""
    from PySide6.QtCharts import QDateTimeAxis, QLineSeries, QValueAxis
    from PySide6.QtGui import QFontMetrics

    from backstride.core.analysis import analyze
    from backstride.core.models import Dataset
    from backstride.ui.insights.charts import RATIO_AXIS_TOP, ChartsPanel

    first = date(2025, 1, 6)
    old = [first + timedelta(days=i) for i in range(0, 28, 2)]
    week = [first + timedelta(days=200 + i) for i in range(0, 7, 2)]
    runs = tuple(
        Run(start=datetime.combine(d, time(7), UTC), distance_m=8000, moving_time_s=2700, rpe=5)
        for d in old + week
    )
    pain = tuple(PainEntry(day=d, intensity=3, time=time(7)) for d in week)
    a = analyze(Dataset(pain=pain, runs=runs), week[0], week[-1], permutations=199)
    peak = max(v for _, v in a.series.points("load_ratio"))

    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.resize(430, 640)
    panel.show()
    panel.show_data(a.series, a.weekly, {}, a.load_unit, MILES, (a.period_from, a.period_to))
    qtbot.waitUntil(lambda: panel.ratio.chart().plotArea().width() > 0)
    chart = panel.ratio.chart()
    (y,) = [ax for ax in chart.axes(Qt.Orientation.Vertical) if isinstance(ax, QValueAxis)]
    assert peak > RATIO_AXIS_TOP and y.max() <= RATIO_AXIS_TOP
    assert "drawn at the top" in chart.title()
    assert (y.max() - y.min()) / y.tickInterval() <= 8  # a few labels, room for each
    for series in chart.series():
        if isinstance(series, QLineSeries) and series.name() == "ratio":
            assert all(p.y() <= y.max() for p in series.points())
    for view in panel.views():
        (x,) = [ax for ax in view.chart().axes(Qt.Orientation.Horizontal)]
        assert isinstance(x, QDateTimeAxis)
        label = QFontMetrics(x.labelsFont()).horizontalAdvance(x.min().toString(x.format()))
        assert x.tickCount() * label <= view.chart().plotArea().width() + label  # none cut
