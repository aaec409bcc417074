-- Resident passes, their signing keys, the watchlist, and the feed phones pull them from:
-- the same tables as the SQLite store. Signing keys live here, not on an instance's disk, so
-- every instance signs with the same key and publishes the same public keys.

-- `slot` is 'active' for the one key that signs now and NULL once retired; UNIQUE keeps a
-- second active key out when instances start at the same moment.
CREATE TABLE signing_keys (
  kid text COLLATE "C" PRIMARY KEY,
  public_jwk text NOT NULL,
  private_key text NOT NULL,
  slot text UNIQUE,
  created_at bigint NOT NULL,
  retired_at bigint
);

CREATE TABLE passes (
  id text COLLATE "C" PRIMARY KEY,
  gate_id text COLLATE "C" REFERENCES gates (id),
  name text NOT NULL,
  address text NOT NULL,
  valid_until text COLLATE "C" NOT NULL,
  kid text COLLATE "C" NOT NULL REFERENCES signing_keys (kid),
  token text NOT NULL,
  created_at bigint NOT NULL,
  revoked_at bigint
);

CREATE INDEX passes_kid_until ON passes (kid, valid_until);
CREATE INDEX passes_created ON passes (created_at, id);

CREATE TABLE watchlist (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  until text COLLATE "C" NOT NULL,
  pass_id text COLLATE "C",
  id_number text,
  phone text,
  address text,
  note text,
  created_at bigint NOT NULL
);

-- The pull feed. Writers take a transaction-scoped advisory lock before they insert here, so
-- a seq is drawn only after every earlier change committed: a phone that has seen seq n will
-- never later find a change below n (rolled-back writers leave harmless holes).
CREATE TABLE changes (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  entity_id text COLLATE "C" NOT NULL,
  gate_id text COLLATE "C",
  payload text NOT NULL,
  created_at bigint NOT NULL
);
