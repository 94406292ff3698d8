// Numbered schema migrations. Each runs once, in its own transaction, and is recorded with the
// SHA-256 of its SQL: editing a migration that a database has already applied makes every later
// open fail loudly instead of leaving databases with diverging schemas. Never edit one; add one.

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'imports and records',
    sql: `
CREATE TABLE files (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  stored_name TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL UNIQUE REFERENCES files(sha256),
  source TEXT NOT NULL CHECK (source IN ('terminal', 'settlement', 'statement')),
  preset_id TEXT,
  preset_name TEXT,
  encoding TEXT,
  sheet TEXT,
  header_row INTEGER NOT NULL,
  columns_json TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_stored INTEGER NOT NULL,
  rows_overlap INTEGER NOT NULL,
  rows_footer INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  imported_at TEXT NOT NULL
) STRICT;

-- One row per transaction or bank line. fp is a fingerprint of the normalised fields plus the
-- occurrence number within its file: the same transaction seen again in an overlapping export
-- collides on it, while two identical rows in one file (a real duplicate charge) do not.
-- Free text (names, 摘要) lives in extra as JSON, and the original cells in raw joined by U+001F
-- (see encodeCells), both UTF-8 in a BLOB: the import worker encodes them, so the inserting thread
-- copies bytes instead of converting Chinese text. Read them through the records_readable view. For the same reason the small
-- vocabularies (source, card_type, txn_type, status) are stored as their index in the lists of
-- shared/records.ts, which therefore only ever grow at the end.
CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES imports(id),
  row_no INTEGER NOT NULL,
  fp INTEGER NOT NULL,
  source INTEGER NOT NULL CHECK (source BETWEEN 0 AND 2),
  txn_time TEXT,
  clear_date TEXT,
  merchant_no TEXT,
  terminal_no TEXT,
  card_no TEXT,
  card_last4 TEXT,
  card_type INTEGER NOT NULL,
  txn_type INTEGER NOT NULL,
  status INTEGER NOT NULL,
  amount_fen INTEGER,
  fee_fen INTEGER,
  net_fen INTEGER,
  rrn TEXT,
  trace TEXT,
  batch TEXT,
  order_no TEXT,
  orig_rrn TEXT,
  orig_trace TEXT,
  orig_order_no TEXT,
  flags TEXT,
  extra BLOB,
  raw BLOB NOT NULL
) STRICT;
CREATE UNIQUE INDEX records_fp ON records(fp);
CREATE INDEX records_import ON records(import_id);
CREATE VIEW records_readable AS
  SELECT r.id, i.file_name, i.sheet, r.row_no,
    CASE r.source WHEN 0 THEN 'terminal' WHEN 1 THEN 'settlement' ELSE 'statement' END AS source,
    r.txn_time, r.clear_date, r.merchant_no, r.terminal_no, r.card_no, r.card_last4,
    CASE r.card_type WHEN 0 THEN 'debit' WHEN 1 THEN 'credit' WHEN 2 THEN 'quasi_credit' WHEN 3 THEN 'prepaid'
      WHEN 4 THEN 'qr' ELSE 'unknown' END AS card_type,
    CASE r.txn_type WHEN 0 THEN 'sale' WHEN 1 THEN 'void' WHEN 2 THEN 'refund' WHEN 3 THEN 'preauth_complete'
      WHEN 4 THEN 'reversal' WHEN 5 THEN 'credit' WHEN 6 THEN 'debit' ELSE 'unknown' END AS txn_type,
    CASE r.status WHEN 0 THEN 'success' WHEN 1 THEN 'failed' WHEN 2 THEN 'timeout' WHEN 3 THEN 'pending'
      ELSE 'unknown' END AS status,
    r.amount_fen, r.fee_fen, r.net_fen, r.rrn, r.trace, r.batch, r.order_no, r.orig_rrn, r.orig_trace,
    r.orig_order_no, r.flags, CAST(r.extra AS TEXT) AS extra_json,
    replace(CAST(r.raw AS TEXT), char(31), ' | ') AS raw_cells
  FROM records r JOIN imports i ON i.id = r.import_id;

-- Rows of later imports that were already stored from an earlier, overlapping export. Kept so that
-- undoing the earlier import hands those records over instead of losing them.
CREATE TABLE record_sightings (
  record_id INTEGER NOT NULL REFERENCES records(id),
  import_id INTEGER NOT NULL REFERENCES imports(id),
  row_no INTEGER NOT NULL,
  raw BLOB NOT NULL
) STRICT;
CREATE INDEX record_sightings_import ON record_sightings(import_id);
CREATE INDEX record_sightings_record ON record_sightings(record_id);

CREATE TABLE import_rejects (
  import_id INTEGER NOT NULL REFERENCES imports(id),
  row_no INTEGER NOT NULL,
  column_name TEXT,
  value TEXT,
  reason_zh TEXT NOT NULL,
  reason_en TEXT NOT NULL
) STRICT;
CREATE INDEX import_rejects_import ON import_rejects(import_id);

-- Column mappings a user saved for a layout no built-in preset knows.
CREATE TABLE user_presets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  mapping_json TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
`,
  },
  {
    id: 2,
    name: 'mismatch cases, manual matches and settings',
    sql: `
-- Every mismatch a reconcile run has reported, keyed by its stable id, with the user's work on it.
-- Re-runs update what the data says and never touch status or notes a user set, except to close
-- an open mismatch that the data no longer shows (closed_reason says why).
CREATE TABLE mismatches (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  subkind TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'investigating', 'disputed', 'resolved', 'dismissed', 'closed')),
  expected_fen INTEGER,
  actual_fen INTEGER,
  difference_fen INTEGER,
  record_ids TEXT NOT NULL,
  explanation_zh TEXT NOT NULL,
  explanation_en TEXT NOT NULL,
  note TEXT,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  closed_reason_zh TEXT,
  closed_reason_en TEXT,
  closed_at TEXT
) STRICT;
CREATE INDEX mismatches_kind_status ON mismatches(kind, status);

-- A user's decision that a terminal record and a settlement record are (or are not) the same
-- transaction. Keyed by record fingerprints, so it survives undoing and re-importing the files.
CREATE TABLE manual_links (
  terminal_fp INTEGER NOT NULL,
  settlement_fp INTEGER NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('match', 'unmatch')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (terminal_fp, settlement_fp)
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- The terminal ↔ settlement pairs of the latest reconcile run, so that search and review screens
-- show each record's counterpart without matching everything again.
CREATE TABLE matches (
  terminal_id INTEGER PRIMARY KEY,
  settlement_id INTEGER NOT NULL UNIQUE
) STRICT;
`,
  },
  {
    id: 3,
    name: 'case work: history, dispute details, attachments, cases and day closes',
    sql: `
-- What a user recorded when moving a mismatch along open → investigating → disputed → resolved or
-- dismissed: the acquirer's ticket, the money recovered, the reason for dismissing.
ALTER TABLE mismatches ADD COLUMN ticket_no TEXT;
ALTER TABLE mismatches ADD COLUMN ticket_date TEXT;
ALTER TABLE mismatches ADD COLUMN recovered_fen INTEGER;
ALTER TABLE mismatches ADD COLUMN dismiss_reason TEXT;

-- Every change to a mismatch, by whom and when: the case history evidence reports print.
CREATE TABLE mismatch_events (
  id INTEGER PRIMARY KEY,
  mismatch_id TEXT NOT NULL REFERENCES mismatches(id),
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('status', 'note', 'attachment', 'case')),
  status TEXT,
  detail_json TEXT NOT NULL
) STRICT;
CREATE INDEX mismatch_events_mismatch ON mismatch_events(mismatch_id);

-- Slips, SMS screenshots, PDFs: kept content-addressed beside the database, like the originals.
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  mismatch_id TEXT NOT NULL REFERENCES mismatches(id),
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  stored_name TEXT NOT NULL,
  added_at TEXT NOT NULL,
  added_by TEXT NOT NULL
) STRICT;
CREATE INDEX attachments_mismatch ON attachments(mismatch_id);

-- Several mismatches a user handles as one dispute (one letter, one bundle).
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE TABLE case_mismatches (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  mismatch_id TEXT NOT NULL REFERENCES mismatches(id),
  PRIMARY KEY (case_id, mismatch_id)
) STRICT;

-- 日结: a day a user closed, once everything in it was matched or explained.
CREATE TABLE day_closes (
  day TEXT PRIMARY KEY,
  closed_by TEXT NOT NULL,
  closed_at TEXT NOT NULL
) STRICT;
`,
  },
  {
    id: 4,
    name: 'review table groups',
    sql: `
-- The review table's lines (a terminal record with its settlement, or a lone settlement or bank
-- line), rebuilt by every reconcile run in time order, so that any page of a million lines is an
-- indexed read.
CREATE TABLE review_groups (
  id INTEGER PRIMARY KEY,
  time TEXT,
  amount INTEGER,
  merchant TEXT,
  terminal TEXT,
  card4 TEXT,
  tid INTEGER,
  sid INTEGER,
  bid INTEGER,
  problem INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX review_groups_time ON review_groups(time);
CREATE INDEX review_groups_amount ON review_groups(abs(amount));
CREATE INDEX review_groups_card ON review_groups(card4);
CREATE INDEX review_groups_problem ON review_groups(time) WHERE problem = 1;
`,
  },
  {
    id: 5,
    name: 'records stored as nine values, read through a view',
    sql: `
-- Binding a value costs the importing thread about as much as SQLite's own work for a row, so a
-- record is stored as nine: the vocabularies packed four bits apiece in codes (source, card_type,
-- txn_type, status: indexes into the lists of shared/records.ts), the amounts, every text field
-- as one JSON array f (positions: FIELD_COLUMNS in store/record-columns.ts; trailing nulls left
-- out) and the original cells as text in raw. The records view gives each field its column back.
CREATE TABLE record_rows (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES imports(id),
  row_no INTEGER NOT NULL,
  fp INTEGER NOT NULL,
  codes INTEGER NOT NULL,
  amount_fen INTEGER,
  fee_fen INTEGER,
  net_fen INTEGER,
  f TEXT NOT NULL,
  raw TEXT NOT NULL
) STRICT;
INSERT INTO record_rows (id, import_id, row_no, fp, codes, amount_fen, fee_fen, net_fen, f, raw)
  SELECT id, import_id, row_no, fp, source | (card_type << 4) | (txn_type << 8) | (status << 12),
    amount_fen, fee_fen, net_fen, json_array(
    txn_time,
    clear_date,
    merchant_no,
    terminal_no,
    card_no,
    card_last4,
    rrn,
    trace,
    batch,
    CAST(extra AS TEXT)->>'$.merchantName',
    CAST(extra AS TEXT)->>'$.authCode',
    flags,
    orig_rrn,
    orig_trace,
    order_no,
    orig_order_no,
    CAST(extra AS TEXT)->>'$.channelTxnNo',
    CAST(extra AS TEXT)->>'$.counterparty',
    CAST(extra AS TEXT)->>'$.counterpartyAccount',
    CAST(extra AS TEXT)->>'$.summary',
    CAST(extra AS TEXT)->>'$.balanceFen'),
    CAST(raw AS TEXT)
  FROM records;

CREATE TABLE record_sightings_5 (
  record_id INTEGER NOT NULL REFERENCES record_rows(id),
  import_id INTEGER NOT NULL REFERENCES imports(id),
  row_no INTEGER NOT NULL,
  raw TEXT NOT NULL
) STRICT;
INSERT INTO record_sightings_5 SELECT record_id, import_id, row_no, CAST(raw AS TEXT) FROM record_sightings;

DROP VIEW records_readable;
DROP TABLE record_sightings;
DROP TABLE records;
ALTER TABLE record_sightings_5 RENAME TO record_sightings;
CREATE INDEX record_sightings_import ON record_sightings(import_id);
CREATE INDEX record_sightings_record ON record_sightings(record_id);
CREATE UNIQUE INDEX record_rows_fp ON record_rows(fp);
CREATE INDEX record_rows_import ON record_rows(import_id);

CREATE VIEW records AS SELECT id, import_id, row_no, fp, codes, f,
  codes & 15 AS source,
  (codes >> 4) & 15 AS card_type,
  (codes >> 8) & 15 AS txn_type,
  (codes >> 12) & 15 AS status,
  amount_fen, fee_fen, net_fen,
  f->>0 AS txn_time,
  f->>1 AS clear_date,
  f->>2 AS merchant_no,
  f->>3 AS terminal_no,
  f->>4 AS card_no,
  f->>5 AS card_last4,
  f->>6 AS rrn,
  f->>7 AS trace,
  f->>8 AS batch,
  f->>9 AS merchant_name,
  f->>10 AS auth_code,
  f->>11 AS flags,
  f->>12 AS orig_rrn,
  f->>13 AS orig_trace,
  f->>14 AS order_no,
  f->>15 AS orig_order_no,
  f->>16 AS channel_txn_no,
  f->>17 AS counterparty,
  f->>18 AS counterparty_account,
  f->>19 AS summary,
  f->>20 AS balance_fen,
  raw
FROM record_rows;

CREATE VIEW records_readable AS
  SELECT r.id, i.file_name, i.sheet, r.row_no,
    CASE r.source WHEN 0 THEN 'terminal' WHEN 1 THEN 'settlement' ELSE 'statement' END AS source,
    r.txn_time, r.clear_date, r.merchant_no, r.merchant_name, r.terminal_no, r.card_no, r.card_last4,
    CASE r.card_type WHEN 0 THEN 'debit' WHEN 1 THEN 'credit' WHEN 2 THEN 'quasi_credit' WHEN 3 THEN 'prepaid'
      WHEN 4 THEN 'qr' ELSE 'unknown' END AS card_type,
    CASE r.txn_type WHEN 0 THEN 'sale' WHEN 1 THEN 'void' WHEN 2 THEN 'refund' WHEN 3 THEN 'preauth_complete'
      WHEN 4 THEN 'reversal' WHEN 5 THEN 'credit' WHEN 6 THEN 'debit' ELSE 'unknown' END AS txn_type,
    CASE r.status WHEN 0 THEN 'success' WHEN 1 THEN 'failed' WHEN 2 THEN 'timeout' WHEN 3 THEN 'pending'
      ELSE 'unknown' END AS status,
    r.amount_fen, r.fee_fen, r.net_fen, r.rrn, r.trace, r.batch, r.auth_code, r.order_no, r.orig_rrn,
    r.orig_trace, r.orig_order_no, r.channel_txn_no, r.counterparty, r.counterparty_account, r.summary,
    r.balance_fen, r.flags, replace(r.raw, char(31), ' | ') AS raw_cells
  FROM records r JOIN imports i ON i.id = r.import_id;
`,
  },
  {
    id: 6,
    name: 'pending sales on the review lines',
    sql: `
-- Terminal sales a reconcile run found waiting for settlement files that cover their clearing day
-- (not mismatches yet), marked on their review line so that the overview counts exactly those.
ALTER TABLE review_groups ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    id: 7,
    name: 'a reconcile run again after the pending mark',
    sql: `
-- A run saved before migration 6 left every review line unmarked: forgetting its data state makes
-- the next ensureReconciled run again and mark the pending sales.
DELETE FROM settings WHERE key = 'reconciledState';
`,
  },
  {
    id: 8,
    name: 'readable cells in every stored form',
    sql: `
-- records_readable as migration 5 made it joined the cells by char(31) only; rows stored as their
-- text line (char(29)) or as a JSON list (char(30)) read back whole now too.
DROP VIEW records_readable;
CREATE VIEW records_readable AS
  SELECT r.id, i.file_name, i.sheet, r.row_no,
    CASE r.source WHEN 0 THEN 'terminal' WHEN 1 THEN 'settlement' ELSE 'statement' END AS source,
    r.txn_time, r.clear_date, r.merchant_no, r.merchant_name, r.terminal_no, r.card_no, r.card_last4,
    CASE r.card_type WHEN 0 THEN 'debit' WHEN 1 THEN 'credit' WHEN 2 THEN 'quasi_credit' WHEN 3 THEN 'prepaid'
      WHEN 4 THEN 'qr' ELSE 'unknown' END AS card_type,
    CASE r.txn_type WHEN 0 THEN 'sale' WHEN 1 THEN 'void' WHEN 2 THEN 'refund' WHEN 3 THEN 'preauth_complete'
      WHEN 4 THEN 'reversal' WHEN 5 THEN 'credit' WHEN 6 THEN 'debit' ELSE 'unknown' END AS txn_type,
    CASE r.status WHEN 0 THEN 'success' WHEN 1 THEN 'failed' WHEN 2 THEN 'timeout' WHEN 3 THEN 'pending'
      ELSE 'unknown' END AS status,
    r.amount_fen, r.fee_fen, r.net_fen, r.rrn, r.trace, r.batch, r.auth_code, r.order_no, r.orig_rrn,
    r.orig_trace, r.orig_order_no, r.channel_txn_no, r.counterparty, r.counterparty_account, r.summary,
    r.balance_fen, r.flags,
    -- The cells as stored (decodeCells): a text line after char(29) and its delimiter, a JSON list
    -- after char(30), or the cells joined by char(31).
    CASE substr(r.raw, 1, 1)
      WHEN char(29) THEN replace(substr(r.raw, 3), substr(r.raw, 2, 1), ' | ')
      WHEN char(30) THEN (SELECT group_concat(value, ' | ') FROM json_each(substr(r.raw, 2)))
      ELSE replace(r.raw, char(31), ' | ') END AS raw_cells
  FROM records r JOIN imports i ON i.id = r.import_id;
`,
  },
  {
    id: 9,
    name: 'review lines found by time through their order',
    sql: `
-- The review lines are written in time order, so a time range is a range of their ids, found by
-- halving (reviewPage): the index on their time cost every reconcile run about half a second to
-- build over a million lines, and every integrity check its pages.
DROP INDEX review_groups_time;
`,
  },
  {
    id: 10,
    name: 'review lines as columns',
    sql: `
-- A run's review lines as a few columns of numbers, one blob each (review-lines.ts), in place of a
-- million rows and their indexes. Forgetting the last run's data state makes the next
-- ensureReconciled run again and write them.
DROP TABLE review_groups;
CREATE TABLE review_lines (
  name TEXT PRIMARY KEY,
  data BLOB NOT NULL
) STRICT;
DELETE FROM settings WHERE key = 'reconciledState';
`,
  },
  {
    id: 11,
    name: 'matches held by the review lines',
    sql: `
-- A run's terminal ↔ settlement pairs are its review lines' terminal lines with a settlement beside
-- them (review-lines.ts): a table of a million pairs besides took every run half a second to write.
DROP TABLE matches;
`,
  },
  {
    id: 12,
    name: 'records an import holds, counted on the import',
    sql: `
-- Every import inserted a million entries into the index of the records' import, and every
-- integrity check verified them, for two uses: counting an import's records in the history (now
-- kept on the import, rows_held) and undoing an import (rare: a scan of the records will do).
ALTER TABLE imports ADD COLUMN rows_held INTEGER NOT NULL DEFAULT 0;
UPDATE imports SET rows_held = (SELECT count(*) FROM record_rows r WHERE r.import_id = imports.id);
DROP INDEX record_rows_import;
`,
  },
  {
    id: 13,
    name: 'original cells that refer to the stored fields',
    sql: `
-- A row's cells are stored with each cell that holds a normalised field as it is replaced by
-- a one-character reference to that field (writeReferencedCells in store/record-columns.ts): writing
-- the whole line again took most of what the cells cost an import. The readable view puts the
-- fields back; each reference is a whole cell between two delimiters, which no cell contains.
DROP VIEW records_readable;
CREATE VIEW records_readable AS
  SELECT r.id, i.file_name, i.sheet, r.row_no,
    CASE r.source WHEN 0 THEN 'terminal' WHEN 1 THEN 'settlement' ELSE 'statement' END AS source,
    r.txn_time, r.clear_date, r.merchant_no, r.merchant_name, r.terminal_no, r.card_no, r.card_last4,
    CASE r.card_type WHEN 0 THEN 'debit' WHEN 1 THEN 'credit' WHEN 2 THEN 'quasi_credit' WHEN 3 THEN 'prepaid'
      WHEN 4 THEN 'qr' ELSE 'unknown' END AS card_type,
    CASE r.txn_type WHEN 0 THEN 'sale' WHEN 1 THEN 'void' WHEN 2 THEN 'refund' WHEN 3 THEN 'preauth_complete'
      WHEN 4 THEN 'reversal' WHEN 5 THEN 'credit' WHEN 6 THEN 'debit' ELSE 'unknown' END AS txn_type,
    CASE r.status WHEN 0 THEN 'success' WHEN 1 THEN 'failed' WHEN 2 THEN 'timeout' WHEN 3 THEN 'pending'
      ELSE 'unknown' END AS status,
    r.amount_fen, r.fee_fen, r.net_fen, r.rrn, r.trace, r.batch, r.auth_code, r.order_no, r.orig_rrn,
    r.orig_trace, r.orig_order_no, r.channel_txn_no, r.counterparty, r.counterparty_account, r.summary,
    r.balance_fen, r.flags,
    -- The cells as stored (decodeCells): after char(28) and a delimiter, the cells joined by it,
    -- those that hold fields as references (char(128 + k): the field at position k of f), a text line
    -- after char(29) and its delimiter, a JSON list after char(30), or the cells joined by char(31).
    CASE substr(r.raw, 1, 1)
      WHEN char(28) THEN (SELECT replace(substr(x, 2, length(x) - 2), d, ' | ') FROM (SELECT
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(d || substr(r.raw, 3) || d,
          d || char(128) || d, d || ifnull(r.f->>0, '') || d),
          d || char(129) || d, d || ifnull(r.f->>1, '') || d),
          d || char(130) || d, d || ifnull(r.f->>2, '') || d),
          d || char(131) || d, d || ifnull(r.f->>3, '') || d),
          d || char(132) || d, d || ifnull(r.f->>4, '') || d),
          d || char(133) || d, d || ifnull(r.f->>5, '') || d),
          d || char(134) || d, d || ifnull(r.f->>6, '') || d),
          d || char(135) || d, d || ifnull(r.f->>7, '') || d),
          d || char(136) || d, d || ifnull(r.f->>8, '') || d),
          d || char(137) || d, d || ifnull(r.f->>9, '') || d),
          d || char(138) || d, d || ifnull(r.f->>10, '') || d),
          d || char(139) || d, d || ifnull(r.f->>11, '') || d),
          d || char(140) || d, d || ifnull(r.f->>12, '') || d),
          d || char(141) || d, d || ifnull(r.f->>13, '') || d),
          d || char(142) || d, d || ifnull(r.f->>14, '') || d),
          d || char(143) || d, d || ifnull(r.f->>15, '') || d),
          d || char(144) || d, d || ifnull(r.f->>16, '') || d),
          d || char(145) || d, d || ifnull(r.f->>17, '') || d),
          d || char(146) || d, d || ifnull(r.f->>18, '') || d),
          d || char(147) || d, d || ifnull(r.f->>19, '') || d),
          d || char(148) || d, d || ifnull(r.f->>20, '') || d) AS x, d FROM (SELECT substr(r.raw, 2, 1) AS d)))
      WHEN char(29) THEN replace(substr(r.raw, 3), substr(r.raw, 2, 1), ' | ')
      WHEN char(30) THEN (SELECT group_concat(value, ' | ') FROM json_each(substr(r.raw, 2)))
      ELSE replace(r.raw, char(31), ' | ') END AS raw_cells
  FROM records r JOIN imports i ON i.id = r.import_id;
`,
  },
];
