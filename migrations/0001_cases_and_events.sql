-- Cases and their append-only event log.
--
-- Privacy: the pupil is held as initials and year group only. There is deliberately no
-- column for a name, date of birth or address. Free text lives inside event payloads and
-- the case snapshot, which are shown only to people with a role on the case.

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    -- MM-<year>-<number>, e.g. MM-2026-0007; year and number are kept for sequencing.
    reference          TEXT    NOT NULL UNIQUE,
    ref_year           INTEGER NOT NULL,
    ref_number         INTEGER NOT NULL,
    home_school        TEXT    NOT NULL,
    destination_school TEXT    NOT NULL,
    kind               TEXT    NOT NULL CHECK (kind IN ('managed_move', 'managed_transfer')),
    state              TEXT    NOT NULL,
    pupil_initials     TEXT    NOT NULL CHECK (length(pupil_initials) <= 8),
    year_group         INTEGER NOT NULL CHECK (year_group BETWEEN 7 AND 13),
    next_due_on        TEXT,
    -- Number of events applied; guards against lost updates.
    version            INTEGER NOT NULL,
    -- The case folded from its events (JSON), so reads need one row, not a replay.
    snapshot           TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    UNIQUE (ref_year, ref_number)
);

CREATE INDEX cases_by_home ON cases (home_school, state);
CREATE INDEX cases_by_destination ON cases (destination_school, state);
CREATE INDEX cases_by_state_due ON cases (state, next_due_on);

CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    -- 1-based position in the case's history.
    seq      INTEGER NOT NULL,
    at       TEXT    NOT NULL,
    actor    INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    payload  TEXT    NOT NULL,
    UNIQUE (case_id, seq)
);

-- The audit trail is append-only: history is amended by new events, never edited.
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are append-only');
END;

CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are append-only');
END;

-- Messages to deliver (to a case thread, a head, the coordinators, the panel), written in
-- the same transaction as the events that caused them, so none is lost on a crash. The
-- sender marks each one sent only after Discord has accepted it.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER REFERENCES cases (id),
    audience   TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    sent_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
