-- Statistics select cases by when they were proposed.
CREATE INDEX cases_by_created ON cases (created_at);
