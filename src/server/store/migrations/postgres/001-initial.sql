-- GateLog v1 schema on PostgreSQL: the same tables and columns as the SQLite store.
-- Times are Unix milliseconds (bigint). Ids and other compared text use COLLATE "C" so that
-- ordering is by bytes, as in SQLite and in JavaScript, whatever the database's locale.
-- `json` is text, not jsonb: duplicates are compared by its exact canonical text.

CREATE TABLE gates (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  rules jsonb NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE enrollment_codes (
  code_hash text COLLATE "C" PRIMARY KEY,
  gate_id text COLLATE "C" NOT NULL REFERENCES gates (id),
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  used_at bigint
);

CREATE TABLE devices (
  id text COLLATE "C" PRIMARY KEY,
  gate_id text COLLATE "C" NOT NULL REFERENCES gates (id),
  name text NOT NULL,
  token_hash text COLLATE "C" NOT NULL UNIQUE,
  created_at bigint NOT NULL,
  revoked_at bigint,
  last_seen_at bigint,
  last_sync_at bigint,
  last_record_id text COLLATE "C",
  app_version text,
  pending bigint,
  oldest_pending_at text,
  persisted boolean,
  usage_bytes double precision,
  quota_bytes double precision
);

CREATE INDEX devices_gate ON devices (gate_id);

CREATE TABLE records (
  id text COLLATE "C" PRIMARY KEY,
  schema_version integer NOT NULL,
  device_id text COLLATE "C" NOT NULL REFERENCES devices (id),
  gate_id text COLLATE "C" NOT NULL REFERENCES gates (id),
  shift_id text COLLATE "C" NOT NULL,
  guard text NOT NULL,
  occurred_at text NOT NULL,
  occurred_ms bigint NOT NULL,
  direction text NOT NULL,
  category text NOT NULL,
  name text NOT NULL,
  id_type text,
  id_number text,
  phone text,
  address text,
  pass_id text,
  temperature_c numeric,
  returnee_status text NOT NULL,
  returnee_origin text,
  arrived_on text,
  quarantine_until text,
  registered boolean,
  decision text NOT NULL,
  note text,
  amends text COLLATE "C",
  is_fever boolean NOT NULL,
  received_at bigint NOT NULL,
  batch_id text COLLATE "C" NOT NULL,
  json text NOT NULL
);

CREATE INDEX records_received ON records (received_at, id);
CREATE INDEX records_gate_received ON records (gate_id, received_at, id);
CREATE INDEX records_gate_shift ON records (gate_id, shift_id);
CREATE INDEX records_gate_occurred ON records (gate_id, occurred_ms);

CREATE TABLE shift_closes (
  device_id text COLLATE "C" NOT NULL REFERENCES devices (id),
  shift_id text COLLATE "C" NOT NULL,
  gate_id text COLLATE "C" NOT NULL REFERENCES gates (id),
  record_count bigint NOT NULL,
  digest text NOT NULL,
  receipt text NOT NULL,
  closed_at bigint NOT NULL,
  PRIMARY KEY (device_id, shift_id)
);
