-- Delivery the way a message queue does it (issue 12, part 1).
--
-- Order is kept per destination, not across the whole queue: a case's thread, the SEIP
-- channel, the board, the coordinators' channel. A destination that fails holds back only
-- its own later messages. The destination is derived from what the row already says, so
-- every writer (commands, the scheduler) and every row written before this migration get
-- it without being changed.
ALTER TABLE outbox ADD COLUMN destination TEXT GENERATED ALWAYS AS (
    CASE
        WHEN audience = 'seip' THEN 'seip'
        WHEN audience = 'coordinators' AND kind = 'board_changed' THEN 'board'
        WHEN audience = 'coordinators' THEN 'coordinators'
        WHEN case_id IS NOT NULL THEN 'case:' || case_id
        ELSE 'other:' || audience
    END
) VIRTUAL;

-- A transient failure (5xx, 429, a timeout) waits until this time (UTC, like every time
-- here) before the next attempt: capped exponential backoff with jitter.
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
-- A permanent failure (no access, deleted channel, locked thread...) that healing could not
-- fix: kept, with what Discord said, until an admin retries or discards it.
ALTER TABLE outbox ADD COLUMN set_aside_at TEXT;
ALTER TABLE outbox ADD COLUMN discarded_at TEXT;
-- What Discord answered last time: HTTP status, its JSON error code, and its message (never
-- the request, so no pupil detail is kept here).
ALTER TABLE outbox ADD COLUMN last_status INTEGER;
ALTER TABLE outbox ADD COLUMN last_code INTEGER;
ALTER TABLE outbox ADD COLUMN last_error TEXT;

-- The head of each destination's queue, found without reading the whole outbox.
CREATE INDEX outbox_pending_by_destination ON outbox (destination, id)
    WHERE sent_at IS NULL AND set_aside_at IS NULL AND discarded_at IS NULL;

-- What admins did to the outbox (retry, discard) and who did it. Like retention_log: no
-- pupil details, only what is needed to answer "who did this, and when".
CREATE TABLE admin_audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    actor     INTEGER NOT NULL,
    action    TEXT    NOT NULL,
    outbox_id INTEGER,
    detail    TEXT    NOT NULL
);
