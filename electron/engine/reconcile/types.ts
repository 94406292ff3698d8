import type { MismatchKind } from '../../../shared/mismatches';
import type { Bilingual } from '../../../shared/records';
import type { StoredRecord } from '../store/record-columns';

/** A stored record as the reconciliation sees it: the normalised fields plus where it came from. */
export type ReconRecord = StoredRecord;

export interface Mismatch {
  /** Stable across re-runs for the same underlying records. */
  id: string;
  kind: MismatchKind;
  subkind: string | null;
  expectedFen: number | null;
  actualFen: number | null;
  differenceFen: number | null;
  records: ReconRecord[];
  explanation: Bilingual;
}

/** A mismatch as the rules find it, over table rows: its records are fetched in full afterwards,
 *  only for the mismatches found, and then explain it. */
export interface Finding {
  kind: MismatchKind;
  subkind: string | null;
  rows: number[];
  expectedFen: number | null;
  actualFen: number | null;
  /** The explanation, given the records of `rows` in that order. */
  explain: (records: readonly ReconRecord[]) => Bilingual;
}
