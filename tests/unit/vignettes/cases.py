"""The check-up's clinical vignettes: one table, run by the rules (test_triage), by
`backstride assess` (test_cli_assess) and by keyboard through the wizard (test_checkup).

Each vignette changes a baseline runner and names the tier, what set it (the basis) and
the answers that did. Every rule of docs/clinical-sources.md has a case, with both sides of
each boundary.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from backstride.core.triage import EMERGENCY_FLAGS, URGENT_FLAGS

DELETE = object()  # marks a key to remove from the base answers
MINOR_FALL = "red_flags.minor_fall"

# A 35-year-old runner with three weeks of central low back pain, no warning signs and no
# running factor: the baseline every vignette changes.
BASE: dict[str, Any] = {
    "age": 35,
    "height_cm": 175,
    "weight_kg": 68,  # BMI 22.2
    "red_flags": {k.split(".")[1]: False for k in (*EMERGENCY_FLAGS, *URGENT_FLAGS)},
    "history": {
        "conditions": [],
        "pain_weeks": 3,
        "onset_age": 35,
        "recurrence": False,
        "getting_worse": False,
        "limits_daily_activities": False,
    },
    "pattern": {
        "regions": ["lower_back_centre"],
        "below_knee": False,
        "leg_worse_than_back": False,
        "numbness_tingling": False,
        "morning_stiffness_min": 5,
        "better_with_movement": False,
        "better_with_rest": True,
        "wakes_second_half_night": False,
        "buttock_pain_alternating": False,
        "nsaid_relief_48h": False,
        "family_spondyloarthritis": False,
        "arthritis_history": False,
        "enthesitis_history": False,
        "psoriasis_history": False,
        "running_relation": "after",
    },
    "running": {
        "warmup": "full",
        "core_sessions_per_week": 3,
        "long_run_fatigue": False,
        "cadence_spm": 174,
        "speed_increase_recent": False,
        "downhill_share": "low",
        "weekly_km": 30,
        "weekly_km_4w_ago": 28,
    },
}


def answers(changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """BASE with dotted-key changes applied (DELETE removes the key)."""
    data = copy.deepcopy(BASE)
    for key, value in (changes or {}).items():
        *section, name = key.split(".")
        if section and value is not DELETE and not isinstance(data.get(section[0]), dict):
            data[section[0]] = {}  # a section BASE leaves out (recheck), or one set to null
        target = data[section[0]] if section else data
        if value is DELETE:
            target.pop(name, None)
        else:
            target[name] = value
    return data


# NICE NG65 (onset_age 30 adds "onset before 35").
NICE_GATE = {"history.onset_age": 30, "history.pain_weeks": 20}
NICE_3 = {
    **NICE_GATE,
    "pattern.wakes_second_half_night": True,
    "pattern.better_with_movement": True,
}
NICE_3_REASONS = (
    "history.onset_age",
    "history.pain_weeks",
    "pattern.wakes_second_half_night",
    "pattern.better_with_movement",
)
NICE_4 = {**NICE_3, "pattern.nsaid_relief_48h": True}
NICE_4_REASONS = (*NICE_3_REASONS, "pattern.nsaid_relief_48h")
NICE_SEPARATE = (
    "pattern.arthritis_history",
    "pattern.enthesitis_history",
    "pattern.psoriasis_history",
)
LEGACY = "pattern.psoriasis_arthritis_enthesitis"
# Four features without early onset (onset 40 is before 45 but not before 35).
NICE_4_LATE = {
    "age": 50,
    "history.onset_age": 40,
    "history.pain_weeks": 20,
    "pattern.wakes_second_half_night": True,
    "pattern.better_with_movement": True,
    "pattern.family_spondyloarthritis": True,
    "pattern.psoriasis_history": True,
}
NICE_4_LATE_REASONS = (
    "history.onset_age",
    "history.pain_weeks",
    "pattern.wakes_second_half_night",
    "pattern.better_with_movement",
    "pattern.family_spondyloarthritis",
    "pattern.psoriasis_history",
)

# A nerve-root pattern (below the knee, with numbness) of 2 weeks, settling.
SCIATICA = {
    "pattern.below_knee": True,
    "pattern.numbness_tingling": True,
    "history.pain_weeks": 2,
}
SCIATICA_KEYS = ("pattern.below_knee", "pattern.numbness_tingling")

# A minor fall at 64 and at 65 (onset 50: not an urgent onset age).
FALL = {MINOR_FALL: True, "history.onset_age": 50}

SADDLE_MAP = {"pattern.regions": ["lower_back_centre", "saddle"]}
LEGS_MAP = {"pattern.regions": ["lower_back_centre", "thigh_left", "foot_right"]}
SADDLE_CONTRADICTION = ("pattern.regions", "red_flags.saddle_numbness")
LEGS_CONTRADICTION = ("pattern.regions", "red_flags.both_legs")


@dataclass(frozen=True)
class Vignette:
    name: str
    changes: dict[str, Any]
    tier: str
    basis: str
    reasons: tuple[str, ...] = ()
    patterns: tuple[str, ...] | None = None  # None: not checked
    factors: tuple[str, ...] | None = None


ALWAYS_URGENT = tuple(k for k in URGENT_FLAGS if k != MINOR_FALL)

VIGNETTES = [
    Vignette("healthy runner", {}, "self_care", "clear", (), ("non_specific",), ()),
    # Each red flag alone gives its tier and names itself.
    *(
        Vignette(f"{k} alone", {k: True}, "emergency", "emergency_sign", (k,))
        for k in EMERGENCY_FLAGS
    ),
    *(Vignette(f"{k} alone", {k: True}, "urgent", "urgent_sign", (k,)) for k in ALWAYS_URGENT),
    # Each unanswered warning-sign question alone: emergency ones urgent, urgent ones soon.
    *(
        Vignette(f"{k} unanswered", {k: None}, "urgent", "unanswered_emergency")
        for k in EMERGENCY_FLAGS
    ),
    *(
        Vignette(f"{k} unanswered", {k: DELETE}, "soon", "unanswered_urgent", (), ())
        for k in URGENT_FLAGS
    ),
    Vignette("age unanswered", {"age": None}, "soon", "unanswered_urgent"),
    Vignette("all red flags unanswered", {"red_flags": None}, "urgent", "unanswered_emergency"),
    Vignette(
        "all urgent questions unanswered",
        {k: None for k in URGENT_FLAGS},
        "soon",
        "unanswered_urgent",
        (),
        (),
    ),
    # Fracture risk: a minor fall at 65 or over, with osteoporosis or on steroids.
    Vignette(
        "minor fall at 35",
        {MINOR_FALL: True},
        "self_care",
        "minor_fall_low_risk",
        (),
        ("non_specific",),
    ),
    Vignette("minor fall at 64", {**FALL, "age": 64}, "self_care", "minor_fall_low_risk"),
    Vignette("minor fall at 65", {**FALL, "age": 65}, "urgent", "urgent_sign", (MINOR_FALL, "age")),
    Vignette("age 65 without a fall", {"age": 65, "history.onset_age": 50}, "self_care", "clear"),
    Vignette(
        "minor fall with osteoporosis",
        {MINOR_FALL: True, "red_flags.osteoporosis": True},
        "urgent",
        "urgent_sign",
        ("red_flags.osteoporosis", MINOR_FALL),
    ),
    Vignette(
        "minor fall with osteoporosis in the history",
        {MINOR_FALL: True, "history.conditions": ["osteoporosis"]},
        "urgent",
        "urgent_sign",
        ("history.conditions", MINOR_FALL),
    ),
    Vignette(
        "minor fall on steroids",
        {MINOR_FALL: True, "red_flags.steroid_use": True},
        "urgent",
        "urgent_sign",
        ("red_flags.steroid_use", MINOR_FALL),
    ),
    Vignette(
        "minor fall unanswered at 72",
        {"age": 72, "history.onset_age": 50, MINOR_FALL: None},
        "soon",
        "unanswered_urgent",
    ),
    # Body map against a "no": urgent until asked again; a "yes" then is an emergency.
    Vignette(
        "saddle marked, answered no", SADDLE_MAP, "urgent", "contradiction", SADDLE_CONTRADICTION
    ),
    Vignette(
        "both legs marked, answered no", LEGS_MAP, "urgent", "contradiction", LEGS_CONTRADICTION
    ),
    Vignette(
        "saddle and both legs marked, answered no",
        {"pattern.regions": ["saddle", "below_knee_left", "below_knee_right"]},
        "urgent",
        "contradiction",
        ("pattern.regions", "red_flags.saddle_numbness", "red_flags.both_legs"),
    ),
    Vignette(
        "saddle contradiction and fever",
        {**SADDLE_MAP, "red_flags.fever": True},
        "urgent",
        "contradiction",
        (*SADDLE_CONTRADICTION, "red_flags.fever"),
    ),
    Vignette(
        "one leg marked twice",
        {"pattern.regions": ["thigh_left", "foot_left"]},
        "self_care",
        "clear",
    ),
    Vignette(
        "saddle marked, no again",
        {**SADDLE_MAP, "recheck.saddle_numbness": False},
        "self_care",
        "clear",
    ),
    Vignette(
        "saddle marked, yes when asked again",
        {**SADDLE_MAP, "recheck.saddle_numbness": True},
        "emergency",
        "emergency_sign",
        ("recheck.saddle_numbness",),
    ),
    Vignette(
        "both legs marked, no again",
        {**LEGS_MAP, "recheck.both_legs": False},
        "self_care",
        "clear",
    ),
    Vignette(
        "both legs marked, yes when asked again",
        {**LEGS_MAP, "recheck.both_legs": True},
        "emergency",
        "emergency_sign",
        ("recheck.both_legs",),
    ),
    Vignette(
        "saddle marked, saddle question unanswered",
        {**SADDLE_MAP, "red_flags.saddle_numbness": None},
        "urgent",
        "unanswered_emergency",
    ),
    # Sciatica (NHS): 3 weeks or more, getting worse or stopping normal activities -> soon.
    Vignette(
        "sciatica 2 weeks, settling",
        SCIATICA,
        "self_care",
        "nerve_root_settling",
        (),
        ("nerve_root",),
    ),
    Vignette(
        "sciatica 3 weeks",
        {**SCIATICA, "history.pain_weeks": 3},
        "soon",
        "nerve_root",
        (*SCIATICA_KEYS, "history.pain_weeks"),
        ("nerve_root",),
    ),
    Vignette(
        "sciatica 2 weeks, getting worse",
        {**SCIATICA, "history.getting_worse": True},
        "soon",
        "nerve_root",
        (*SCIATICA_KEYS, "history.getting_worse"),
    ),
    Vignette(
        "sciatica 2 weeks, stops normal activities",
        {**SCIATICA, "history.limits_daily_activities": True},
        "soon",
        "nerve_root",
        (*SCIATICA_KEYS, "history.limits_daily_activities"),
    ),
    Vignette(
        "sciatica 2 weeks, not sure if getting worse",
        {**SCIATICA, "history.getting_worse": None},
        "soon",
        "nerve_root",
        SCIATICA_KEYS,
    ),
    Vignette(
        "sciatica, weeks unanswered",
        {**SCIATICA, "history.pain_weeks": None},
        "soon",
        "nerve_root",
        SCIATICA_KEYS,
    ),
    Vignette(
        "one-leg sciatica with numbness for 10 weeks",
        {
            "pattern.regions": ["lower_back_left", "below_knee_left"],
            "pattern.numbness_tingling": True,
            "history.pain_weeks": 10,
        },
        "soon",
        "nerve_root",
        ("pattern.regions", "pattern.numbness_tingling", "history.pain_weeks"),
        ("nerve_root",),
    ),
    Vignette(
        "below knee on the map, leg worse, 2 weeks",
        {
            "pattern.regions": ["below_knee_left"],
            "pattern.leg_worse_than_back": True,
            "history.pain_weeks": 2,
        },
        "self_care",
        "nerve_root_settling",
        (),
        ("nerve_root",),
    ),
    Vignette(
        "below knee alone",
        {"pattern.below_knee": True},
        "self_care",
        "clear",
        (),
        ("non_specific",),
    ),
    Vignette(
        "sciatica settling, urgent question unanswered",
        {**SCIATICA, "red_flags.fever": None},
        "soon",
        "unanswered_urgent",
        (),
        ("nerve_root",),
    ),
    # Age at onset: under 20 or over 55 (Downie 2013).
    Vignette(
        "onset 19",
        {"age": 19, "history.onset_age": 19},
        "urgent",
        "urgent_sign",
        ("history.onset_age",),
    ),
    Vignette("onset 20", {"age": 20, "history.onset_age": 20}, "self_care", "clear"),
    Vignette("onset 55", {"age": 55, "history.onset_age": 55}, "self_care", "clear"),
    Vignette(
        "onset 56",
        {"age": 60, "history.onset_age": 56},
        "urgent",
        "urgent_sign",
        ("history.onset_age",),
    ),
    Vignette("onset 40 at 60", {"age": 60, "history.onset_age": 40}, "self_care", "clear"),
    Vignette(
        "onset unknown, age 56",
        {"age": 56, "history.onset_age": None},
        "urgent",
        "urgent_sign",
        ("age",),
    ),
    Vignette(
        "onset unknown, age 17",
        {"age": 17, "history.onset_age": DELETE},
        "urgent",
        "urgent_sign",
        ("age",),
    ),
    Vignette(
        "osteoporosis in history",
        {"history.conditions": ["osteoporosis"]},
        "urgent",
        "urgent_sign",
        ("history.conditions",),
    ),
    # NICE NG65: 9 criteria; 4 or more -> soon (referral), exactly 3 -> soon (HLA-B27).
    Vignette("NICE 4 features", NICE_4, "soon", "inflammatory", NICE_4_REASONS, ("inflammatory",)),
    Vignette(
        "NICE 3 features",
        NICE_3,
        "soon",
        "inflammatory_hla_b27",
        NICE_3_REASONS,
        ("inflammatory_possible",),
    ),
    Vignette(
        "NICE 2 features",
        {**NICE_GATE, "pattern.better_with_movement": True},
        "self_care",
        "clear",
        (),
        ("non_specific",),
    ),
    *(
        Vignette(
            f"NICE 3 with {key}",
            {**NICE_GATE, "pattern.wakes_second_half_night": True, key: True},
            "soon",
            "inflammatory_hla_b27",
            ("history.onset_age", "history.pain_weeks", "pattern.wakes_second_half_night", key),
            ("inflammatory_possible",),
        )
        for key in NICE_SEPARATE
    ),
    *(
        Vignette(
            f"NICE 4 with {key}",
            {**NICE_3, key: True},
            "soon",
            "inflammatory",
            (*NICE_3_REASONS, key),
            ("inflammatory",),
        )
        for key in NICE_SEPARATE
    ),
    Vignette(
        "NICE onset 38, night, psoriasis, arthritis, enthesitis",
        {
            "age": 40,
            "history.onset_age": 38,
            "history.pain_weeks": 20,
            "pattern.wakes_second_half_night": True,
            **dict.fromkeys(NICE_SEPARATE, True),
        },
        "soon",
        "inflammatory",
        (
            "history.onset_age",
            "history.pain_weeks",
            "pattern.wakes_second_half_night",
            *NICE_SEPARATE,
        ),
        ("inflammatory",),
    ),
    Vignette(
        "NICE older merged answer counts once: 3",
        {
            **NICE_GATE,
            "pattern.wakes_second_half_night": True,
            **dict.fromkeys(NICE_SEPARATE, DELETE),
            LEGACY: True,
        },
        "soon",
        "inflammatory_hla_b27",
        ("history.onset_age", "history.pain_weeks", "pattern.wakes_second_half_night", LEGACY),
    ),
    Vignette(
        "NICE older merged answer counts once: 4",
        {**NICE_3, **dict.fromkeys(NICE_SEPARATE, DELETE), LEGACY: True},
        "soon",
        "inflammatory",
        (*NICE_3_REASONS, LEGACY),
    ),
    Vignette(
        "NICE older merged answer beside a new one",
        {**NICE_GATE, "pattern.wakes_second_half_night": True, LEGACY: True},
        "self_care",
        "clear",
    ),
    Vignette(
        "NICE 4 but only 13 weeks",
        {**NICE_4, "history.pain_weeks": 13},
        "self_care",
        "clear",
        (),
        ("non_specific",),
    ),
    Vignette(
        "NICE 4 at 14 weeks",
        {**NICE_4, "history.pain_weeks": 14},
        "soon",
        "inflammatory",
        NICE_4_REASONS,
    ),
    Vignette(
        "NICE 4 without early onset, onset 44",
        {**NICE_4_LATE, "history.onset_age": 44},
        "soon",
        "inflammatory",
        NICE_4_LATE_REASONS,
        ("inflammatory",),
    ),
    Vignette(
        "NICE 4 but onset 45",
        {**NICE_4_LATE, "history.onset_age": 45},
        "self_care",
        "clear",
        (),
        ("non_specific",),
    ),
    Vignette(
        "NICE buttock pain from the body map",
        {**NICE_3, "pattern.regions": ["lower_back_centre", "buttock_right"]},
        "soon",
        "inflammatory",
        (
            "history.onset_age",
            "history.pain_weeks",
            "pattern.wakes_second_half_night",
            "pattern.regions",
            "pattern.better_with_movement",
        ),
        ("inflammatory",),
    ),
    Vignette(
        "NICE 4 and sciatica: the referral leads",
        {**NICE_4, "pattern.below_knee": True, "pattern.numbness_tingling": True},
        "soon",
        "inflammatory",
        (*NICE_4_REASONS, *SCIATICA_KEYS),
        ("nerve_root", "inflammatory"),
    ),
    # Combinations: the most urgent tier wins and names only its own reasons.
    Vignette(
        "emergency beats urgent",
        {"red_flags.both_legs": True, "red_flags.fever": True},
        "emergency",
        "emergency_sign",
        ("red_flags.both_legs",),
    ),
    Vignette(
        "two emergencies",
        {"red_flags.foot_drop": True, "red_flags.chest_pain": True},
        "emergency",
        "emergency_sign",
        ("red_flags.foot_drop", "red_flags.chest_pain"),
    ),
    Vignette(
        "urgent beats NICE",
        {**NICE_4, "red_flags.cancer_history": True},
        "urgent",
        "urgent_sign",
        ("red_flags.cancer_history",),
        ("inflammatory",),
    ),
    Vignette(
        "missing emergency beats NICE",
        {**NICE_4, "red_flags.both_legs": None},
        "urgent",
        "unanswered_emergency",
        (),
        ("inflammatory",),
    ),
    Vignette(
        "missing emergency, urgent yes",
        {"red_flags.foot_drop": None, "red_flags.fever": True},
        "urgent",
        "urgent_sign",
        ("red_flags.fever",),
    ),
    Vignette(
        "missing emergency, emergency yes",
        {"red_flags.foot_drop": None, "red_flags.major_trauma": True},
        "emergency",
        "emergency_sign",
        ("red_flags.major_trauma",),
    ),
    Vignette(
        "missing urgent question beside NICE 4",
        {**NICE_4, "red_flags.weight_loss": None},
        "soon",
        "inflammatory",
        NICE_4_REASONS,
    ),
    # Running factors, each at its boundary.
    Vignette("no warm-up", {"running.warmup": "none"}, "self_care", "clear", factors=("warmup",)),
    Vignette(
        "short warm-up", {"running.warmup": "short"}, "self_care", "clear", factors=("warmup",)
    ),
    Vignette(
        "1 core session",
        {"running.core_sessions_per_week": 1},
        "self_care",
        "clear",
        factors=("core",),
    ),
    Vignette(
        "2 core sessions", {"running.core_sessions_per_week": 2}, "self_care", "clear", factors=()
    ),
    Vignette(
        "long-run fatigue",
        {"running.long_run_fatigue": True},
        "self_care",
        "clear",
        factors=("fatigue",),
    ),
    Vignette("cadence 165", {"running.cadence_spm": 165}, "self_care", "clear", factors=("gait",)),
    Vignette("cadence 166", {"running.cadence_spm": 166}, "self_care", "clear", factors=()),
    Vignette(
        "BMI 24.2", {"height_cm": 170, "weight_kg": 70}, "self_care", "clear", factors=("weight",)
    ),
    Vignette("BMI 23.9", {"height_cm": 170, "weight_kg": 69}, "self_care", "clear", factors=()),
    Vignette(
        "BMI over 24 at 16",
        {"age": 16, "history.onset_age": 16, "height_cm": 160, "weight_kg": 70},
        "urgent",
        "urgent_sign",
        ("history.onset_age",),
        factors=(),
    ),
    Vignette(
        "speed increase",
        {"running.speed_increase_recent": True},
        "self_care",
        "clear",
        factors=("speed",),
    ),
    Vignette(
        "some downhill",
        {"running.downhill_share": "some"},
        "self_care",
        "clear",
        factors=("downhill",),
    ),
    Vignette(
        "much downhill",
        {"running.downhill_share": "high"},
        "self_care",
        "clear",
        factors=("downhill",),
    ),
    Vignette(
        "km 40 from 30",
        {"running.weekly_km": 40, "running.weekly_km_4w_ago": 30},
        "self_care",
        "clear",
        factors=("load",),
    ),
    Vignette(
        "km 39 from 30",
        {"running.weekly_km": 39, "running.weekly_km_4w_ago": 30},
        "self_care",
        "clear",
        factors=(),
    ),
    Vignette(
        "km 10 from 0",
        {"running.weekly_km": 10, "running.weekly_km_4w_ago": 0},
        "self_care",
        "clear",
        factors=("load",),
    ),
    Vignette(
        "km 0 from 0",
        {"running.weekly_km": 0, "running.weekly_km_4w_ago": 0},
        "self_care",
        "clear",
        factors=(),
    ),
]
