-- Resident passes, their signing keys, the watchlist, and the feed phones pull them from.

-- ECDSA P-256 keys that sign passes. `slot` is 'active' for the one key that signs now and
-- NULL once retired; its UNIQUE constraint keeps a second active key out, even when two
-- processes create the first key at once. Retired keys stay: their passes still verify.
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  public_jwk TEXT NOT NULL,
  private_key TEXT NOT NULL,
  slot TEXT UNIQUE,
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);

CREATE TABLE passes (
  id TEXT PRIMARY KEY,
  gate_id TEXT REFERENCES gates (id),
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  kid TEXT NOT NULL REFERENCES signing_keys (kid),
  token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE INDEX passes_kid_until ON passes (kid, valid_until);
CREATE INDEX passes_created ON passes (created_at, id);

CREATE TABLE watchlist (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  until TEXT NOT NULL,
  pass_id TEXT,
  id_number TEXT,
  phone TEXT,
  address TEXT,
  note TEXT,
  created_at INTEGER NOT NULL
);

-- The pull feed: the state of a pass or watchlist entry after each change. AUTOINCREMENT never
-- hands out a seq twice, and SQLite has one writer at a time, so seq grows in commit order.
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  gate_id TEXT,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
