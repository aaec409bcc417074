-- The highest fever threshold each gate has had. A phone judges an entry by the rules it last
-- heard of: one offline when the committee lowered the threshold saves records by the older,
-- higher one, and the server judges them by it too (src/server/sync-batch.ts). NULL: the rules'
-- own (gates made before this column knew no other).

ALTER TABLE gates ADD COLUMN highest_fever_threshold_c REAL;
UPDATE gates SET highest_fever_threshold_c = rules ->> '$.feverThresholdC';
