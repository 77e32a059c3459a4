-- Backstride schema, version 1.
-- Diary days are the runner's local dates (YYYY-MM-DD); instants are ISO-8601 with
-- their UTC offset; distances in metres, times in seconds (design.md, "Data").
-- Multi-valued code lists are ';'-separated codes from core/vocab.py.

CREATE TABLE pain_entry (
    id            INTEGER PRIMARY KEY,
    day           TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    time          TEXT    CHECK (time IS NULL OR time GLOB '[0-2][0-9]:[0-5][0-9]'),
    intensity     INTEGER NOT NULL CHECK (intensity BETWEEN 0 AND 10),
    regions       TEXT    NOT NULL DEFAULT '',
    timing        TEXT,
    quality       TEXT    NOT NULL DEFAULT '',
    stiffness_min INTEGER CHECK (stiffness_min IS NULL OR stiffness_min BETWEEN 0 AND 1440),
    worse         TEXT    NOT NULL DEFAULT '',
    helped        TEXT    NOT NULL DEFAULT '',
    medication    TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX pain_entry_day ON pain_entry (day, time);

CREATE TABLE shoe (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    first_used  TEXT,
    retired     TEXT,
    warn_km     REAL NOT NULL DEFAULT 700 CHECK (warn_km > 0)
) STRICT;

CREATE TABLE run (
    id                      INTEGER PRIMARY KEY,
    start                   TEXT NOT NULL,
    day                     TEXT NOT NULL,
    distance_m              REAL CHECK (distance_m IS NULL OR distance_m >= 0),
    moving_time_s           REAL CHECK (moving_time_s IS NULL OR moving_time_s >= 0),
    elapsed_time_s          REAL,
    ascent_m                REAL CHECK (ascent_m IS NULL OR ascent_m >= 0),
    descent_m               REAL CHECK (descent_m IS NULL OR descent_m >= 0),
    avg_hr                  REAL,
    cadence_spm             REAL,
    vertical_oscillation_cm REAL,
    stance_time_ms          REAL,
    step_length_m           REAL,
    vertical_ratio_pct      REAL,
    max_descent_grade_pct   REAL,
    fastest_km_s            REAL,
    pace_surges             INTEGER,
    rpe                     INTEGER CHECK (rpe IS NULL OR rpe BETWEEN 0 AND 10),
    warmup_min              INTEGER CHECK (warmup_min IS NULL OR warmup_min >= 0),
    surface                 TEXT,
    shoe_id                 INTEGER REFERENCES shoe (id) ON DELETE SET NULL,
    note                    TEXT NOT NULL DEFAULT '',
    source                  TEXT NOT NULL DEFAULT 'manual',
    source_hash             TEXT
) STRICT;
CREATE INDEX run_day ON run (day);
CREATE INDEX run_source_hash ON run (source_hash);

-- A run's downsampled profile (about every 10 s), for charts; kept apart so listing
-- runs never reads it.
CREATE TABLE run_profile (
    run_id   INTEGER PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
    points   TEXT NOT NULL  -- JSON array of [elapsed_s, distance_m, elevation_m, pace_s_per_km, cadence_spm, heart_rate]
) STRICT;

CREATE TABLE habit_day (
    day         TEXT PRIMARY KEY,
    core_min    INTEGER CHECK (core_min IS NULL OR core_min BETWEEN 0 AND 1440),
    stretch_min INTEGER CHECK (stretch_min IS NULL OR stretch_min BETWEEN 0 AND 1440),
    cross_min   INTEGER CHECK (cross_min IS NULL OR cross_min BETWEEN 0 AND 1440),
    sleep_h     REAL CHECK (sleep_h IS NULL OR sleep_h BETWEEN 0 AND 24),
    weight_kg   REAL CHECK (weight_kg IS NULL OR weight_kg > 0),
    fatigue     INTEGER CHECK (fatigue IS NULL OR fatigue BETWEEN 0 AND 10),
    sitting_h   REAL CHECK (sitting_h IS NULL OR sitting_h BETWEEN 0 AND 24),
    note        TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE assessment (
    id            INTEGER PRIMARY KEY,
    taken_at      TEXT NOT NULL,
    answers       TEXT NOT NULL,  -- JSON
    result        TEXT NOT NULL,  -- JSON
    rules_version TEXT NOT NULL
) STRICT;

-- Small settings the store keeps with the data (e.g. the demo-database marker).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
