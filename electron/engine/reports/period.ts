import type { CaseStatus } from '../../../shared/statuses';
import {
  ensureReconciled,
  listMismatches,
  loadManualLinks,
  type Reconciled,
  type StoredMismatch,
} from '../reconcile/cases';
import { loadTable, recordsById } from '../reconcile/load';
import { creditsAsRecords, reconcileTable } from '../reconcile/reconcile';
import type { ReconcileSettings } from '../reconcile/settings';
import { loadSettings } from '../reconcile/settings-store';
import type { CreditGroup } from '../reconcile/statement';
import { NONE } from '../reconcile/table';
import type { ReconRecord } from '../reconcile/types';
import type { Db } from '../store/database';
import { SOURCE } from '../store/record-columns';

// What the period reports (日结报表, 余额调节表) share: the records and the reconcile outcome for
// a range of days, and which mismatches still await a decision.

export interface Period {
  from: string;
  to: string;
}

export interface PeriodData {
  period: Period;
  settings: ReconcileSettings;
  /** The records of the period's days, every bank line, and the records of the period's credits. */
  records: ReconRecord[];
  /** Sales undone by a void or reversal (record ids), and the bank credits arriving in the period
   *  or paying for its days. */
  result: { voided: ReadonlySet<number>; credits: CreditGroup[] };
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
  // A run over the stored rows, as a reconcile makes it: the one that brings the stored results up
  // to date when one is needed. Only what the period's reports read is read whole (two million
  // records as objects took 1.6 GB and half a minute for one day's report, timed by hand).
  const made = ensureReconciled(db);
  return db.transaction(() => readPeriod(db, period, made))();
}

/** loadPeriod's reading, in one read transaction: the rows, the records read whole and the stored
 *  mismatches are one snapshot — `made`, a run read before it, only while every record it names is
 *  still there (another connection may have undone an import since). */
function readPeriod(db: Db, period: Period, made: Reconciled | null): PeriodData {
  const settings = made?.settings ?? loadSettings(db);
  const t = made?.table ?? loadTable(db);
  const run = made?.run ?? reconcileTable(t, settings, loadManualLinks(db));
  const wanted = new Set<number>();
  const dayInPeriod = new Map<number, boolean>();
  for (let r = 0; r < t.length; r++) {
    // dayOf: the transaction's day, else the clearing date's.
    const day = t.date[r] !== NONE ? t.date[r]! : t.clearDate[r]!;
    let inside = dayInPeriod.get(day);
    if (inside === undefined) {
      inside = day !== NONE && inPeriod(t.texts[day]!.slice(0, 10), period);
      dayInPeriod.set(day, inside);
    }
    if (inside || t.source[r] === SOURCE.statement) wanted.add(r);
  }
  const groups = run.credits.filter(
    (g) => inPeriod(g.arrival, period) || g.days.some((d) => inPeriod(d, period)),
  );
  for (const g of groups) {
    for (const r of g.credits) wanted.add(r);
    for (const p of g.parts) wanted.add(p.record);
  }
  const byId = recordsById(
    db,
    [...wanted].map((r) => t.id[r]!),
  );
  if (made && byId.size < wanted.size) return readPeriod(db, period, null);
  const recordOf = (row: number) => byId.get(t.id[row]!)!;
  // The reports ask only of the records they read.
  const voided = new Set<number>();
  for (const r of wanted) if (run.voided[r] === 1) voided.add(t.id[r]!);
  return {
    period,
    settings,
    records: [...wanted].sort((a, b) => a - b).map(recordOf),
    result: { voided, credits: creditsAsRecords(groups, recordOf) },
    mismatches: storedInPeriod(db, period),
  };
}
