-- GateLog v1 schema. Times are Unix milliseconds (INTEGER); booleans are 0/1.

CREATE TABLE gates (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  rules TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE enrollment_codes (
  code_hash TEXT PRIMARY KEY,
  gate_id TEXT NOT NULL REFERENCES gates (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  gate_id TEXT NOT NULL REFERENCES gates (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_seen_at INTEGER,
  last_sync_at INTEGER,
  last_record_id TEXT,
  app_version TEXT,
  pending INTEGER,
  oldest_pending_at TEXT,
  persisted INTEGER,
  usage_bytes REAL,
  quota_bytes REAL
);

CREATE INDEX devices_gate ON devices (gate_id);

CREATE TABLE records (
  id TEXT PRIMARY KEY,
  schema_version INTEGER NOT NULL,
  device_id TEXT NOT NULL REFERENCES devices (id),
  gate_id TEXT NOT NULL REFERENCES gates (id),
  shift_id TEXT NOT NULL,
  guard TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  occurred_ms INTEGER NOT NULL,
  direction TEXT NOT NULL,
  category TEXT NOT NULL,
  name TEXT NOT NULL,
  id_type TEXT,
  id_number TEXT,
  phone TEXT,
  address TEXT,
  pass_id TEXT,
  temperature_c REAL,
  returnee_status TEXT NOT NULL,
  returnee_origin TEXT,
  arrived_on TEXT,
  quarantine_until TEXT,
  registered INTEGER,
  decision TEXT NOT NULL,
  note TEXT,
  amends TEXT,
  is_fever INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  batch_id TEXT NOT NULL,
  json TEXT NOT NULL
);

CREATE INDEX records_received ON records (received_at, id);
CREATE INDEX records_gate_received ON records (gate_id, received_at, id);
CREATE INDEX records_gate_shift ON records (gate_id, shift_id);
CREATE INDEX records_gate_occurred ON records (gate_id, occurred_ms);

CREATE TABLE shift_closes (
  device_id TEXT NOT NULL REFERENCES devices (id),
  shift_id TEXT NOT NULL,
  gate_id TEXT NOT NULL REFERENCES gates (id),
  record_count INTEGER NOT NULL,
  digest TEXT NOT NULL,
  receipt TEXT NOT NULL,
  closed_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, shift_id)
);
