-- A phone enrolled again keeps its earlier enrollments (JSON: [{deviceId, gateId}], newest
-- first): the records it saved under them and had not sent yet still go, each for its own gate,
-- even when the committee revoked the earlier token (src/server/routes/enroll.ts). NULL: none.

ALTER TABLE devices ADD COLUMN former_devices TEXT;
