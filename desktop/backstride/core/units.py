"""Display units: everything is stored in metres and seconds; km or miles is a setting.

The runner who chooses miles also sees (and types) height in feet and inches and weight in
pounds; the profile stores centimetres and kilograms. The conversions are here, once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from backstride.core.typed_text import FieldError, parse_number

METRES_PER_MILE = 1609.344
METRES_PER_FOOT = 0.3048
CM_PER_INCH = 2.54
INCHES_PER_FOOT = 12
KG_PER_POUND = 0.45359237
UNKNOWN = "—"  # a value nobody recorded, never shown as 0


@dataclass(frozen=True, slots=True)
class DistanceUnit:
    code: str  # "km" or "mi"
    metres: float  # metres in one unit
    pace_label: str
    climb_code: str  # ascent and descent: metres with km, feet with miles
    climb_metres: float  # metres in one climb unit
    imperial: bool = False  # height in feet and inches, weight in pounds

    def distance(self, metres: float | None, digits: int = 2) -> str:
        if metres is None:
            return ""
        return f"{metres / self.metres:.{digits}f} {self.code}"

    def climb(self, metres: float | None) -> str:
        """An ascent or descent in whole metres or feet; empty when unknown."""
        if metres is None:
            return ""
        return f"{metres / self.climb_metres:.0f} {self.climb_code}"

    def to_metres(self, value: float) -> float:
        return value * self.metres

    def from_metres(self, metres: float) -> float:
        return metres / self.metres

    def pace(self, seconds: float | None, metres: float | None) -> str:
        """Pace as m:ss per unit; empty when distance or time is unknown."""
        if not seconds or not metres:
            return ""
        per_unit = seconds / (metres / self.metres)
        minutes, secs = divmod(round(per_unit), 60)
        return f"{minutes}:{secs:02d} {self.pace_label}"


KM = DistanceUnit("km", 1000.0, "/km", "m", 1.0)
MILES = DistanceUnit("mi", METRES_PER_MILE, "/mi", "ft", METRES_PER_FOOT, imperial=True)
UNITS = {u.code: u for u in (KM, MILES)}


def duration(seconds: float | None) -> str:
    """h:mm:ss or m:ss."""
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# -- body measures -------------------------------------------------------------------
_FEET = re.compile(r"\s*(?:feet|foot|ft|['’′])\s*")
_INCHES = re.compile(r"\s*(?:inches|inch|in|[\"”″])\s*")
HEIGHT_EXAMPLE = "e.g. 5 ft 10 in, or 70 in"


def _short(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def feet_inches(inches: float) -> str:
    """Whole inches as feet and inches: 68 -> "5 ft 8 in"."""
    feet, rest = divmod(round(inches), INCHES_PER_FOOT)
    return f"{feet} ft {rest} in" if feet else f"{rest} in"


def height_text(cm: float, unit: DistanceUnit) -> str:
    """ "172 cm", or with miles "5 ft 8 in" (to the nearest inch)."""
    return feet_inches(cm / CM_PER_INCH) if unit.imperial else f"{_short(cm)} cm"


def weight_text(kg: float, unit: DistanceUnit) -> str:
    """ "68.5 kg", or with miles "151 lb" (to the nearest pound)."""
    return f"{kg / KG_PER_POUND:.0f} lb" if unit.imperial else f"{_short(kg)} kg"


def height_range(low_cm: float, high_cm: float, unit: DistanceUnit) -> str:
    """A height range in the unit, inside the range in cm: "50-250 cm", "1 ft 8 in to 8 ft 2 in"."""
    if not unit.imperial:
        return f"{_short(low_cm)}-{_short(high_cm)} cm"
    low, high = math.ceil(low_cm / CM_PER_INCH), math.floor(high_cm / CM_PER_INCH)
    return f"{feet_inches(low)} to {feet_inches(high)}"


def weight_range(low_kg: float, high_kg: float, unit: DistanceUnit) -> str:
    """A weight range in the unit, inside the range in kg: "25-300 kg", "56-661 lb"."""
    if not unit.imperial:
        return f"{_short(low_kg)}-{_short(high_kg)} kg"
    return f"{math.ceil(low_kg / KG_PER_POUND)}-{math.floor(high_kg / KG_PER_POUND)} lb"


def height_field(cm: float | None, unit: DistanceUnit) -> str:
    """The height as its field shows it: "172" (cm), or "5 ft 8 in" with miles."""
    if cm is None:
        return ""
    return feet_inches(cm / CM_PER_INCH) if unit.imperial else _short(cm)


def weight_field(kg: float | None, unit: DistanceUnit) -> str:
    """The weight as its field shows it: "68.5" (kg), or "151" (lb) with miles."""
    if kg is None:
        return ""
    return f"{kg / KG_PER_POUND:.0f}" if unit.imperial else _short(kg)


def parse_height(text: str, unit: DistanceUnit) -> float | None:
    """A typed height in cm (None when empty): cm, or with miles feet and inches ("5 ft 10 in",
    "5'10\"", "5 10") or inches alone ("70", "70 in"); FieldError saying what to type."""
    if not unit.imperial:
        return parse_number(text)
    raw = text.strip().lower()
    if not raw:
        return None
    problem = FieldError(
        f"'{text.strip()}' is not a height; type feet and inches, {HEIGHT_EXAMPLE}"
    )
    marked = _INCHES.sub(" in ", _FEET.sub(" ft ", raw)).split()
    numbers = [t for t in marked if t not in ("ft", "in")]
    shape = "".join("n" if t not in ("ft", "in") else t[0] for t in marked)
    if shape in ("nfni", "nfn", "nn"):
        feet, inches = numbers
    elif shape == "nf":
        feet, inches = numbers[0], "0"
    elif shape in ("ni", "n"):
        feet, inches = "0", numbers[0]
    else:
        raise problem
    try:
        whole_feet, rest = parse_number(feet), parse_number(inches)
    except FieldError:
        raise problem from None
    assert whole_feet is not None and rest is not None
    if whole_feet < 0 or rest < 0 or (shape not in ("ni", "n") and rest >= INCHES_PER_FOOT):
        raise problem
    return round((whole_feet * INCHES_PER_FOOT + rest) * CM_PER_INCH, 2)


def parse_weight(text: str, unit: DistanceUnit) -> float | None:
    """A typed weight in kg (None when empty): kg, or pounds with miles."""
    value = parse_number(text)
    if value is None or not unit.imperial:
        return value
    return round(value * KG_PER_POUND, 2)
