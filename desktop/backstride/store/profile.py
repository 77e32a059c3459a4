"""The runner's small profile for the clinician report (a name and a year of birth), and
all the records the report reads.

Both are optional and kept in the data file's ``meta`` table, so they travel with the
diary (a backup or a restore keeps them) and never with the app's settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backstride.core.errors import FieldProblem, ValidationError
from backstride.core.models import Assessment, Dataset
from backstride.store.assessments import list_assessments
from backstride.store.database import Store
from backstride.store.dataset import load_dataset

NAME_KEY = "profile.name"
BIRTH_YEAR_KEY = "profile.birth_year"
EARLIEST_BIRTH_YEAR = 1900
MAX_NAME_LENGTH = 80  # a name on one line of the report's header


@dataclass(frozen=True, slots=True)
class Profile:
    name: str = ""
    birth_year: int | None = None

    @property
    def empty(self) -> bool:
        return not self.name and self.birth_year is None


def profile_problems(profile: Profile, today: date) -> list[FieldProblem]:
    """What is wrong with profile, field by field (empty when it can be saved)."""
    problems = []
    if len(profile.name) > MAX_NAME_LENGTH:
        problems.append(
            FieldProblem(
                "name",
                f"Keep the name to {MAX_NAME_LENGTH} characters (it is printed on one line).",
            )
        )
    elif not profile.name.isprintable():
        problems.append(FieldProblem("name", "The name holds a control character; type it again."))
    year = profile.birth_year
    if year is not None and not EARLIEST_BIRTH_YEAR <= year <= today.year:
        problems.append(
            FieldProblem(
                "birth_year",
                f"Give a year of birth from {EARLIEST_BIRTH_YEAR} to {today.year}, or leave it "
                "empty.",
            )
        )
    return problems


def load_profile(store: Store) -> Profile:
    """The stored profile; a damaged year reads as unknown rather than failing a report."""
    name = (store.get_meta(NAME_KEY) or "").strip()
    raw = store.get_meta(BIRTH_YEAR_KEY) or ""
    year = int(raw) if raw.isascii() and raw.isdigit() else None
    return Profile(name=name, birth_year=year)


def save_profile(store: Store, profile: Profile, today: date) -> Profile:
    """Store profile (an empty field clears it); ValidationError naming what to fix."""
    profile = Profile(profile.name.strip(), profile.birth_year)
    problems = profile_problems(profile, today)
    if problems:
        raise ValidationError(problems)
    with store.write():
        store.set_meta(NAME_KEY, profile.name)
        store.set_meta(
            BIRTH_YEAR_KEY, "" if profile.birth_year is None else str(profile.birth_year)
        )
    return profile


@dataclass(frozen=True, slots=True)
class ReportRecords:
    """What the clinician report reads from the data file, in one value."""

    dataset: Dataset
    assessments: tuple[Assessment, ...]
    profile: Profile


def load_report_records(store: Store, end: date) -> ReportRecords:
    """Everything up to ``end``: records before a report's period are the history its
    analysis needs (the chronic load, the longest run of the previous 30 days)."""
    return ReportRecords(
        dataset=load_dataset(store, None, end),
        assessments=tuple(list_assessments(store)),
        profile=load_profile(store),
    )
