-- Autocomplete by the digits of a reference (issue 15, part 7).
--
-- People usually type the last digits of a reference (`0042` for MM-2026-0042). Those
-- can only match inside the year or the number, so the store turns them into the few case
-- numbers that hold them and looks each one up here (src/store/listing/by_number.rs),
-- instead of testing every visible case's reference against a pattern. The other columns
-- are the ones a suggestion is filtered and ordered by, so only the cases offered are read
-- from the table.
CREATE INDEX cases_by_number ON cases (ref_number, updated_at, home_school, destination_school, kind, reference, state);

-- Suggestions offer a closed case only if it is among the 2,000 most recently changed that
-- the person may see (store::listing::RECENT_CLOSED). Finding the last of those walks closed
-- cases newest first; this index holds only them, with the columns that decide who may see
-- each, so the walk never steps over open cases or tests a state (7x faster at 100,000
-- cases than walking `cases_recent`).
CREATE INDEX cases_closed_recent ON cases (updated_at, home_school, destination_school, kind, reference)
    WHERE state IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected');
