"""The runner's optional profile: a name and a year of birth for the report's header, and
height, weight and the year they took up running, which a physiotherapist asks about and
the check-up can be filled in from. Plain Python: the limits, the checks and the
check-up answers the profile gives.

Every field is optional (empty is unknown). The limits are declared once: height by the
check-up's own answer (core.triage_answers), weight by the habit log's (core.limits), so a
profile value is always one the check-up and the diary accept.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Final

from backstride.core.errors import FieldProblem
from backstride.core.limits import HABIT, Limit
from backstride.core.triage_answers import SPECS
from backstride.core.units import (
    HEIGHT_EXAMPLE,
    KM,
    DistanceUnit,
    height_range,
    height_text,
    weight_range,
    weight_text,
)

EARLIEST_YEAR: Final = 1900  # of birth, and of taking up running
MAX_NAME_LENGTH: Final = 80  # a name on one line of the report's header


def _answer_limit(key: str) -> Limit:
    spec = SPECS[key]
    assert spec.minimum is not None and spec.maximum is not None
    return Limit(spec.minimum, spec.maximum, spec.unit)


# The measured fields and their ranges (the year fields are checked against today).
LIMITS: Final[dict[str, Limit]] = {
    "height_cm": _answer_limit("height_cm"),
    "weight_kg": HABIT["weight_kg"],
}


@dataclass(frozen=True, slots=True)
class Profile:
    name: str = ""
    birth_year: int | None = None
    height_cm: float | None = None
    weight_kg: float | None = None
    running_since: int | None = None  # the year they took up running

    @property
    def empty(self) -> bool:
        return self == Profile()

    def age_this_year(self, today: date) -> int | None:
        """The age reached this calendar year (a year of birth cannot say more)."""
        return None if self.birth_year is None else today.year - self.birth_year


FIELDS: Final = tuple(f.name for f in fields(Profile))


def profile_problems(profile: Profile, today: date, unit: DistanceUnit = KM) -> list[FieldProblem]:
    """What is wrong with profile, field by field (empty when it can be saved); height and
    weight said in unit's measures (cm and kg, or with miles feet and inches and pounds)."""
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
    born = profile.birth_year
    if born is not None and not EARLIEST_YEAR <= born <= today.year:
        problems.append(
            FieldProblem(
                "birth_year",
                f"Give a year of birth from {EARLIEST_YEAR} to {today.year}, or leave it empty.",
            )
        )
        born = None
    problems.extend(measure_problems(profile, unit))
    since = profile.running_since
    if since is not None:
        first = born if born is not None else EARLIEST_YEAR
        if not first <= since <= today.year:
            after = "your year of birth" if born is not None else str(EARLIEST_YEAR)
            problems.append(
                FieldProblem(
                    "running_since",
                    f"Give the year you started running, from {after} to {today.year}, or "
                    "leave it empty.",
                )
            )
    return problems


def measure_problems(profile: Profile, unit: DistanceUnit = KM) -> list[FieldProblem]:
    """Height and weight out of their limits (LIMITS, in cm and kg), said in the runner's
    units: centimetres and kilograms, or with miles feet and inches and pounds."""
    problems = []
    height, weight = LIMITS["height_cm"], LIMITS["weight_kg"]
    if profile.height_cm is not None and not height.holds(profile.height_cm):
        shown = height_range(height.low, height.high, unit)
        example = f" ({HEIGHT_EXAMPLE})" if unit.imperial else ""
        problems.append(
            FieldProblem("height_cm", f"Give a height of {shown}{example}, or leave it empty.")
        )
    if profile.weight_kg is not None and not weight.holds(profile.weight_kg):
        shown = weight_range(weight.low, weight.high, unit)
        problems.append(FieldProblem("weight_kg", f"Give a weight of {shown}, or leave it empty."))
    return problems


def checkup_answers(profile: Profile, today: date) -> dict[str, Any]:
    """The check-up answers the profile gives, by dotted answer key: ``age`` (the age
    reached this year), ``height_cm`` and ``weight_kg``; only fields that are filled in and
    within the answer's own limits. Running since is asked by no question."""
    found: dict[str, Any] = {}
    age = profile.age_this_year(today)
    candidates: dict[str, float | None] = {
        "age": age,
        "height_cm": profile.height_cm,
        "weight_kg": profile.weight_kg,
    }
    for key, value in candidates.items():
        if value is None:
            continue
        spec = SPECS[key]
        low = spec.minimum if spec.minimum is not None else value
        high = spec.maximum if spec.maximum is not None else value
        if low <= value <= high:
            found[key] = int(value) if spec.integer else float(value)
    return found


def header_parts(profile: Profile, today: date, unit: DistanceUnit = KM) -> list[str]:
    """The profile as the report's header prints it: "Jane Roe", "born 1985 (41 this
    year)", "172 cm", "68 kg", "running since 2015" (only the fields filled in); with
    miles, height and weight in feet and inches and pounds ("5 ft 8 in", "150 lb")."""
    parts = [profile.name] if profile.name else []
    if profile.birth_year is not None:
        parts.append(f"born {profile.birth_year} ({profile.age_this_year(today)} this year)")
    if profile.height_cm is not None:
        parts.append(height_text(profile.height_cm, unit))
    if profile.weight_kg is not None:
        parts.append(weight_text(profile.weight_kg, unit))
    if profile.running_since is not None:
        parts.append(f"running since {profile.running_since}")
    return parts
