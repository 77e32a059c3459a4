"""The runner's small profile (core.profile: name, year of birth, height, weight, running
since), and all the records the clinician report reads.

Every field is optional and kept in the data file's ``meta`` table, one key each, so they
travel with the diary (a backup or a restore keeps them) and never with the app's settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backstride.core.errors import ValidationError
from backstride.core.models import Assessment, Dataset
from backstride.core.profile import (
    MAX_NAME_LENGTH,
    Profile,
    profile_problems,
)
from backstride.store.assessments import list_assessments
from backstride.store.database import Store
from backstride.store.dataset import load_dataset

__all__ = [
    "MAX_NAME_LENGTH",
    "Profile",
    "ReportRecords",
    "load_profile",
    "load_report_records",
    "profile_problems",
    "save_profile",
]

NAME_KEY = "profile.name"
BIRTH_YEAR_KEY = "profile.birth_year"
HEIGHT_KEY = "profile.height_cm"
WEIGHT_KEY = "profile.weight_kg"
RUNNING_SINCE_KEY = "profile.running_since"


def _whole(raw: str | None) -> int | None:
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _decimal(raw: str | None) -> float | None:
    try:
        value = float(raw or "")
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def load_profile(store: Store) -> Profile:
    """The stored profile; a damaged value reads as unknown rather than failing a report."""
    return Profile(
        name=(store.get_meta(NAME_KEY) or "").strip(),
        birth_year=_whole(store.get_meta(BIRTH_YEAR_KEY)),
        height_cm=_decimal(store.get_meta(HEIGHT_KEY)),
        weight_kg=_decimal(store.get_meta(WEIGHT_KEY)),
        running_since=_whole(store.get_meta(RUNNING_SINCE_KEY)),
    )


def _text(value: float | None) -> str:
    return "" if value is None else str(value)


def save_profile(store: Store, profile: Profile, today: date) -> Profile:
    """Store profile (an empty field clears it); ValidationError naming what to fix."""
    profile = Profile(
        profile.name.strip(),
        profile.birth_year,
        profile.height_cm,
        profile.weight_kg,
        profile.running_since,
    )
    problems = profile_problems(profile, today)
    if problems:
        raise ValidationError(problems)
    with store.write():
        store.set_meta(NAME_KEY, profile.name)
        store.set_meta(BIRTH_YEAR_KEY, _text(profile.birth_year))
        store.set_meta(HEIGHT_KEY, _text(profile.height_cm))
        store.set_meta(WEIGHT_KEY, _text(profile.weight_kg))
        store.set_meta(RUNNING_SINCE_KEY, _text(profile.running_since))
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
