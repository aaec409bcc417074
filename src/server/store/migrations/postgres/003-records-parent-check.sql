-- Sync batches insert 500 records per statement. The two foreign keys of `records` checked each
-- row with a trigger of its own (a lookup and a row lock on the device and on the gate: 1,000
-- trigger calls a batch, about half of the INSERT's time). One check per statement now looks
-- at all the statement's rows at once, and refuses the statement with the same error code
-- (23503 foreign_key_violation) when a record names a device or gate that does not exist.
-- Devices and gates are never deleted (revoking a device keeps its row), so checking inserts
-- is all the foreign keys did here. The SQLite store keeps its foreign keys: there a check is
-- one index lookup, a tenth of the insert.

ALTER TABLE records
  DROP CONSTRAINT IF EXISTS records_device_id_fkey,
  DROP CONSTRAINT IF EXISTS records_gate_id_fkey;

CREATE FUNCTION records_parents_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT device_id, gate_id FROM new_records) n
    WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = n.device_id)
       OR NOT EXISTS (SELECT 1 FROM gates g WHERE g.id = n.gate_id)
  ) THEN
    RAISE EXCEPTION 'insert on table "records" names a device or gate that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER records_parents_exist AFTER INSERT ON records
  REFERENCING NEW TABLE AS new_records
  FOR EACH STATEMENT EXECUTE FUNCTION records_parents_exist();
