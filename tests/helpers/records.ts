import type { ParseBatch, StoreBatch } from '../../electron/engine/store/imports';
import { type PackedRows, RowPacker } from '../../electron/engine/store/record-columns';
import type { NormalizedRecord } from '../../shared/records';

/** A successful debit card sale on terminal 12345678, with any field overridden. */
export function normalizedSale(overrides: Partial<NormalizedRecord> = {}): NormalizedRecord {
  return {
    source: 'terminal',
    txnTime: '2026-11-05 10:00:00',
    clearDate: null,
    merchantNo: '898310058120001',
    merchantName: null,
    terminalNo: '12345678',
    cardNo: '622202******1234',
    cardLast4: '1234',
    cardType: 'debit',
    txnType: 'sale',
    status: 'success',
    amountFen: 10_000,
    feeFen: null,
    netFen: null,
    rrn: null,
    trace: null,
    batch: '000001',
    authCode: null,
    orderNo: null,
    channelTxnNo: null,
    origRrn: null,
    origTrace: null,
    origOrderNo: null,
    counterparty: null,
    counterpartyAccount: null,
    summary: null,
    balanceFen: null,
    flags: [],
    ...overrides,
  };
}

type PackItems = ReadonlyArray<{
  row: number;
  raw: readonly string[];
  /** The delimiter of a text line without quotes (RawRow.plain). */
  plain?: string;
  record: NormalizedRecord;
}>;

/** Packs records for the store as an import's parsing thread does; `refAt` gives by cell the
 *  position of the field read from it (RowPacker). */
export function packRows(items: PackItems, refAt?: readonly number[]): PackedRows {
  return packWith(new RowPacker(refAt), items);
}

function packWith(packer: RowPacker, items: PackItems): PackedRows {
  for (const { row, raw, plain, record } of items) packer.add(row, raw, plain, record);
  return packer.take();
}

/** Parsed batches as the store takes them, packed as a parsing thread does: by one packer, whose
 *  bytes a batch shares until the next batch is asked for. */
export function* packBatches(batches: Iterable<ParseBatch>): Generator<StoreBatch> {
  const packer = new RowPacker();
  for (const b of batches) {
    const flagged = b.records
      .filter((r) => r.record.flags.length > 0)
      .map((r) => ({ row: r.row, flags: r.record.flags }));
    yield {
      packed: packWith(packer, b.records),
      rejects: b.rejects,
      flagged,
      flaggedCount: flagged.length,
      rowsRead: b.rowsRead,
      footerRows: b.footerRows,
    };
  }
}
