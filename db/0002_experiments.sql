-- Personal experiments (issue 15): one change tested on and off in planned phases.
-- The plan (phase length, pairs, seed, ...) is fixed at the start, so the phases and
-- their order can be redrawn from this row and audited; pauses, extensions and stops
-- are rows of experiment_deviation, never silent edits. Days are local dates.

CREATE TABLE experiment (
    id            INTEGER PRIMARY KEY,
    change        TEXT    NOT NULL,
    label         TEXT    NOT NULL DEFAULT '',
    target        REAL,
    start         TEXT    NOT NULL CHECK (start GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    phase_days    INTEGER NOT NULL CHECK (phase_days BETWEEN 5 AND 14),
    pairs         INTEGER NOT NULL CHECK (pairs BETWEEN 1 AND 8),
    baseline      INTEGER NOT NULL CHECK (baseline IN (0, 1)),
    washout_days  INTEGER NOT NULL CHECK (washout_days >= 0),
    outcome       TEXT    NOT NULL CHECK (outcome IN ('next_morning', 'worst')),
    mic_points    REAL,   -- NULL: 30 % of the pain on off days
    seed          INTEGER NOT NULL,
    phases        TEXT    NOT NULL,  -- JSON: the phases as planned at the start, for audit
    created_at    TEXT    NOT NULL,
    paused_since  TEXT,
    stopped_on    TEXT,
    stop_reason   TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE experiment_deviation (
    id             INTEGER PRIMARY KEY,
    experiment_id  INTEGER NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    day            TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('pause', 'resume', 'extend', 'stop')),
    shift_days     INTEGER NOT NULL DEFAULT 0,  -- resume: later phases move this many days
    text           TEXT    NOT NULL
) STRICT;
CREATE INDEX experiment_deviation_experiment ON experiment_deviation (experiment_id, id);

-- The once-a-day answer for changes the log cannot show (topical relief, a custom change).
CREATE TABLE experiment_tick (
    experiment_id  INTEGER NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    day            TEXT    NOT NULL,
    kept           INTEGER NOT NULL CHECK (kept IN (0, 1)),
    PRIMARY KEY (experiment_id, day)
) STRICT;
