-- Which Discord interaction caused which events, so that an interaction is recorded once.
--
-- Discord can deliver the same interaction twice (a gateway resume replays it), and a double
-- click or a second tab sends the same decision again under a new interaction ID. The row
-- is written in the same transaction as the events, so the events and their receipt exist
-- together or not at all; a second delivery finds the receipt and gets the first answer.
CREATE TABLE interaction_receipts (
    -- Discord's interaction ID (a snowflake): one receipt, so one set of events, per ID.
    interaction_id INTEGER PRIMARY KEY,
    -- Gone with the case when retention deletes it.
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    -- The events it caused: case_events.seq from first_seq to last_seq.
    first_seq      INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL,
    actor          INTEGER NOT NULL,
    -- A hash of the command (action, inputs, case) keyed with a secret the running bot draws
    -- at start-up: it matches a repeat of the same command, and says nothing about what was
    -- typed to anyone reading the file. NULL for a new case (a proposal is never a repeat).
    fingerprint    INTEGER,
    at             TEXT    NOT NULL
);

-- The double-click check: the same person and command, recently.
CREATE INDEX interaction_receipts_recent ON interaction_receipts (actor, fingerprint, at)
    WHERE fingerprint IS NOT NULL;
