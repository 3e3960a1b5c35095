-- Open cases are now every case not closed. Issue 14 adds open states after `active`
-- (`transferring`, `returning`): rather than list the open states, which grow, the partial
-- indexes and the queries that use them name the closed ones, which do not. The queries'
-- WHERE must repeat this predicate exactly for SQLite to use (and INDEXED BY to accept)
-- these indexes.
DROP INDEX IF EXISTS cases_open_due;
CREATE INDEX cases_open_due ON cases (next_due_on, updated_at)
    WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected');

DROP INDEX IF EXISTS cases_open_recent;
CREATE INDEX cases_open_recent ON cases (updated_at, home_school, destination_school, kind, reference)
    WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected');
