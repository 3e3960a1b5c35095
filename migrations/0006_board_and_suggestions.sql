-- The board, and case suggestions as people type a reference.
--
-- The board shows the most urgent open cases first. Ordering by the next due date in SQL,
-- through this index, means the board loads only the cases it shows, and a case overdue
-- for weeks is never pushed off it by cases that merely changed more recently.
CREATE INDEX cases_open_due ON cases (next_due_on, updated_at)
    WHERE state IN ('proposed', 'accepted', 'agreeing', 'active');

-- Autocomplete matches part of a reference among the cases a person may see. With the
-- reference (and the state) in the listing indexes, SQLite tests a suggestion on the index
-- alone and reads from the table only the 25 cases it offers.
DROP INDEX cases_open_recent;
CREATE INDEX cases_open_recent ON cases (updated_at, home_school, destination_school, kind, reference)
    WHERE state IN ('proposed', 'accepted', 'agreeing', 'active');
DROP INDEX cases_recent;
CREATE INDEX cases_recent ON cases (updated_at, home_school, destination_school, kind, reference, state);
