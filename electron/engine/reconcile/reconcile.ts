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
  const terminal: ReconRecord[] = [];
  const settlement: ReconRecord[] = [];
  const statement: ReconRecord[] = [];
  for (const r of records) {
    if (r.source === 'terminal') terminal.push(r);
    else if (r.source === 'settlement') settlement.push(r);
    else statement.push(r);
  }
  const byId = indexById(records);

  // Fingerprint → record id, only for the records manual links name.
  const linked = new Set([...manual.matched, ...manual.unmatched].flat());
  const idOf = new Map(
    linked.size === 0
      ? []
      : records.filter((r) => linked.has(r.fp)).map((r) => [`${r.source}:${r.fp}`, r.id]),
  );
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
  // Loops rather than spreads into lists of pairs: these maps hold a million entries.
  const settlementToTerminal = new Map<number, number>();
  for (const [t, s] of terminalToSettlement) settlementToTerminal.set(s, t);
  const reverses = linkReversals(terminal);
  for (const [reversal, sale] of linkReversals(settlement)) reverses.set(reversal, sale);
  const reversedBy = new Map<number, ReconRecord[]>();
  const voided = new Set<number>();
  for (const [reversal, sale] of reverses) {
    const undo = byId.get(reversal)!;
    const list = reversedBy.get(sale);
    if (list) list.push(undo);
    else reversedBy.set(sale, [undo]);
    if (undo.txnType !== 'refund') voided.add(sale);
  }
  const matching: Matching = { terminalToSettlement, settlementToTerminal, reverses, reversedBy, voided };

  const ctx: RuleContext = {
    terminal,
    settlement,
    byId,
    matching,
    settings,
    terminalDates: datesOf(terminal, (r) => r.txnTime),
    settlementDates: datesOf(settlement, (r) => r.clearDate ?? r.txnTime),
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

/** The days (YYYY-MM-DD) that the records' dates or times fall on. Records come mostly in time
 *  order: a record on the day before it is passed over without cutting its day out. */
function datesOf(records: readonly ReconRecord[], when: (r: ReconRecord) => string | null): Set<string> {
  const days = new Set<string>();
  let last = '';
  for (const r of records) {
    const time = when(r);
    if (!time || (last.length === 10 && time.startsWith(last))) continue;
    last = time.slice(0, 10);
    days.add(last);
  }
  return days;
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
