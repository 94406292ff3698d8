import type { NormalizedRecord } from '../../../shared/records';
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
  private readonly encoder = new TextEncoder();

  pack(items: ReadonlyArray<{ row: number; raw: readonly string[]; record: NormalizedRecord }>): PackedRows {
    const values: unknown[] = new Array(items.length * STRIDE);
    const spans = new Int32Array(items.length * 4);
    const texts: string[] = [];
    let size = 0;
    items.forEach(({ row, raw, record }, i) => {
      const base = i * STRIDE;
      values[base] = null;
      values[base + 1] = row;
      let k = base + FIRST_FIELD;
      for (const [, field] of COLUMN_FIELDS) values[k++] = record[field];
      values[k++] = record.flags.length > 0 ? record.flags.join(',') : null;
      const extra = extraJson(record);
      const key = contentKey(values, base, extra);
      const h = hash53(key);
      const occ = this.occurrences.get(h) ?? 0;
      this.occurrences.set(h, occ + 1);
      values[base + 2] = fingerprint(record.txnTime, key, occ);
      if (extra !== null) texts.push(extra);
      texts.push(JSON.stringify(raw));
    });
    // Encode all JSON texts of the batch into one buffer, so it can be transferred, not copied.
    for (const t of texts) size += t.length * 3;
    const bytes = new Uint8Array(size);
    let at = 0;
    let ti = 0;
    items.forEach(({ record }, i) => {
      if (hasExtra(record)) {
        const { written } = this.encoder.encodeInto(texts[ti++]!, bytes.subarray(at));
        spans[i * 4] = at;
        spans[i * 4 + 1] = written;
        at += written;
      } else {
        spans[i * 4 + 1] = -1;
      }
      const { written } = this.encoder.encodeInto(texts[ti++]!, bytes.subarray(at));
      spans[i * 4 + 2] = at;
      spans[i * 4 + 3] = written;
      at += written;
    });
    return { count: items.length, values, bytes: bytes.subarray(0, at), spans };
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
  for (const [col, key] of COLUMN_FIELDS) r[key] = row[col] ?? null;
  const extra =
    row.extra instanceof Uint8Array ? (JSON.parse(Buffer.from(row.extra).toString('utf8')) as Record<string, unknown>) : {};
  for (const f of EXTRA_FIELDS) r[f] = extra[f] ?? null;
  r.flags = typeof row.flags === 'string' && row.flags !== '' ? row.flags.split(',') : [];
  const raw = row.raw instanceof Uint8Array ? (JSON.parse(Buffer.from(row.raw).toString('utf8')) as string[]) : [];
  return { record: r as unknown as NormalizedRecord, raw };
}
