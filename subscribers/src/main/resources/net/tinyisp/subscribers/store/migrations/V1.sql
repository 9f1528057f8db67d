-- tinyisp subscriber store, schema version 1. Same SQL for SQLite and PostgreSQL; {{ID}} is the dialect's
-- surrogate key column. Times are epoch milliseconds (BIGINT) so both databases compare them the same way.

CREATE TABLE plans (
  name             TEXT PRIMARY KEY,
  down_kbps        BIGINT NOT NULL,
  up_kbps          BIGINT NOT NULL,
  down_ceil_kbps   BIGINT NOT NULL,
  up_ceil_kbps     BIGINT NOT NULL,
  interim_interval INTEGER NOT NULL,
  session_timeout  INTEGER NOT NULL
);

CREATE TABLE plan_reply_items (
  plan      TEXT NOT NULL REFERENCES plans (name) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  attribute TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (plan, position)
);

CREATE TABLE subscribers (
  username              TEXT PRIMARY KEY,
  password              TEXT NOT NULL,
  chap_capable          BOOLEAN NOT NULL,
  plan                  TEXT NOT NULL REFERENCES plans (name),
  framed_ipv6_prefix    TEXT,
  delegated_ipv6_prefix TEXT,
  enabled               BOOLEAN NOT NULL,
  data_cap_bytes        BIGINT NOT NULL,
  created_ms            BIGINT NOT NULL,
  updated_ms            BIGINT NOT NULL
);

-- one row per NAS session (RFC 2866 Acct-Session-Id is unique per NAS); counters are the NAS's last 64-bit
-- totals (RFC 2869 §5.1/§5.2 gigawords folded in)
CREATE TABLE acct_sessions (
  nas              TEXT NOT NULL,
  session_id       TEXT NOT NULL,
  username         TEXT NOT NULL,
  nas_port         TEXT,
  framed_ipv6_prefix TEXT,
  started_ms       BIGINT NOT NULL,
  updated_ms       BIGINT NOT NULL,
  stopped_ms       BIGINT,
  input_octets     BIGINT NOT NULL,
  output_octets    BIGINT NOT NULL,
  session_time     BIGINT NOT NULL,
  interim_interval INTEGER NOT NULL,
  stop_cause       TEXT,
  PRIMARY KEY (nas, session_id)
);
CREATE INDEX acct_sessions_open ON acct_sessions (updated_ms) WHERE stopped_ms IS NULL;
CREATE INDEX acct_sessions_user ON acct_sessions (username, stopped_ms);

-- every Accounting-Request as received, for audit and billing disputes
CREATE TABLE acct_records (
  id              {{ID}},
  received_ms     BIGINT NOT NULL,
  nas             TEXT NOT NULL,
  session_id      TEXT NOT NULL,
  username        TEXT NOT NULL,
  status_type     TEXT NOT NULL,
  input_octets    BIGINT NOT NULL,
  output_octets   BIGINT NOT NULL,
  session_time    BIGINT NOT NULL,
  terminate_cause TEXT
);
CREATE INDEX acct_records_session ON acct_records (nas, session_id);

-- octets per subscriber per usage period, summed from deltas between a session's records
CREATE TABLE usage_periods (
  username        TEXT NOT NULL,
  period_start_ms BIGINT NOT NULL,
  input_octets    BIGINT NOT NULL,
  output_octets   BIGINT NOT NULL,
  PRIMARY KEY (username, period_start_ms)
);

-- a data cap enforced once per subscriber and period; restored_ms set when the next period gives the plan back
CREATE TABLE cap_state (
  username        TEXT NOT NULL,
  period_start_ms BIGINT NOT NULL,
  enforced_ms     BIGINT NOT NULL,
  restored_ms     BIGINT,
  PRIMARY KEY (username, period_start_ms)
);

-- every CoA-Request / Disconnect-Request sent (RFC 5176) and the answer
CREATE TABLE coa_log (
  id         {{ID}},
  sent_ms    BIGINT NOT NULL,
  username   TEXT NOT NULL,
  nas        TEXT NOT NULL,
  session_id TEXT,
  kind       TEXT NOT NULL,
  reason     TEXT NOT NULL,
  result     TEXT NOT NULL,
  detail     TEXT
);
