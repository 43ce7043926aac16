-- One row per heartbeat of the billing actor: which replica, which incarnation (a fresh UUID per
-- execute), when by the database's clock.
CREATE TABLE IF NOT EXISTS heartbeat (
  replica VARCHAR(64) NOT NULL,
  incarnation UUID NOT NULL,
  at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS heartbeat_at ON heartbeat (at);
