-- The committee's log tells a record corrected by a later one (its `amends`): the corrected one
-- counts no more in the totals and flag filters (src/server/store/*.ts, logWhere). Partial: the
-- rows that correct nothing, nearly all, cost an insert nothing here. With the id, the newest
-- correction of a record is the index's last entry for it: on (amends) alone, PostgreSQL found
-- max(id) by walking the primary key backwards past every row, for each row listed.

CREATE INDEX records_amends ON records (amends, id) WHERE amends IS NOT NULL;
