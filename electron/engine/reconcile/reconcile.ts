import { MISMATCH_KINDS, type MismatchKind } from '../../../shared/mismatches';
import { linkReversals } from './links';
import { type ManualPairs, matchTerminalToSettlement } from './match';
import {
  amountMismatches,
  chargedNotRecorded,
  duplicateCharges,
  feeMismatches,
  notSettled,
  type RuleContext,
  voidsNotReflected,
} from './rules';
import { DEFAULT_SETTINGS, type ReconcileSettings } from './settings';
import { type CreditGroup, creditGroups, settlementShortfalls } from './statement';
import type { Matching, Mismatch, ReconRecord } from './types';

export interface ReconcileResult {
  mismatches: Mismatch[];
  /** Terminal sales whose clearing date the settlement files do not cover yet. */
  pending: ReconRecord[];
  matched: number;
  matching: Matching;
  /** The acquirer's bank credits and the settled days each pays for (bank reconciliation). */
  credits: CreditGroup[];
  summary: Record<MismatchKind, { count: number; differenceFen: number }>;
}

/** Manual decisions as record fingerprints (stable across re-imports). */
export interface ManualLinks {
  matched: Array<[terminalFp: number, settlementFp: number]>;
  unmatched: Array<[terminalFp: number, settlementFp: number]>;
}

/**
 * Matches terminal records with settlement detail and bank statements and reports every mismatch.
 * Pure: the same records, settings and manual links always give the same mismatches and ids.
 */
export function reconcile(
  records: readonly ReconRecord[],
  settings: ReconcileSettings = DEFAULT_SETTINGS,
  manual: ManualLinks = { matched: [], unmatched: [] },
): ReconcileResult {
  const terminal = records.filter((r) => r.source === 'terminal');
  const settlement = records.filter((r) => r.source === 'settlement');
  const statement = records.filter((r) => r.source === 'statement');
  const byId = indexById(records);

  // Fingerprint → record id, only for the records manual links name.
  const linked = new Set([...manual.matched, ...manual.unmatched].flat());
  const idOf = new Map(records.filter((r) => linked.has(r.fp)).map((r) => [`${r.source}:${r.fp}`, r.id]));
  const ids = ([t, s]: [number, number]) => [idOf.get(`terminal:${t}`), idOf.get(`settlement:${s}`)] as const;
  const pairs: ManualPairs = { matched: [], unmatched: new Set() };
  for (const link of manual.matched) {
    const [t, s] = ids(link);
    if (t !== undefined && s !== undefined) pairs.matched.push([t, s]);
  }
  for (const link of manual.unmatched) {
    const [t, s] = ids(link);
    if (t !== undefined && s !== undefined) pairs.unmatched.add(`${t}|${s}`);
  }
  const terminalToSettlement = matchTerminalToSettlement(terminal, settlement, settings, pairs);
  const settlementToTerminal = new Map([...terminalToSettlement].map(([t, s]) => [s, t]));
  const reverses = new Map([...linkReversals(terminal), ...linkReversals(settlement)]);
  const reversedBy = new Map<number, ReconRecord[]>();
  for (const [reversal, sale] of reverses) {
    const list = reversedBy.get(sale) ?? [];
    list.push(byId.get(reversal)!);
    reversedBy.set(sale, list);
  }
  const voided = new Set(
    [...reversedBy].filter(([, undo]) => undo.some((r) => r.txnType !== 'refund')).map(([sale]) => sale),
  );
  const matching: Matching = { terminalToSettlement, settlementToTerminal, reverses, reversedBy, voided };

  const ctx: RuleContext = {
    terminal,
    settlement,
    byId,
    matching,
    settings,
    terminalDates: new Set(terminal.map((r) => r.txnTime?.slice(0, 10)).filter((d): d is string => !!d)),
    settlementDates: new Set(
      settlement.map((r) => r.clearDate ?? r.txnTime?.slice(0, 10)).filter((d): d is string => !!d),
    ),
  };
  const unsettled = notSettled(ctx);
  const credits = creditGroups({
    terminal,
    settlement,
    statement,
    voided,
    settings,
  });
  const mismatches = [
    ...duplicateCharges(ctx),
    ...chargedNotRecorded(ctx),
    ...unsettled.mismatches,
    ...amountMismatches(ctx),
    ...feeMismatches(ctx),
    ...voidsNotReflected(ctx),
    ...settlementShortfalls(credits),
  ];
  const summary = Object.fromEntries(
    MISMATCH_KINDS.map((k) => [k, { count: 0, differenceFen: 0 }]),
  ) as ReconcileResult['summary'];
  for (const m of mismatches) {
    summary[m.kind].count++;
    summary[m.kind].differenceFen += m.differenceFen ?? 0;
  }
  return {
    mismatches,
    pending: unsettled.pending,
    matched: terminalToSettlement.size,
    matching,
    credits,
    summary,
  };
}

/** Records by id: a dense array when ids are dense (they are database row ids), which takes a
 *  fraction of a Map's memory at millions of records; a Map otherwise. */
function indexById(records: readonly ReconRecord[]): { get(id: number): ReconRecord | undefined } {
  let max = 0;
  for (const r of records) if (r.id > max) max = r.id;
  if (max > records.length * 4 + 1024) return new Map(records.map((r) => [r.id, r]));
  const byId: ReconRecord[] = new Array(max + 1);
  for (const r of records) byId[r.id] = r;
  return { get: (id) => byId[id] };
}
