-- Reminders: every due thing derived from a case (the initial meeting, check-ins, reviews,
-- the end of the placement, nudges for unanswered proposals and panel decisions, a
-- checklist not ready at the start), plus the coordinators' digests, which have no case.
--
-- A case's rows are re-planned in the same transaction as every command on it. The
-- scheduler moves due rows to the outbox and marks them queued in one transaction, so a
-- reminder is handed over exactly once; the outbox sender then delivers it with a nonce.

CREATE TABLE reminders (
    id         INTEGER PRIMARY KEY,
    -- NULL for partnership-wide reminders (the morning digest, the weekly summary).
    case_id    INTEGER REFERENCES cases (id),
    -- Unique within a case (or among partnership-wide rows), e.g. final_review, check_in_3,
    -- digest_2026-11-24; stable while the date it is about does not change.
    key        TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    -- Who is called on, as the outbox's notification audience (JSON).
    audience   TEXT    NOT NULL,
    -- The local date the reminder is about (the review day, the meeting day...).
    about_on   TEXT    NOT NULL,
    -- UTC, RFC 3339 with microseconds and a Z, like every time in this database, so that
    -- text order is time order.
    due_at     TEXT    NOT NULL,
    state      TEXT    NOT NULL DEFAULT 'pending'
                       CHECK (state IN ('pending', 'queued', 'cancelled')),
    queued_at  TEXT,
    -- Queued well after its time (the bot was down): the message says so.
    late       INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    -- The outbox row that carries it, once queued.
    outbox_id  INTEGER REFERENCES outbox (id),
    updated_at TEXT    NOT NULL
);

CREATE UNIQUE INDEX reminders_case_key ON reminders (case_id, key);
-- SQLite treats NULLs as distinct in a unique index, hence a second one for digests: a
-- digest is never queued twice for one day.
CREATE UNIQUE INDEX reminders_partnership_key ON reminders (key) WHERE case_id IS NULL;
-- What the scheduler asks on every tick: its cost follows what is due, not the case count.
CREATE INDEX reminders_due ON reminders (state, due_at);
