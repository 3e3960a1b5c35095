-- People by name in documents (issue 14, item 10). Who did something is kept with each
-- event as a Discord user ID; documents show the name that person had in the server at
-- the time. Each row is a name and role seen from an instant on, written when an
-- interaction (or a CLI action) arrives and only when it differs from the last one, so
-- the history is short. Staff only: pupils are never members and never named here.
CREATE TABLE people_names (
    user_id      INTEGER NOT NULL,
    display_name TEXT    NOT NULL,
    role_label   TEXT    NOT NULL,
    seen_from    TEXT    NOT NULL,
    PRIMARY KEY (user_id, seen_from)
);
