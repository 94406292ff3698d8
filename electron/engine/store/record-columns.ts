import { CARD_TYPES, type NormalizedRecord, SOURCES, TXN_STATUSES, TXN_TYPES } from '../../../shared/records';
import { fingerprint, hash53 } from './fingerprint';


/** Record fields stored in their own column, in the order of the insert statement. */
const COLUMN_FIELDS = [
  ['source', 'source'],
  ['txn_time', 'txnTime'],
  ['clear_date', 'clearDate'],
  ['merchant_no', 'merchantNo'],
  ['terminal_no', 'terminalNo'],
  ['card_no', 'cardNo'],
  ['card_last4', 'cardLast4'],
  ['card_type', 'cardType'],
  ['txn_type', 'txnType'],
  ['status', 'status'],
  ['amount_fen', 'amountFen'],
  ['fee_fen', 'feeFen'],
  ['net_fen', 'netFen'],
  ['rrn', 'rrn'],
  ['trace', 'trace'],
  ['batch', 'batch'],
  ['order_no', 'orderNo'],
  ['orig_rrn', 'origRrn'],
  ['orig_trace', 'origTrace'],
  ['orig_order_no', 'origOrderNo'],
] as const satisfies ReadonlyArray<readonly [string, keyof NormalizedRecord]>;

/** Vocabulary fields, stored as their index in these lists (see the records migration). */
const CODES: Partial<Record<keyof NormalizedRecord, readonly string[]>> = {
  source: SOURCES,
  cardType: CARD_TYPES,
  txnType: TXN_TYPES,
  status: TXN_STATUSES,
};
const CODE_INDEX = new Map(
  Object.entries(CODES).map(([field, words]) => [field, new Map(words.map((w, i) => [w, i]))] as const),
);

const COLUMN_KEYS = COLUMN_FIELDS.map(([, key]) => key);
const COLUMN_CODES = COLUMN_KEYS.map((key) => CODE_INDEX.get(key));

/** Free-text and rarely queried fields, kept together as JSON in the `extra` column. */
const EXTRA_FIELDS = [
  'merchantName',
  'authCode',
  'channelTxnNo',
  'counterparty',
  'counterpartyAccount',
  'summary',
  'balanceFen',
] as const satisfies ReadonlyArray<keyof NormalizedRecord>;

/** The insert statement's columns. Slot 0 (import_id) is filled in by the inserting thread. */
export const INSERT_COLUMNS = [
  'import_id',
  'row_no',
  'fp',
  ...COLUMN_FIELDS.map(([col]) => col),
  'flags',
  'extra',
  'raw',
] as const;
export const STRIDE = INSERT_COLUMNS.length;
const FIRST_FIELD = 3;
export const EXTRA_SLOT = STRIDE - 2;
export const RAW_SLOT = STRIDE - 1;

/**
 * Rows ready for the insert statement, prepared on the parsing thread: `values` holds STRIDE
 * values per row; the extra/raw slots are filled from `bytes` (UTF-8 JSON) at `spans`
 * (offset, length pairs; length -1 for no extra) by the inserting thread.
 */
export interface PackedRows {
  count: number;
  values: unknown[];
  bytes: Uint8Array;
  spans: Int32Array;
}

/** Per-file state of the packer: how often each record content has been seen so far. */
export class RecordPacker {
  private readonly occurrences = new Map<number, number>();

  pack(items: ReadonlyArray<{ row: number; raw: readonly string[]; record: NormalizedRecord }>): PackedRows {
    const values: unknown[] = new Array(items.length * STRIDE);
    const spans = new Int32Array(items.length * 4);
    // All JSON texts of the batch go into one buffer, encoded in one call and transferred to the
    // inserting thread rather than copied; spans record where each row's texts lie.
    let text = '';
    let at = 0;
    for (let i = 0; i < items.length; i++) {
      const { row, raw, record } = items[i]!;
      const base = i * STRIDE;
      values[base] = null;
      values[base + 1] = row;
      for (let c = 0; c < COLUMN_KEYS.length; c++) {
        const v = record[COLUMN_KEYS[c]!];
        const codes = COLUMN_CODES[c];
        values[base + FIRST_FIELD + c] = codes ? codes.get(v as string) : v;
      }
      values[base + EXTRA_SLOT - 1] = record.flags.length > 0 ? record.flags.join(',') : null;
      const extra = extraJson(record);
      const key = contentKey(values, base, extra);
      const h = hash53(key);
      const occ = this.occurrences.get(h) ?? 0;
      this.occurrences.set(h, occ + 1);
      values[base + 2] = fingerprint(record.txnTime, occ === 0 ? h : hash53(key, occ));
      if (extra === null) spans[i * 4 + 1] = -1;
      else {
        const n = Buffer.byteLength(extra);
        spans[i * 4] = at;
        spans[i * 4 + 1] = n;
        at += n;
        text += extra;
      }
      const rawJson = JSON.stringify(raw);
      const n = Buffer.byteLength(rawJson);
      spans[i * 4 + 2] = at;
      spans[i * 4 + 3] = n;
      at += n;
      text += rawJson;
    }
    const bytes = new Uint8Array(at);
    Buffer.from(bytes.buffer, 0, at).write(text, 'utf8');
    return { count: items.length, values, bytes, spans };
  }
}

function hasExtra(r: NormalizedRecord): boolean {
  for (const f of EXTRA_FIELDS) if (r[f] !== null) return true;
  return false;
}

function extraJson(r: NormalizedRecord): string | null {
  if (!hasExtra(r)) return null;
  const o: Record<string, unknown> = {};
  for (const f of EXTRA_FIELDS) if (r[f] !== null) o[f] = r[f];
  return JSON.stringify(o);
}

/** The normalised content of a stored row as one string (provenance excluded): two exports of
 *  the same transaction give the same key whatever their layout, encoding or file. */
export function contentKey(values: ArrayLike<unknown>, base: number, extra: string | null): string {
  let key = '';
  for (let k = base + FIRST_FIELD; k < base + EXTRA_SLOT; k++) key += `${values[k] ?? ''}\u001f`;
  return key + (extra ?? '');
}

/** A stored row's content key, for comparing it with an incoming row. */
export function storedContentKey(row: Record<string, unknown>): string {
  const values = INSERT_COLUMNS.map((c) => row[c]);
  const extra = row.extra instanceof Uint8Array ? Buffer.from(row.extra).toString('utf8') : null;
  return contentKey(values, 0, extra);
}

/** The stored row back as a NormalizedRecord with its original cells. */
export function recordFromRow(row: Record<string, unknown>): { record: NormalizedRecord; raw: string[] } {
  const r: Record<string, unknown> = Object.create(null);
  for (const [col, key] of COLUMN_FIELDS) {
    const words = CODES[key];
    r[key] = words ? words[row[col] as number] : (row[col] ?? null);
  }
  const extra =
    row.extra instanceof Uint8Array ? (JSON.parse(Buffer.from(row.extra).toString('utf8')) as Record<string, unknown>) : {};
  for (const f of EXTRA_FIELDS) r[f] = extra[f] ?? null;
  r.flags = typeof row.flags === 'string' && row.flags !== '' ? row.flags.split(',') : [];
  const raw = row.raw instanceof Uint8Array ? (JSON.parse(Buffer.from(row.raw).toString('utf8')) as string[]) : [];
  return { record: r as unknown as NormalizedRecord, raw };
}
