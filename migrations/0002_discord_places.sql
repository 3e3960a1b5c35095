-- Where the bot posts: each case's private thread, and messages it edits in place (the
-- coordinators' board). Kept so a restart finds them again instead of posting anew.

CREATE TABLE case_threads (
    case_id   INTEGER PRIMARY KEY REFERENCES cases (id),
    thread_id INTEGER NOT NULL
);

CREATE TABLE bot_messages (
    key        TEXT PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL
);
