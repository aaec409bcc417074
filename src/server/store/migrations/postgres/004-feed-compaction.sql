-- The pull feed keeps each entity's latest change only, and drops changes some days after their
-- entity's last day (src/server/store/feed.ts). `ends_on` is that day; NULL: kept.

ALTER TABLE changes ADD COLUMN ends_on text COLLATE "C";
-- First, so the look-ups of an entity's other changes below are not a scan each.
CREATE INDEX changes_entity ON changes (entity_id);

-- json, not jsonb: a payload may hold \u0000, which jsonb refuses.
UPDATE changes SET ends_on = CASE kind
  WHEN 'pass' THEN payload::json -> 'pass' ->> 'validUntil'
  WHEN 'watch' THEN payload::json -> 'watch' ->> 'until'
END;

-- A removal ends when the removed entry would have: its last `watch` change says when.
UPDATE changes c SET ends_on = (
  SELECT w.payload::json -> 'watch' ->> 'until' FROM changes w
  WHERE w.kind = 'watch' AND w.entity_id = c.entity_id
  ORDER BY w.seq DESC LIMIT 1
) WHERE c.kind = 'unwatch';

-- Changes made needless by a later one of the same entity. (Those of ended entities go at the
-- next change the committee makes.)
DELETE FROM changes c WHERE EXISTS (
  SELECT 1 FROM changes l
  WHERE l.entity_id = c.entity_id AND (l.kind = 'pass') = (c.kind = 'pass') AND l.seq > c.seq
);

CREATE INDEX changes_ends_on ON changes (ends_on);
