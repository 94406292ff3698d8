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
  matching: Matching;
  credits: CreditGroup[];
}

/** Terminal record ↔ settlement record pairs, and what each void/refund undoes, by record id. */
export interface Matching {
  terminalToSettlement: Map<number, number>;
  settlementToTerminal: Map<number, number>;
  /** reversing record id (void, refund, reversal) → original sale id, per source */
  reverses: Map<number, number>;
  /** sale id → the records that reverse it */
  reversedBy: Map<number, ReconRecord[]>;
  /** Sales undone by a void or an automatic reversal (not a refund): never settled. */
  voided: Set<number>;
}

export function reconcile(
  records: readonly ReconRecord[],
  settings: ReconcileSettings = DEFAULT_SETTINGS,
  manual: ManualLinks = { matched: [], unmatched: [] },
): ReconcileResult {
  const run = reconcileTable(tableOf(records), settings, manual);
  const recordOf = (row: number) => records[row]!;
  const idOf = (row: number) => records[row]!.id;
  const terminalToSettlement = new Map<number, number>();
  const settlementToTerminal = new Map<number, number>();
  for (const r of run.pairOrder) {
    const s = run.counterpart[r]!;
    terminalToSettlement.set(idOf(r), idOf(s));
    settlementToTerminal.set(idOf(s), idOf(r));
  }
  const reverses = new Map([...run.reverses].map(([reversal, sale]) => [idOf(reversal), idOf(sale)]));
  const reversedBy = new Map([...run.reversedBy].map(([sale, undo]) => [idOf(sale), undo.map(recordOf)]));
  const voided = new Set<number>();
  for (let r = 0; r < records.length; r++) if (run.voided[r] === 1) voided.add(idOf(r));
  const mismatches = mismatchesOf(run.findings, recordOf);
  return {
    mismatches,
    matched: run.pairOrder.length,
    summary: summaryOf(mismatches),
    pending: run.pending.map(recordOf),
    matching: { terminalToSettlement, settlementToTerminal, reverses, reversedBy, voided },
    credits: creditsAsRecords(run.credits, recordOf),
  };
}
