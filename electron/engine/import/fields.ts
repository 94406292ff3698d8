// What the import knows about the canonical fields (listed in shared/fields.ts): identifier widths
// and column indexes.

import type { Field } from '../../../shared/fields';

export { FIELDS, type Field } from '../../../shared/fields';

/** Known widths of identifiers, used to restore the leading zeros Excel strips from numbers. */
export const IDENTIFIER_WIDTHS: Partial<Record<Field, number>> = {
  rrn: 12,
  origRrn: 12,
  trace: 6,
  origTrace: 6,
  batch: 6,
  authCode: 6,
  terminalNo: 8,
  merchantNo: 15,
};

/** A mapping from fields to 0-based column indexes of the header row. */
export type ColumnIndexes = Partial<Record<Field, number>>;
