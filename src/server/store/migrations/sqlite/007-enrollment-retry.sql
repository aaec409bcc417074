-- An enrollment whose answer the phone never heard (the network dropped it) can be asked again
-- with the same code: the phone sends a key of its own with each try of a code, and the code
-- keeps its hash and the phone it enrolled. Asked again with that key, while that phone has
-- never been heard from, the server gives it a new token (src/server/routes/enroll.ts).

ALTER TABLE enrollment_codes ADD COLUMN retry_hash TEXT;
ALTER TABLE enrollment_codes ADD COLUMN device_id TEXT;
