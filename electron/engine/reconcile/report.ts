import type { Mismatch } from './types';

/** The stable JSON shape of a mismatch (`posrecon mismatches --json`): scripts depend on it. */
export function mismatchJson(m: Mismatch) {
  return {
    id: m.id,
    kind: m.kind,
    subkind: m.subkind,
    // Case tracking (statuses that survive re-runs) is not built yet: every mismatch is open.
    status: 'open' as const,
    expectedFen: m.expectedFen,
    actualFen: m.actualFen,
    differenceFen: m.differenceFen,
    records: m.records.map((r) => ({
      source: r.source,
      file: r.file,
      sheet: r.sheet,
      row: r.row,
      rrn: r.rrn,
      amountFen: r.amountFen,
      time: r.txnTime,
    })),
    explanation: m.explanation,
  };
}
