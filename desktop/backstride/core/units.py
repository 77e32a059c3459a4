"""Display units: everything is stored in metres and seconds; km or miles is a setting."""

from __future__ import annotations

from dataclasses import dataclass

METRES_PER_MILE = 1609.344
METRES_PER_FOOT = 0.3048
UNKNOWN = "—"  # a value nobody recorded, never shown as 0


@dataclass(frozen=True, slots=True)
class DistanceUnit:
    code: str  # "km" or "mi"
    metres: float  # metres in one unit
    pace_label: str
    climb_code: str  # ascent and descent: metres with km, feet with miles
    climb_metres: float  # metres in one climb unit

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
MILES = DistanceUnit("mi", METRES_PER_MILE, "/mi", "ft", METRES_PER_FOOT)
UNITS = {u.code: u for u in (KM, MILES)}


def duration(seconds: float | None) -> str:
    """h:mm:ss or m:ss."""
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
