-- Case threads that retention removed from a case, waiting for the bot to delete them on
-- Discord. Retention runs from the command line, which has no Discord connection: it moves
-- the thread's ID here (in the same transaction as the rest of its work), and the bot deletes
-- the thread and only then drops the ID, so a thread is never forgotten while it still exists.
CREATE TABLE threads_to_delete (
    thread_id INTEGER PRIMARY KEY,
    queued_at TEXT NOT NULL
);
