"""A Strava bulk-export folder, built here as Strava lays it out."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backstride.importers import ImportFileError, expand_sources, read_sources
from backstride.importers.strava import read_strava_export

DATA = Path(__file__).resolve().parents[1] / "data"

# Strava's real header (English export), with its repeated column names.
HEADER = [
    "Activity ID",
    "Activity Date",
    "Activity Name",
    "Activity Type",
    "Activity Description",
    "Elapsed Time",
    "Distance",
    "Max Heart Rate",
    "Relative Effort",
    "Commute",
    "Activity Private Note",
    "Activity Gear",
    "Filename",
    "Athlete Weight",
    "Bike Weight",
    "Elapsed Time",
    "Moving Time",
    "Distance",
    "Max Speed",
    "Average Speed",
    "Elevation Gain",
    "Elevation Loss",
    "Elevation Low",
    "Elevation High",
    "Max Grade",
    "Average Grade",
    "Average Positive Grade",
    "Average Negative Grade",
    "Max Cadence",
    "Average Cadence",
    "Max Heart Rate",
    "Average Heart Rate",
]


def row(**values: str) -> list[str]:
    """A CSV row; keys name columns (Distance2 / Elapsed2 for the repeated ones)."""
    cells = [""] * len(HEADER)
    positions = {name: i for i, name in reversed(list(enumerate(HEADER)))}
    positions["Distance2"] = len(HEADER) - 1 - HEADER[::-1].index("Distance")
    positions["Elapsed2"] = len(HEADER) - 1 - HEADER[::-1].index("Elapsed Time")
    for key, value in values.items():
        cells[positions[key.replace("_", " ")]] = value
    return cells


def write_export(folder: Path, rows: list[list[str]], header: list[str] = HEADER) -> None:
    (folder / "activities").mkdir(parents=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    (folder / "activities.csv").write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture
def export(tmp_path: Path) -> Path:
    folder = tmp_path / "export_12345"
    write_export(
        folder,
        [
            row(
                Activity_ID="101",
                Activity_Date="Aug 15, 2015, 2:45:08 PM",
                Activity_Name="River loop",
                Activity_Type="Run",
                Filename="activities/101.fit.gz",
                Distance="9.01",
                Distance2="9008.2",
                Moving_Time="2790",
            ),
            row(
                Activity_ID="102",
                Activity_Date="Aug 16, 2015, 6:00:00 AM",
                Activity_Name="Commute",
                Activity_Type="Ride",
                Filename="activities/102.gpx",
            ),
            row(
                Activity_ID="103",
                Activity_Date="Aug 17, 2015, 7:00:00 AM",
                Activity_Name="Treadmill",
                Activity_Type="Virtual Run",
                Activity_Description="easy\nwith a line break",
                Elapsed_Time="1900",
                Elapsed2="1900.0",
                Moving_Time="1800",
                Distance="5.00",
                Distance2="5000.0",
                Elevation_Gain="12",
                Elevation_Loss="11.5",
                Average_Cadence="84",
                Average_Heart_Rate="142.5",
            ),
            row(
                Activity_ID="104",
                Activity_Date="Aug 18, 2015, 7:00:00 AM",
                Activity_Name="Lost file",
                Activity_Type="Trail Run",
                Filename="activities/104.tcx.gz",
                Distance2="7000",
                Moving_Time="2400",
            ),
            row(
                Activity_ID="105",
                Activity_Date="18 août 2015, 07:00:00",
                Activity_Name="French date",
                Activity_Type="Run",
            ),
            row(
                Activity_ID="106",
                Activity_Date="Aug 19, 2015, 7:00:00\u202fPM",
                Activity_Name="Mislabelled ride",
                Activity_Type="Run",
                Filename="activities/106.fit",
                Distance2="450",
                Moving_Time="60",
            ),
            row(
                Activity_ID="107",
                Activity_Date="Aug 20, 2015, 7:00:00 AM",
                Activity_Name="Broken file",
                Activity_Type="Run",
                Filename="activities/107.fit",
                Distance2="3000",
                Moving_Time="900",
            ),
            row(Activity_ID="108", Activity_Date="Aug 21, 2015, 7:00:00 AM", Activity_Type="Walk"),
            row(Activity_ID="109", Activity_Date="Aug 22, 2015, 7:00:00 AM", Activity_Type="Yoga"),
        ],
    )
    run = (DATA / "fit/activity-small-fenix2-run.fit").read_bytes()
    (folder / "activities" / "101.fit.gz").write_bytes(gzip.compress(run))
    (folder / "activities" / "102.gpx").write_text("<gpx/>")
    shutil.copy(DATA / "fit/garmin-fenix-5-bike.fit", folder / "activities" / "106.fit")
    shutil.copy(DATA / "invalid/activity-filecrc.fit", folder / "activities" / "107.fit")
    return folder


def test_each_activity_is_read_from_its_file_or_its_summary(export: Path) -> None:
    readings = read_strava_export(export)
    assert [r.status for r in readings] == [
        "imported",
        "skipped",
        "imported",
        "imported",
        "failed",
        "imported",
        "imported",
        "skipped",
        "skipped",
    ]
    from_file, ride, treadmill, lost, french, mislabelled, broken, walk, yoga = readings

    # A run whose file is in the export: the track's metrics.
    (run,) = from_file.runs
    assert from_file.path == export / "activities" / "101.fit.gz"
    assert run.source == "101.fit.gz"
    assert run.pace_surges is not None and run.profile
    assert run.distance_m == pytest.approx(9008.2, rel=0.01)
    assert from_file.label == "activities/101.fit.gz (Run 'River loop')"

    assert ride.skipped == ["a ride (cycling), not a run"]
    assert walk.skipped == ["a walk, not a run"]
    assert yoga.skipped == ["a 'Yoga' activity, not a run"]

    # No file (entered on Strava by hand or a treadmill): the CSV's summary.
    (summary,) = treadmill.runs
    assert treadmill.warnings == []
    assert summary.start == datetime(2015, 8, 17, 7, 0, tzinfo=UTC)  # Strava dates are UTC
    assert summary.distance_m == 5000.0  # the second Distance column, in metres
    assert summary.moving_time_s == 1800.0
    assert summary.elapsed_time_s == 1900.0
    assert summary.ascent_m == 12.0 and summary.descent_m == 11.5
    assert summary.avg_hr == 142.5
    assert summary.cadence_spm == 168.0  # Strava's run cadence counts one foot
    assert summary.source == "activities.csv"
    assert summary.source_hash == hashlib.sha256(b"strava-activity:103").hexdigest()
    assert summary.profile == ()
    assert (
        treadmill.label
        == "activities.csv row 3: Virtual Run 'Treadmill' of Aug 17, 2015, 7:00:00 AM"
    )

    (lost_run,) = lost.runs
    assert lost_run.distance_m == 7000.0
    assert lost.warnings == [
        "its activity file activities/104.tcx.gz is not in the export folder; the summary in "
        "activities.csv was used, so downhill, surge and gait figures are missing"
    ]

    assert french.error is not None and "is not in a form we know" in french.error
    assert "English" in french.error

    # The file says "cycling" but Strava says run: the runner's label wins, from the CSV.
    (mislabelled_run,) = mislabelled.runs
    assert mislabelled_run.distance_m == 450.0
    assert mislabelled_run.start == datetime(2015, 8, 19, 19, 0, tzinfo=UTC)
    assert (
        "describes a ride (cycling), not a run, but Strava lists it as a run"
        in (mislabelled.warnings[0])
    )

    (broken_run,) = broken.runs
    assert broken_run.distance_m == 3000.0
    assert "could not be read (its checksum does not match" in broken.warnings[0]


def test_the_export_folder_is_one_source_read_row_by_row(export: Path, tmp_path: Path) -> None:
    loose = tmp_path / "loose.fit"
    shutil.copy(DATA / "fit/garmin-fenix-5-run.fit", loose)
    assert expand_sources([tmp_path]) == [export, loose]
    readings = list(read_sources([tmp_path]))
    assert len(readings) == 10  # nine rows, then the loose file
    assert readings[-1].path == loose


def test_a_single_distance_column_is_km_unless_it_is_clearly_metres(tmp_path: Path) -> None:
    header = ["Activity ID", "Activity Date", "Activity Type", "Distance", "Moving Time"]
    write_export(
        tmp_path / "old",
        [
            ["1", "2021-01-05 07:03:12", "Run", "10.5", "3000"],
            ["2", "2021-01-06 07:03:12", "Run", "8400", "2500"],
        ],
        header,
    )
    first, second = read_strava_export(tmp_path / "old")
    assert first.runs[0].distance_m == 10500.0
    assert second.runs[0].distance_m == 8400.0


def test_unusable_activities_csv_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "e"
    write_export(folder, [], ["Aktivitäts-ID", "Datum", "Typ"])
    with pytest.raises(ImportFileError, match="not a Strava export in English"):
        read_strava_export(folder)
    (folder / "activities.csv").write_bytes(b"")
    with pytest.raises(ImportFileError, match="empty"):
        read_strava_export(folder)
    (folder / "activities.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_strava_export(folder)
    # Through the batch reader it is one failed item, and the batch goes on.
    readings = list(read_sources([folder]))
    assert [r.status for r in readings] == ["failed"]


def test_a_filename_outside_the_export_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.fit"
    shutil.copy(DATA / "fit/garmin-fenix-5-run.fit", secret)
    folder = tmp_path / "export"
    write_export(
        folder,
        [
            row(
                Activity_ID="1",
                Activity_Date="Aug 15, 2015, 2:45:08 PM",
                Activity_Type="Run",
                Filename="../elsewhere.fit",
                Distance2="1000",
            )
        ],
    )
    (reading,) = read_strava_export(folder)
    assert reading.runs[0].source == "activities.csv"
    assert "not in the export folder" in reading.warnings[0]
