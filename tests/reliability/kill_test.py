"""Kill battery: writers killed with SIGKILL at random moments must never damage the data.

Single-writer rounds: a child (writer.py loop) adds diary entries, one transaction each,
printing each committed id; after its first id the parent waits a random delay and
SIGKILLs it, then checks the file: ``PRAGMA integrity_check`` is ok and every id any child
ever reported is there with its own note (so a lost entry whose id was reused is caught).
The rounds share one data folder, so later kills also land during WAL checkpoints.
A writer that ends by itself (an error it could not get past) is a failure too.

Two-writer rounds: a fresh data folder; a writer child (which also opens and closes a
second store every few entries, as the Insights worker does) and the real CLI
(``python -m backstride --data-dir DIR import FOLDER`` of watch files) run at once and are
both killed at random. Then: integrity ok, ``PRAGMA foreign_key_check`` empty, every id
the writer reported present, and no file half-saved: each source file has either none or
all of the runs an undisturbed import stores for it, each with its profile row, and every
file the CLI reported "imported" is there in full. Every other round both start at once on
the empty folder (the first-open race). After each two-writer round, and after the last
single-writer round, ``backstride export`` must open the file and export every row.

Children use only the public API and the CLI; the SQL below is the parent's checks.

    python tests/reliability/kill_test.py --rounds 200 --two-writer-rounds 50 [--seed N]

Children run with $BACKSTRIDE_TEST_PYTHON (default: this interpreter) and inherit
PYTHONPATH, so the battery can be pointed at another checkout. Exit status 1 on any failure;
each failure names its round and seed so it can be replayed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRITER = HERE / "writer.py"
TEST_DATA = HERE.parent / "data"
DB_FILENAME = "backstride.sqlite3"  # the store's file name (backstride.store.database)

# Small watch files that import, one that duplicates another and two that are skipped, so
# the import meets every kind of outcome; each imported run is a run row and a profile row.
IMPORT_FILES = (
    "fit/2013-02-06-12-11-14.fit",
    "fit/garmin-fenix-5-run.fit",
    "fit/compressed-speed-distance.fit",
    "fit/garmin-fenix-5-bike.fit",
    "gpx/track_with_speed.gpx",
    "gpx/track-with-empty-segment.gpx",
    "gpx/cerknicko-jezero-no-creator.gpx",
    "gpx/cerknicko-jezero.gpx",
    "gpx/korita-zbevnica.gpx",
    "gpx/route.gpx",
    "tcx/tcxparser-no_hr.tcx",
)
# One FIT file holding two runs saved in one transaction (both or neither must be there);
# it takes ~1.4 s to read, so only the full battery imports it.
LARGE_IMPORT_FILES = ("fit/activity-large-fenxi2-multisport.fit",)
CHILD_TIMEOUT_S = 60.0


def child_python() -> str:
    return os.environ.get("BACKSTRIDE_TEST_PYTHON") or sys.executable


def writer_command(*args: str | Path | int) -> list[str]:
    return [child_python(), str(WRITER), *map(str, args)]


def cli_command(data_dir: Path, *args: str | Path | int) -> list[str]:
    return [child_python(), "-m", "backstride", "--data-dir", str(data_dir), *map(str, args)]


class Child:
    """A child process whose stdout lines are collected by a thread, stderr into a file."""

    def __init__(self, argv: Sequence[str], stderr_path: Path, stdin: bool = False) -> None:
        self._stderr = stderr_path.open("wb")
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
        )
        self.stderr_path = stderr_path
        self.lines: list[str] = []  # complete lines only (a killed child may leave half one)
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.endswith("\n"):
                self.lines.append(line[:-1])
                self._queue.put(line[:-1])
        self._queue.put(None)

    def next_line(self, timeout: float = CHILD_TIMEOUT_S) -> str | None:
        """The next complete line, or None when the child closed its output."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no output from {self.proc.args!r} in {timeout} s") from None

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)

    def finish(self, timeout: float = CHILD_TIMEOUT_S) -> int:
        """Wait for the child (killing it after timeout), drain its output, close files."""
        if self.proc.stdin is not None:  # a driven child ends at the end of its input
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            self.proc.wait()
        self._reader.join(timeout)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()
        return self.proc.returncode

    def stderr_text(self) -> str:
        return self.stderr_path.read_text("utf-8", "replace")


def reported_ids(lines: Sequence[str]) -> dict[int, str]:
    """{id: token} from a loop writer's '<id> <token>' lines."""
    found = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            found[int(parts[0])] = parts[1]
    return found


@dataclass
class FileState:
    integrity: list[str]
    foreign_key_problems: list[tuple[object, ...]]
    notes: dict[int, str]  # pain_entry id -> first word of its note
    runs_by_source: dict[str, int]
    runs_without_profile: list[tuple[int, str]]


def read_state(data_dir: Path) -> FileState:
    """The parent's look at the file, with sqlite3 directly (closed before returning)."""
    path = data_dir / DB_FILENAME
    if not path.exists() or path.stat().st_size == 0:
        return FileState(["ok"], [], {}, {}, [])
    conn = sqlite3.connect(path, timeout=30)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "pain_entry" not in tables:  # killed before its schema was committed
            return FileState(integrity, [], {}, {}, [])
        fk = [tuple(r) for r in conn.execute("PRAGMA foreign_key_check")]
        notes = {
            int(i): str(note).split(" ", 1)[0]
            for i, note in conn.execute("SELECT id, note FROM pain_entry")
        }
        runs = {
            str(s): int(n)
            for s, n in conn.execute("SELECT source, count(*) FROM run GROUP BY source")
        }
        bare = [
            (int(i), str(s))
            for i, s in conn.execute(
                "SELECT id, source FROM run WHERE id NOT IN (SELECT run_id FROM run_profile)"
            )
        ]
    finally:
        conn.close()
    return FileState(integrity, fk, notes, runs, bare)


def missing_ids(expected: dict[int, str], state: FileState) -> list[str]:
    out = []
    for entry_id, token in sorted(expected.items()):
        got = state.notes.get(entry_id)
        if got != token:
            out.append(f"{entry_id} ({token}): " + ("missing" if got is None else f"is {got}"))
    return out


@dataclass
class Battery:
    seed: int
    workdir: Path
    max_delay_s: float = 0.25
    large_import: bool = True
    rounds: int = 0
    two_writer_rounds: int = 0
    ids: set[tuple[str, int]] = field(default_factory=set)  # (folder, id) checked
    busy: int = 0
    imports_finished: int = 0
    failures: list[str] = field(default_factory=list)

    # ---- single writer ----------------------------------------------------------------

    def single_rounds(self, count: int) -> None:
        data = self.workdir / "single"
        expected: dict[int, str] = {}
        for n in range(count):
            rng = random.Random(f"{self.seed}-single-{n}")
            delay = rng.uniform(0, self.max_delay_s)
            writer = Child(
                writer_command(
                    "loop",
                    "--data-dir",
                    data,
                    "--tag",
                    f"s{n}",
                    "--seed",
                    rng.randrange(2**31),
                    "--reopen-every",
                    rng.choice((0, 0, 3, 25)),
                ),
                self.workdir / "single-writer.err",
            )
            first = writer.next_line()
            if first is not None:
                time.sleep(delay)
            writer.kill()
            writer_rc = writer.finish()
            self.rounds += 1
            where = f"single-writer round {n} (seed {self.seed}, kill after {delay:.3f} s)"
            if first is None:
                self.failures.append(f"{where}: the writer wrote nothing: {writer.stderr_text()}")
                continue
            self._check_killed(where, "writer", writer_rc, writer)
            self.busy += writer.stderr_text().count("busy")
            expected.update(reported_ids(writer.lines))
            self._check(where, data, expected)
        if self.rounds:
            self._check_app_opens(f"after {count} single-writer rounds", data)

    # ---- two writers ------------------------------------------------------------------

    def reference_import(self) -> tuple[Path, dict[str, int], float]:
        """Copy the watch files and import them once undisturbed: runs per file, and time."""
        folder = self.workdir / "watch-files"
        folder.mkdir(exist_ok=True)
        for name in IMPORT_FILES + (LARGE_IMPORT_FILES if self.large_import else ()):
            shutil.copy(TEST_DATA / name, folder / Path(name).name)
        data = self.workdir / "reference"
        started = time.perf_counter()
        done = subprocess.run(
            cli_command(data, "import", folder), capture_output=True, text=True, check=False
        )
        took = time.perf_counter() - started
        state = read_state(data)
        if not state.runs_by_source or state.integrity != ["ok"]:
            raise RuntimeError(f"the reference import did not work:\n{done.stdout}{done.stderr}")
        if state.runs_without_profile:
            raise RuntimeError(f"imported runs without a profile: {state.runs_without_profile}")
        return folder, state.runs_by_source, took

    def two_writer_rounds_run(self, count: int) -> None:
        if count <= 0:
            return
        folder, expected_runs, took = self.reference_import()
        for n in range(count):
            rng = random.Random(f"{self.seed}-two-{n}")
            data = self.workdir / f"two-{n}"
            # About half the imports finish before their kill; the writer dies before,
            # during or after the import.
            import_kill = rng.uniform(0, took * 2)
            writer_kill = rng.uniform(0, took * 2.5)
            where = (
                f"two-writer round {n} (seed {self.seed}, import killed at {import_kill:.3f} s, "
                f"writer at {writer_kill:.3f} s{', started together' if n % 2 else ''})"
            )
            writer = Child(
                writer_command(
                    "loop",
                    "--data-dir",
                    data,
                    "--tag",
                    f"t{n}",
                    "--seed",
                    rng.randrange(2**31),
                    "--reopen-every",
                    rng.choice((1, 3, 10)),
                ),
                self.workdir / "two-writer.err",
            )
            # Every other round both start on the empty folder at once (the first-open
            # race); else the import starts once the writer has made the file.
            together = n % 2 == 1
            if not together:
                first = writer.next_line()
            importer = Child(cli_command(data, "import", folder), self.workdir / "two-import.err")
            if together:
                first = writer.next_line()
            started = time.perf_counter()
            for at, child in sorted(
                ((import_kill, importer), (writer_kill, writer)), key=lambda p: p[0]
            ):
                pause = at - (time.perf_counter() - started)
                if pause > 0:
                    time.sleep(pause)
                child.kill()
            writer_rc = writer.finish()
            import_rc = importer.finish()
            self.two_writer_rounds += 1
            failures_before = len(self.failures)
            if first is None:
                self.failures.append(f"{where}: the writer wrote nothing: {writer.stderr_text()}")
                continue
            self._check_killed(where, "writer", writer_rc, writer)
            err = importer.stderr_text()
            self.busy += writer.stderr_text().count("busy") + ("busy" in err)
            if import_rc != -signal.SIGKILL:
                self.imports_finished += 1
                if import_rc != 0 and "busy" not in err:
                    self.failures.append(f"{where}: the import failed (rc {import_rc}): {err}")
            self._check(where, data, reported_ids(writer.lines))
            state = read_state(data)
            for source, runs in sorted(state.runs_by_source.items()):
                if runs != expected_runs.get(source):
                    self.failures.append(
                        f"{where}: {source} has {runs} run(s) saved, "
                        f"an undisturbed import saves {expected_runs.get(source)}"
                    )
            if state.runs_without_profile:
                self.failures.append(f"{where}: runs without profile {state.runs_without_profile}")
            for line in importer.lines:
                name, _, status = line.partition(": ")
                if status.startswith("imported") and name not in state.runs_by_source:
                    self.failures.append(f"{where}: the import said {line!r} but it is not there")
            if import_rc == 0 and set(state.runs_by_source) != set(expected_runs):
                self.failures.append(
                    f"{where}: the import finished but saved {sorted(state.runs_by_source)}, "
                    f"not {sorted(expected_runs)}"
                )
            self._check_app_opens(where, data)
            if len(self.failures) == failures_before:
                shutil.rmtree(data, ignore_errors=True)  # keep only damaged folders

    # ---- checks -----------------------------------------------------------------------

    def _check_killed(self, where: str, what: str, rc: int, child: Child) -> None:
        """A writer only ends by our SIGKILL; ending by itself means an error it could not
        get past (the store refusing a file it finds damaged, for one)."""
        if rc != -signal.SIGKILL:
            last = child.stderr_text().strip().splitlines()[-1:] or ["no message"]
            self.failures.append(f"{where}: the {what} stopped by itself (rc {rc}): {last[0]}")

    def _check_app_opens(self, where: str, data: Path) -> None:
        """Backstride itself opens the file and exports every entry and run in it."""
        out = self.workdir / "export"
        shutil.rmtree(out, ignore_errors=True)
        done = subprocess.run(
            cli_command(data, "export", out),
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
        if done.returncode != 0:
            self.failures.append(f"{where}: backstride export failed: {done.stderr.strip()}")
            return
        state = read_state(data)
        counts = {"pain.csv": len(state.notes), "runs.csv": sum(state.runs_by_source.values())}
        for name, rows in counts.items():
            if f"{name} ({rows} rows)" not in done.stdout:
                self.failures.append(
                    f"{where}: the file holds {rows} rows for {name}, export said {done.stdout!r}"
                )

    def _check(self, where: str, data: Path, expected: dict[int, str]) -> None:
        try:
            state = read_state(data)
        except sqlite3.DatabaseError as exc:
            self.failures.append(f"{where}: the file cannot be read: {exc}")
            return
        if state.integrity != ["ok"]:
            self.failures.append(f"{where}: integrity_check: {'; '.join(state.integrity[:5])}")
        if state.foreign_key_problems:
            self.failures.append(f"{where}: foreign_key_check: {state.foreign_key_problems[:5]}")
        lost = missing_ids(expected, state)
        if lost:
            self.failures.append(
                f"{where}: {len(lost)} of {len(expected)} reported entries lost: "
                + ", ".join(lost[:5])
            )
        self.ids.update((str(data), i) for i in expected)

    def summary(self) -> str:
        return (
            f"{self.rounds} rounds, {self.two_writer_rounds} two-writer rounds "
            f"({self.imports_finished} imports finished before their kill), "
            f"{len(self.ids)} ids checked, {self.busy} busy retries, "
            f"{len(self.failures)} failures"
        )


def run_battery(
    rounds: int,
    two_writer_rounds: int,
    seed: int,
    workdir: Path,
    max_delay_s: float = 0.25,
    large_import: bool = True,
) -> Battery:
    battery = Battery(
        seed=seed, workdir=workdir, max_delay_s=max_delay_s, large_import=large_import
    )
    battery.single_rounds(rounds)
    battery.two_writer_rounds_run(two_writer_rounds)
    return battery


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=200, help="single-writer rounds")
    parser.add_argument("--two-writer-rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None, help="replay a run (default: random)")
    parser.add_argument("--max-delay", type=float, default=0.25, help="longest kill delay, s")
    parser.add_argument("--workdir", type=Path, help="keep the data folders here")
    parser.add_argument(
        "--no-large-import",
        dest="large_import",
        action="store_false",
        help="leave out the big two-run FIT file (faster two-writer rounds)",
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    started = time.perf_counter()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        battery = run_battery(
            args.rounds,
            args.two_writer_rounds,
            seed,
            args.workdir,
            args.max_delay,
            args.large_import,
        )
    else:
        with tempfile.TemporaryDirectory(prefix="backstride-kill-") as tmp:
            battery = run_battery(
                args.rounds,
                args.two_writer_rounds,
                seed,
                Path(tmp),
                args.max_delay,
                args.large_import,
            )
    for failure in battery.failures:
        print("FAIL", failure)
    print(f"{battery.summary()} (seed {seed}, {time.perf_counter() - started:.1f} s)")
    return 1 if battery.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
