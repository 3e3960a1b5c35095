-- The board by urgency (issue 15, items 2 and 7): overdue, due this week, waiting on the
-- SEIP panel or the extra approval, running normally.
--
-- `waiting_on` is whose decision an open case waits for before it can start ('panel',
-- 'approval' or 'none'), written with the case from the case alone
-- (`domain::urgency::WaitingOn::of`). Rows written before this migration are worked out
-- here from their snapshots, by the same rule.
ALTER TABLE cases ADD COLUMN waiting_on TEXT NOT NULL DEFAULT 'none'
    CHECK (waiting_on IN ('none', 'panel', 'approval'));

UPDATE cases SET waiting_on = CASE
        WHEN kind = 'managed_transfer' AND json_extract(snapshot, '$.panel') IS NULL THEN 'panel'
        WHEN json_extract(snapshot, '$.approval_asked') IN ('coordinator', 'seip')
             AND json_extract(snapshot, '$.extra_approval') IS NULL THEN 'approval'
        ELSE 'none'
    END
WHERE state IN ('accepted', 'agreeing');

-- Each section's most urgent cases: one ordered walk per section, stopped at its limit.
CREATE INDEX cases_board ON cases (waiting_on, next_due_on, updated_at)
    WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected');

-- How many open cases fall due on each day, by wait: the board's counts are sums over the
-- days before today, up to Friday and after, a few hundred rows at most, rather than a walk
-- over every open case (6.3 ms at 100,000, benches/BENCHMARKS.md). `due_on` is the case's
-- `next_due_on`, or 'undated' (which sorts after every date) when it has none.
CREATE TABLE board_counts (
    due_on     TEXT    NOT NULL,
    waiting_on TEXT    NOT NULL,
    n          INTEGER NOT NULL CHECK (n > 0),
    PRIMARY KEY (due_on, waiting_on)
) WITHOUT ROWID;

INSERT INTO board_counts (due_on, waiting_on, n)
    SELECT COALESCE(next_due_on, 'undated'), waiting_on, COUNT(*) FROM cases
    WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
    GROUP BY 1, 2;

-- Triggers keep the counts in the write transaction that changes the case, whichever code
-- writes it (the service, the seeder, retention), so they cannot drift from the cases.
CREATE TRIGGER board_counts_on_insert AFTER INSERT ON cases
WHEN NEW.state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
BEGIN
    INSERT INTO board_counts (due_on, waiting_on, n)
        VALUES (COALESCE(NEW.next_due_on, 'undated'), NEW.waiting_on, 1)
        ON CONFLICT (due_on, waiting_on) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER board_counts_on_update AFTER UPDATE OF state, next_due_on, waiting_on ON cases
WHEN OLD.state IS NOT NEW.state OR OLD.next_due_on IS NOT NEW.next_due_on
     OR OLD.waiting_on IS NOT NEW.waiting_on
BEGIN
    -- The last case of its day goes with its row; otherwise the day counts one fewer.
    DELETE FROM board_counts
        WHERE OLD.state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
          AND due_on = COALESCE(OLD.next_due_on, 'undated') AND waiting_on = OLD.waiting_on
          AND n = 1;
    UPDATE board_counts SET n = n - 1
        WHERE OLD.state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
          AND due_on = COALESCE(OLD.next_due_on, 'undated') AND waiting_on = OLD.waiting_on;
    INSERT INTO board_counts (due_on, waiting_on, n)
        SELECT COALESCE(NEW.next_due_on, 'undated'), NEW.waiting_on, 1
        WHERE NEW.state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
        ON CONFLICT (due_on, waiting_on) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER board_counts_on_delete AFTER DELETE ON cases
WHEN OLD.state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
BEGIN
    DELETE FROM board_counts
        WHERE due_on = COALESCE(OLD.next_due_on, 'undated') AND waiting_on = OLD.waiting_on
          AND n = 1;
    UPDATE board_counts SET n = n - 1
        WHERE due_on = COALESCE(OLD.next_due_on, 'undated') AND waiting_on = OLD.waiting_on;
END;
