-- Autocomplete by the digits of a reference (issue 15, part 7).
--
-- People usually type the last digits of a reference (`0042` for MM-2026-0042). Those
-- can only match inside the year or the number, so the store turns them into the few case
-- numbers that hold them and looks each one up here (src/store/listing/by_number.rs),
-- instead of testing every visible case's reference against a pattern. The other columns
-- are the ones a suggestion is filtered and ordered by, so only the cases offered are read
-- from the table.
CREATE INDEX cases_by_number ON cases (ref_number, updated_at, home_school, destination_school, kind, reference, state);
