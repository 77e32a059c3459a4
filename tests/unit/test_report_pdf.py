"""The clinician report as a PDF and from the command line (issue 13).

Figures on page 1 are computed here from the store, independently of the report code;
text comes out with poppler's pdftotext, fonts with pdffonts, metadata with pdfinfo.
"""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import KeepTogether

from backstride.cli import main
from backstride.core.demo import generate_demo
from backstride.core.models import Assessment, Dataset, PainEntry
from backstride.core.triage import evaluate, parse_answers
from backstride.core.triage_record import result_record
from backstride.report.checkup_pdf import checkup_pdf
from backstride.report.data import RED_FLAG_KEYS, build_report
from backstride.report.options import DEFAULT_SECTIONS, SECTIONS, ReportOptions, last_weeks
from backstride.report.pdf import DISCLAIMER, MARGIN, frame_size, render_pdf, story
from backstride.store.assessments import add_assessment
from backstride.store.database import open_store
from backstride.store.demo import fill_demo
from backstride.store.pain import list_pain_entries
from backstride.store.profile import Profile, save_profile

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext, pdffonts)"
)
END = date(2026, 6, 28)
WEEKS = 12
NAME = "Zoë Παπαδοπούλου"
WORD_BOX = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"')


def text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first is not None:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-demo")
    store = open_store(folder)
    try:
        fill_demo(store, generate_demo(365, seed=2, end=END), "demo")
        answers = {"red_flags": {k.split(".")[1]: False for k in RED_FLAG_KEYS}, "age": 38}
        result = evaluate(parse_answers(answers))
        taken = datetime(2026, 6, 20, 18, 30).astimezone()
        add_assessment(
            store, Assessment(taken, answers, result_record(result), result.rules_version)
        )
        save_profile(store, Profile(NAME, 1987), END)
    finally:
        store.close()
    return folder


def write(demo_dir: Path, out: Path, *extra: str) -> int:
    argv = ["--data-dir", str(demo_dir), "report", "-o", str(out), "--to", END.isoformat()]
    return main([*argv, "--weeks", str(WEEKS), *extra])


def test_page_one_holds_the_figures_from_the_store(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert write(demo_dir, out, "--paper", "a4") == 0
    start, end = last_weeks(END, WEEKS)
    store = open_store(demo_dir)
    try:
        entries = list_pain_entries(store, start, end)
    finally:
        store.close()
    worst: dict[date, int] = {}
    for e in entries:
        worst[e.day] = max(worst.get(e.day, 0), e.intensity)
    days = (end - start).days + 1
    pain_days = sum(1 for v in worst.values() if v > 0)
    page1 = " ".join(text(out, 1).split())
    assert f"{len(worst)} of {days}" in page1
    assert f"{days - len(worst)} days with no entry" in page1
    assert f"{7 * pain_days / len(worst):.1f} of 7" in page1
    assert f"{sum(worst.values()) / len(worst):.1f} / 10" in page1
    assert f"{max(worst.values())} / 10" in page1
    assert NAME in page1 and "born 1987" in page1
    # Both charts, the check-up with its explicit "none reported", the disclaimer.
    assert "7-day average" in page1 and "distance per week (km, left)" in page1
    assert f"None reported: all {len(RED_FLAG_KEYS)} warning-sign questions answered no" in page1
    assert "Self-reported associations" in page1 and "not causes" in page1
    assert DISCLAIMER in page1 and f"Page 1 of {pages(out)}" in page1


def test_fonts_are_embedded_and_metadata_set(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert write(demo_dir, out) == 0
    fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(" yes yes yes " in row and "SourceSansPro" in row for row in rows)
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Title:\s+Back pain and running: summary", info, re.M)
    assert re.search(rf"^Author:\s+{NAME}$", info, re.M)
    assert re.search(r"^Subject:\s+Pain diary, training log", info, re.M)
    assert re.search(r"^CreationDate:\s+\S", info, re.M)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # owner-only, like every export


def test_no_path_or_data_folder_is_printed(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert write(demo_dir, out, "--appendix") == 0
    everything = text(out)
    assert str(demo_dir) not in everything and demo_dir.name not in everything
    assert str(tmp_path) not in everything
    assert demo_dir.name.encode() not in out.read_bytes()


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_nothing_runs_off_the_page(demo_dir: Path, tmp_path: Path, paper: str) -> None:
    out = tmp_path / "report.pdf"
    assert write(demo_dir, out, "--paper", paper, "--appendix") == 0
    html = subprocess.run(
        ["pdftotext", "-bbox", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    slack = 3.0  # a glyph's descent below the footer's baseline
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        for m in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page.group(3)
        ):
            x0, y0, x1, y1 = map(float, m.groups())
            assert x0 >= MARGIN - 0.5 and x1 <= width - MARGIN + 0.5, m.group(0)
            assert y0 >= MARGIN - 0.5 and y1 <= height - MARGIN + slack, m.group(0)


def _drawings(flowables: list[object]) -> list[Drawing]:
    found: list[Drawing] = []
    for f in flowables:
        if isinstance(f, Drawing):
            found.append(f)
        elif isinstance(f, KeepTogether):
            found += _drawings(list(f._content))
    return found


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_chart_is_drawn_inside_its_box(paper: str) -> None:
    data = generate_demo(200, seed=4, end=END)
    start, end = last_weeks(END, WEEKS)
    options = ReportOptions(start, end, paper=paper, sections=tuple(SECTIONS))
    report = build_report(data, [], options, datetime(2026, 6, 29, 9, 0).astimezone())
    width, height = frame_size(paper)
    drawings = _drawings(story(report, width))
    assert len(drawings) == 3  # pain, weekly distance, body map
    for d in drawings:
        assert d.width <= width and d.height <= height
        x0, y0, x1, y1 = d.getBounds()
        assert x0 >= 0 and y0 >= 0 and x1 <= d.width and y1 <= d.height, (x0, y0, x1, y1)


@pytest.mark.parametrize("section", list(SECTIONS))
def test_each_section_alone(demo_dir: Path, tmp_path: Path, section: str) -> None:
    out = tmp_path / f"{section}.pdf"
    assert write(demo_dir, out, "--sections", section) == 0
    body = " ".join(text(out).split())
    # The summary has no title of its own; the demo runner ran no experiment.
    assert SECTIONS[section] in body or section in ("summary", "experiments")
    assert NAME in body and "Period:" in body  # the first page always says whose and when


def test_every_section_on(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.pdf"
    assert write(demo_dir, out, "--sections", ",".join(SECTIONS)) == 0
    body = " ".join(text(out).split())
    for key, title in list(SECTIONS.items())[1:]:
        assert title in body or key == "experiments"  # none in the demo
    assert "Made it worse" in body and "Morning stiffness" in body and "Read with care" in body


def test_an_empty_database_gives_a_short_report(tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    code = main(
        ["--data-dir", str(tmp_path / "data"), "report", "-o", str(out), "--to", END.isoformat()]
    )
    assert code == 0
    body = " ".join(text(out).split())
    assert "Nothing was logged in this period" in body
    assert "No check-up in this period" in body
    assert "0 of 56" in body
    assert pages(out) <= 3


def test_notes_in_any_script_print_or_show_visibly(tmp_path: Path) -> None:
    day = date(2026, 6, 1)
    notes = [
        "Πόνος στη μέση μετά το τρέξιμο",
        "Спина болит утром",
        "Crème, naïve, Ærø, Łódź",
        "ok 😀👍🏽 done",
    ]
    pain = tuple(PainEntry(day + timedelta(days=i), 3, note=n) for i, n in enumerate(notes))
    options = ReportOptions(day, day + timedelta(days=6), sections=("appendix",))
    out = tmp_path / "notes.pdf"
    out.write_bytes(
        render_pdf(build_report(Dataset(pain=pain), [], options, datetime.now().astimezone()))
    )
    body = text(out)
    for note in notes[:3]:
        assert note in body
    assert "ok [?] done" in body


def test_ten_years_with_the_appendix_completes(tmp_path: Path) -> None:
    data = generate_demo(3650, seed=5, end=END)
    options = ReportOptions(END - timedelta(days=3649), END, sections=tuple(SECTIONS))
    pdf = render_pdf(build_report(data, [], options, datetime.now().astimezone()))
    out = tmp_path / "ten.pdf"
    out.write_bytes(pdf)
    assert pages(out) > 50
    assert "Diary appendix" in text(out)


def test_the_checkup_result_prints(tmp_path: Path) -> None:
    result = evaluate(parse_answers({"red_flags": {"saddle_numbness": True}}))
    out = tmp_path / "checkup.pdf"
    out.write_bytes(checkup_pdf(result, None, "letter", "Zoë"))
    body = " ".join(text(out).split())
    assert "EMERGENCY" in body and "Get emergency help now" in body
    assert "Numbness or tingling in the saddle area" in body and DISCLAIMER in body
    assert pages(out) == 1


# ---------------------------------------------------------------- the command line


def test_list_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--list-sections"]) == 0
    out = capsys.readouterr().out
    assert all(key in out for key in SECTIONS) and "appendix" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "2026-06-01", "--to", "2026-05-01"], "swap the two dates"),
        (["--from", "2026-13-01"], "is not a date"),
        (["--weeks", "0"], "--weeks must be from 1"),
        (["--weeks", "4", "--from", "2026-01-01"], "not both"),
        (["--sections", "summary,nope"], "unknown section 'nope'"),
        (["--sections", ","], "at least one section"),
    ],
)
def test_refusals_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "r.pdf"
    assert main(["--data-dir", str(tmp_path / "data"), "report", "-o", str(out), *extra]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_output_must_be_a_pdf_in_an_existing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "data"), "report", "-o"]
    assert main([*data, str(tmp_path / "r.txt")]) == 1
    assert "does not end in .pdf" in capsys.readouterr().err
    assert main([*data, str(tmp_path / "missing" / "r.pdf")]) == 1
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "folder.pdf").mkdir()
    assert main([*data, str(tmp_path / "folder.pdf")]) == 1
    assert "is a folder" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "data"), "report"]) == 1
    assert "-o FILE.pdf" in capsys.readouterr().err


def test_no_notes_leaves_them_out(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = open_store(folder)
    try:
        from backstride.store.pain import add_pain_entry

        add_pain_entry(store, PainEntry(date(2026, 6, 2), 4, note="private words"))
    finally:
        store.close()
    argv = ["--data-dir", str(folder), "report", "--to", "2026-06-28", "--appendix", "-o"]
    assert main([*argv, str(tmp_path / "a.pdf")]) == 0
    assert main([*argv, str(tmp_path / "b.pdf"), "--no-notes"]) == 0
    assert "private words" in text(tmp_path / "a.pdf")
    assert "private words" not in text(tmp_path / "b.pdf")


def test_miles_and_letter(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "miles.pdf"
    assert write(demo_dir, out, "--units", "mi", "--paper", "letter") == 0
    body = " ".join(text(out).split())
    assert "distance per week (mi, left)" in body and " mi " in body
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info


def test_an_experiment_in_the_period_has_its_own_section(tmp_path: Path) -> None:
    from dataclasses import replace

    from backstride.core.experiment_result import CAVEATS
    from backstride.store import experiments as experiment_store
    from backstride.store.pain import import_pain_entries
    from tests.sim.experiment_runners import simulate

    folder = tmp_path / "data"
    store = open_store(folder)
    try:
        experiment, log = simulate(3, 2.0, start=END - timedelta(days=50), label="hip stretches")
        saved = experiment_store.add_experiment(
            store, replace(experiment, id=None), datetime(2026, 5, 1, 9).astimezone()
        )
        import_pain_entries(store, list(log.pain))
        for day, kept in log.ticks.items():
            experiment_store.set_tick(store, saved.id or 0, day, kept)
    finally:
        store.close()
    out = tmp_path / "r.pdf"
    args = ["--data-dir", str(folder), "report", "--to", END.isoformat(), "--weeks", "8"]
    assert main([*args, "-o", str(out)]) == 0
    last = " ".join(text(out, pages(out)).split())
    assert "Personal experiment: hip stretches" in last
    assert "Effect, on − off, points (90 % interval)" in last
    assert "over the 8 possible orders" in last
    assert "Kept as planned (on days / off days)" in last
    assert "wash-out day (left out)" in last and "on phase" in last
    assert all(" ".join(c.split()) in last for c in CAVEATS)
    # A period before the experiment has no such section.
    early = tmp_path / "early.pdf"
    before = ["--to", (END - timedelta(days=60)).isoformat(), "--weeks", "4"]
    assert main(["--data-dir", str(folder), "report", *before, "-o", str(early)]) == 0
    assert "Personal experiment" not in text(early)
    # The runner may leave it out, like any other section.
    without = tmp_path / "without.pdf"
    others = ",".join(k for k in DEFAULT_SECTIONS if k != "experiments")
    assert main([*args, "--sections", others, "-o", str(without)]) == 0
    assert "Personal experiment" not in text(without)
