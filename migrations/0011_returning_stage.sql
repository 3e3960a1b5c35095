-- The returning stage (issue 14): a managed move's pupil going home passes through the
-- open state 'returning' before the case closes. Open-case lists walk partial indexes
-- whose WHERE must match the queries' own, so both are made again with the new state.
DROP INDEX cases_open_due;
CREATE INDEX cases_open_due ON cases (next_due_on, updated_at)
    WHERE state IN ('proposed', 'accepted', 'agreeing', 'active', 'returning');

DROP INDEX cases_open_recent;
CREATE INDEX cases_open_recent ON cases (updated_at, home_school, destination_school, kind, reference)
    WHERE state IN ('proposed', 'accepted', 'agreeing', 'active', 'returning');
