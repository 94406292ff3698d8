import type { CaseStatus } from '../../../shared/statuses';
import { ensureReconciled, listMismatches, loadManualLinks, type StoredMismatch } from '../reconcile/cases';
import { loadRecords } from '../reconcile/load';
import type { ReconcileResult } from '../reconcile/reconcile';
import { reconcile } from '../reconcile/reconcile';
import type { ReconcileSettings } from '../reconcile/settings';
import { loadSettings } from '../reconcile/settings-store';
import type { ReconRecord } from '../reconcile/types';
import type { Db } from '../store/database';

// What the period reports (日结报表, 余额调节表) share: the records and the reconcile outcome for
// a range of days, and which mismatches still await a decision.

export interface Period {
  from: string;
  to: string;
}

export interface PeriodData {
  period: Period;
  settings: ReconcileSettings;
  records: ReconRecord[];
  result: ReconcileResult;
  mismatches: StoredMismatch[];
}

/** Statuses whose money is still outstanding in a report. */
export const OUTSTANDING: ReadonlySet<CaseStatus> = new Set(['open', 'investigating', 'disputed']);

/** The trade day of a record: its transaction time's day (a bank line's 交易日期; its value day,
 *  clearDate, only when the line gives no other date). */
export const dayOf = (r: ReconRecord): string | null => (r.txnTime ?? r.clearDate)?.slice(0, 10) ?? null;

export const inPeriod = (day: string | null, p: Period): day is string =>
  day !== null && day >= p.from && day <= p.to;

/** The stored mismatches (with the user's statuses) touching the period's days, after making sure
 *  they reflect every import. */
export function periodMismatches(db: Db, period: Period): StoredMismatch[] {
  ensureReconciled(db);
  return storedInPeriod(db, period);
}

function storedInPeriod(db: Db, period: Period): StoredMismatch[] {
  return listMismatches(db).filter((m) => m.records.some((r) => inPeriod(dayOf(r), period)));
}

export function loadPeriod(db: Db, period: Period): PeriodData {
  ensureReconciled(db);
  // The reports want every record and what each was matched with: a run over records in memory.
  const settings = loadSettings(db);
  const records = loadRecords(db);
  const result = reconcile(records, settings, loadManualLinks(db));
  return { period, settings, records, result, mismatches: storedInPeriod(db, period) };
}
