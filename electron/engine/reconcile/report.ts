import type { StoredMismatch } from './cases';
import type { ReconRecord } from './types';

/** The stable JSON shape of a mismatch (`posrecon mismatches --json`): scripts depend on it. */
export function mismatchJson(m: StoredMismatch) {
  return {
    id: m.id,
    kind: m.kind,
    subkind: m.subkind,
    status: m.status,
    note: m.note,
    closedReason: m.closedReason,
    expectedFen: m.expectedFen,
    actualFen: m.actualFen,
    differenceFen: m.differenceFen,
    records: m.records.map((r) => ({
      id: r.id,
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

/** A record as `posrecon search --json` shows it: provenance and the fields people ask about. */
export function recordJson(r: ReconRecord) {
  return {
    id: r.id,
    source: r.source,
    file: r.file,
    sheet: r.sheet,
    row: r.row,
    time: r.txnTime,
    terminalNo: r.terminalNo,
    cardNo: r.cardNo,
    cardLast4: r.cardLast4,
    amountFen: r.amountFen,
    feeFen: r.feeFen,
    rrn: r.rrn,
    trace: r.trace,
    batch: r.batch,
    txnType: r.txnType,
    status: r.status,
  };
}
