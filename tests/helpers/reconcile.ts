import {
  creditsAsRecords,
  type ManualLinks,
  mismatchesOf,
  type ReconcileOutcome,
  reconcileTable,
  summaryOf,
} from '../../electron/engine/reconcile/reconcile';
import { DEFAULT_SETTINGS, type ReconcileSettings } from '../../electron/engine/reconcile/settings';
import type { CreditGroup } from '../../electron/engine/reconcile/statement';
import { tableOf } from '../../electron/engine/reconcile/table';
import type { ReconRecord } from '../../electron/engine/reconcile/types';

// The reconcile run over records held as objects, its results as those records: what the rule
// tests build records for and read back, through the same table and rules as a stored run.

export interface ReconcileResult extends ReconcileOutcome {
  /** Terminal sales whose clearing date the settlement files do not cover yet. */
  pending: ReconRecord[];
  /** Terminal record id → settlement record id, in the order they were paired. */
  terminalToSettlement: Map<number, number>;
  credits: CreditGroup[];
}

export function reconcile(
  records: readonly ReconRecord[],
  settings: ReconcileSettings = DEFAULT_SETTINGS,
  manual: ManualLinks = { matched: [], unmatched: [] },
): ReconcileResult {
  const run = reconcileTable(tableOf(records), settings, manual);
  const recordOf = (row: number) => records[row]!;
  const idOf = (row: number) => records[row]!.id;
  const terminalToSettlement = new Map(
    Array.from(run.pairOrder, (r) => [idOf(r), idOf(run.counterpart[r]!)]),
  );
  const mismatches = mismatchesOf(run.findings, recordOf);
  return {
    mismatches,
    matched: run.pairOrder.length,
    summary: summaryOf(mismatches),
    pending: run.pending.map(recordOf),
    terminalToSettlement,
    credits: creditsAsRecords(run.credits, recordOf),
  };
}
