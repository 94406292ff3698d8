import type { MismatchKind } from '../../../shared/mismatches';
import { type CaseStatus, UNDECIDED_STATUSES } from '../../../shared/statuses';
import { beginBulkWrite, type Db } from '../store/database';
import { localNow } from '../time';
import { loadRecords, loadTable, recordsById } from './load';
import {
  type ManualLinks,
  mismatchesOf,
  type ReconcileOutcome,
  reconcileTable,
  summaryOf,
  type TableRun,
} from './reconcile';
import { buildReviewLines, matchedRecords, type ReviewLines, saveReviewLines } from './review-lines';
import type { ReconcileSettings } from './settings';
import { loadSettings, saveSetting } from './settings-store';
import type { RecordTable } from './table';
import type { Mismatch, ReconRecord } from './types';
import { recordClosedByData } from './workflow';

const CLOSED_BY_DATA = {
  zh: '后续导入的数据已解释此差异（例如迟到的清算或入账已到），系统自动关闭。',
  en: 'Closed automatically: data imported since explains it (for example, a late settlement or credit arrived).',
};

export interface StoredMismatch extends Mismatch {
  status: CaseStatus;
  note: string | null;
  firstSeen: string;
  lastSeen: string;
  closedReason: { zh: string; en: string } | null;
  /** What the user recorded on the way: ticket when disputed, money when resolved, why dismissed. */
  ticketNo: string | null;
  ticketDate: string | null;
  recoveredFen: number | null;
  dismissReason: string | null;
}

/** What a run over the stored records found, ready to be saved. */
export interface StoredRun extends ReconcileOutcome {
  /** Records the run went through. */
  records: number;
  /** Terminal sales waiting for settlement files that cover their clearing date (record ids). */
  pending: number[];
}

export interface RunSummary extends StoredRun {
  opened: number;
  closed: number;
}

/** A reconcile in memory: what it worked from and what it found. */
export interface Reconciled {
  settings: ReconcileSettings;
  result: StoredRun;
  /** The table the run went through, and what it found there by rows. */
  table: RecordTable;
  run: TableRun;
  /** The run's review lines, to be saved with it. */
  lines: ReviewLines;
  /** The data state the run read (dataState), taken before anything else. */
  state: string;
}

/** The manual links whose records are both stored, by those records' ids (found by fingerprint). */
export function loadManualLinks(db: Db): ManualLinks {
  const rows = db
    .prepare(
      `SELECT t.id AS terminal, s.id AS settlement, m.action FROM manual_links m
       JOIN record_rows t ON t.fp = m.terminal_fp JOIN record_rows s ON s.fp = m.settlement_fp
       ORDER BY m.rowid`,
    )
    .all() as Array<{ terminal: number; settlement: number; action: 'match' | 'unmatch' }>;
  return {
    matched: rows.filter((r) => r.action === 'match').map((r) => [r.terminal, r.settlement]),
    unmatched: rows.filter((r) => r.action === 'unmatch').map((r) => [r.terminal, r.settlement]),
  };
}

export type ReconcileStage = 'loading' | 'matching' | 'saving';

/** Everything stored, reconciled in memory under the stored settings and manual links (nothing
 *  is written). */
export function reconcileStored(
  db: Db,
  onStage?: (stage: ReconcileStage, records?: number) => void,
): Reconciled {
  onStage?.('loading');
  // One read transaction, one snapshot: the data state, the settings, the rows and the records
  // the mismatches name agree, whatever another connection (the app importing, say) commits
  // meanwhile; the next ensureReconciled sees that commit as new data and runs again.
  return db.transaction(() => {
    const state = dataState(db);
    const settings = loadSettings(db);
    const table = loadTable(db);
    onStage?.('matching', table.length);
    const run = reconcileTable(table, settings, loadManualLinks(db));
    // Only the records that mismatches name are read whole.
    const named = [...new Set(run.findings.flatMap((f) => f.rows))].map((row) => table.id[row]!);
    const byId = recordsById(db, named);
    const mismatches = mismatchesOf(run.findings, (row) => byId.get(table.id[row]!)!);
    const pending = run.pending.map((row) => table.id[row]!);
    return {
      settings,
      state,
      table,
      run,
      // Built here, before anything is written: the command line builds them while the integrity
      // check that must pass before the save is still running.
      lines: buildReviewLines(
        { table, counterpart: run.counterpart },
        new Set(mismatches.flatMap((m) => m.records.map((r) => r.id))),
        new Set(pending),
      ),
      result: {
        mismatches,
        matched: run.pairOrder.length,
        summary: summaryOf(mismatches),
        records: table.length,
        pending,
      },
    };
  })();
}

/**
 * Reconciles everything stored and records the outcome: new mismatches open, known ones keep the
 * status and notes users gave them, and open ones the data no longer shows are closed with the
 * reason. One transaction: a run is recorded whole or not at all.
 */
export function runReconcile(
  db: Db,
  onStage?: (stage: ReconcileStage, records?: number) => void,
): RunSummary {
  return saveReconcile(db, reconcileStored(db, onStage), onStage);
}

/** The saving half of runReconcile, for a caller that waits between the two halves (the command
 *  line lets the integrity check finish before anything is written). */
export function saveReconcile(
  db: Db,
  { result, state, lines }: Reconciled,
  onStage?: (stage: ReconcileStage, records?: number) => void,
): RunSummary {
  onStage?.('saving', result.records);
  const now = localNow();
  const existing = new Map(
    (db.prepare('SELECT id, status FROM mismatches').all() as Array<{ id: string; status: CaseStatus }>).map(
      (r) => [r.id, r.status],
    ),
  );
  const upsert = db.prepare(
    `INSERT INTO mismatches (id, kind, subkind, status, expected_fen, actual_fen, difference_fen, record_ids,
       explanation_zh, explanation_en, first_seen, last_seen)
     VALUES (@id, @kind, @subkind, 'open', @expected, @actual, @difference, @records, @zh, @en, @now, @now)
     ON CONFLICT(id) DO UPDATE SET expected_fen = @expected, actual_fen = @actual, difference_fen = @difference,
       record_ids = @records, explanation_zh = @zh, explanation_en = @en, last_seen = @now,
       status = CASE status WHEN 'closed' THEN 'open' ELSE status END,
       closed_reason_zh = CASE status WHEN 'closed' THEN NULL ELSE closed_reason_zh END,
       closed_reason_en = CASE status WHEN 'closed' THEN NULL ELSE closed_reason_en END,
       closed_at = CASE status WHEN 'closed' THEN NULL ELSE closed_at END`,
  );
  const close = db.prepare(
    `UPDATE mismatches SET status = 'closed', closed_reason_zh = ?, closed_reason_en = ?, closed_at = ? WHERE id = ?`,
  );
  let opened = 0;
  let closed = 0;
  // A run rewrites its review lines, which hold its matches too: as a bulk write, their new pages
  // are written once instead of into the WAL and again at the checkpoint (save 4.1 → 3.3 s on two
  // million records, with the lines and matches then still rows, by hand).
  const endBulkWrite = beginBulkWrite(db);
  try {
    db.transaction(() => {
      const seen = new Set<string>();
      for (const m of result.mismatches) {
        seen.add(m.id);
        if (!existing.has(m.id)) opened++;
        upsert.run({
          id: m.id,
          kind: m.kind,
          subkind: m.subkind,
          expected: m.expectedFen,
          actual: m.actualFen,
          difference: m.differenceFen,
          records: JSON.stringify(m.records.map((r) => r.id)),
          zh: m.explanation.zh,
          en: m.explanation.en,
          now,
        });
      }
      const explained = [...existing]
        .filter(([id, status]) => !seen.has(id) && UNDECIDED_STATUSES.has(status))
        .map(([id]) => id);
      for (const id of explained) close.run(CLOSED_BY_DATA.zh, CLOSED_BY_DATA.en, now, id);
      recordClosedByData(db, explained, now);
      closed = explained.length;
      saveReviewLines(db, lines);
      saveSetting(db, 'reconciledState', state);
    })();
  } finally {
    endBulkWrite();
  }
  return { ...result, opened, closed };
}

/** Stored mismatches with their records, newest problems first within each kind. */
export function listMismatches(
  db: Db,
  filter: { kind?: MismatchKind; status?: CaseStatus; ids?: readonly string[] } = {},
): StoredMismatch[] {
  const rows = db
    .prepare(
      `SELECT * FROM mismatches WHERE (@kind IS NULL OR kind = @kind) AND (@status IS NULL OR status = @status)
         AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))
       ORDER BY kind, first_seen DESC, id`,
    )
    .all({
      kind: filter.kind ?? null,
      status: filter.status ?? null,
      ids: filter.ids ? JSON.stringify(filter.ids) : null,
    }) as Array<Record<string, unknown>>;
  const ids = new Set<number>();
  for (const row of rows) for (const id of JSON.parse(row.record_ids as string) as number[]) ids.add(id);
  const records = recordsById(db, [...ids]);
  return rows.map((row) => ({
    id: row.id as string,
    kind: row.kind as MismatchKind,
    subkind: (row.subkind as string | null) ?? null,
    status: row.status as CaseStatus,
    expectedFen: row.expected_fen as number | null,
    actualFen: row.actual_fen as number | null,
    differenceFen: row.difference_fen as number | null,
    // Records removed by undoing an import drop out of the list rather than break it.
    records: (JSON.parse(row.record_ids as string) as number[]).flatMap((id) => records.get(id) ?? []),
    explanation: { zh: row.explanation_zh as string, en: row.explanation_en as string },
    note: (row.note as string | null) ?? null,
    firstSeen: row.first_seen as string,
    lastSeen: row.last_seen as string,
    closedReason:
      row.closed_reason_zh === null
        ? null
        : { zh: row.closed_reason_zh as string, en: row.closed_reason_en as string },
    ticketNo: (row.ticket_no as string | null) ?? null,
    ticketDate: (row.ticket_date as string | null) ?? null,
    recoveredFen: (row.recovered_fen as number | null) ?? null,
    dismissReason: (row.dismiss_reason as string | null) ?? null,
  }));
}

/** Records a user's decision that two records are, or are not, the same transaction. */
export function setManualLink(
  db: Db,
  terminal: ReconRecord,
  settlement: ReconRecord,
  action: 'match' | 'unmatch',
): void {
  db.prepare(
    `INSERT INTO manual_links (terminal_fp, settlement_fp, action, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (terminal_fp, settlement_fp) DO UPDATE SET action = excluded.action, created_at = excluded.created_at`,
  ).run(terminal.fp, settlement.fp, action, localNow());
}

/** What the stored reconcile results depend on: imports, manual links and settings. */
function dataState(db: Db): string {
  const row = db
    .prepare(
      `SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM imports) AS imports,
              (SELECT count(*) || ':' || coalesce(max(created_at), '') FROM manual_links) AS links,
              (SELECT coalesce(max(updated_at), '') FROM settings WHERE key <> 'reconciledState') AS settings`,
    )
    .get() as { imports: string; links: string; settings: string };
  return `${row.imports}|${row.links}|${row.settings}`;
}

/** Reconciles only when something it depends on changed since the last run; returns that run,
 *  or null when the stored results were current. */
export function ensureReconciled(
  db: Db,
  onStage?: (stage: ReconcileStage, records?: number) => void,
): Reconciled | null {
  const stored = db.prepare("SELECT value_json FROM settings WHERE key = 'reconciledState'").get() as
    | { value_json: string }
    | undefined;
  if (stored && JSON.parse(stored.value_json) === dataState(db)) return null;
  const reconciled = reconcileStored(db, onStage);
  saveReconcile(db, reconciled, onStage);
  return reconciled;
}

/** The record matched with this one in the latest run, if any. */
export function counterpartOf(db: Db, recordId: number): number | undefined {
  return matchedRecords(db).get(recordId);
}

/** The stored mismatches with these ids, in the order given (it decides a bundle's name and its
 *  report's order), and the ids that name none. */
export function mismatchesInOrder(
  db: Db,
  ids: readonly string[],
): { found: StoredMismatch[]; unknown: string[] } {
  const wanted = [...new Set(ids)];
  const found = listMismatches(db, { ids: wanted });
  found.sort((a, b) => wanted.indexOf(a.id) - wanted.indexOf(b.id));
  return { found, unknown: wanted.filter((id) => !found.some((m) => m.id === id)) };
}

/** A terminal record and a settlement record by id, for a manual link; null unless the ids name
 *  one of each. */
export function linkablePair(
  db: Db,
  terminalId: number,
  settlementId: number,
): { terminal: ReconRecord; settlement: ReconRecord } | null {
  const records = loadRecords(db, {
    sql: 'r.id IN (:t, :s)',
    params: { t: terminalId, s: settlementId },
  });
  const terminal = records.find((r) => r.id === terminalId && r.source === 'terminal');
  const settlement = records.find((r) => r.id === settlementId && r.source === 'settlement');
  return terminal && settlement ? { terminal, settlement } : null;
}
