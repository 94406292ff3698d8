import { describe, expect, it } from 'vitest';
import {
  appendParams,
  cellsOfRow,
  decodeCells,
  encodeCells,
  INSERT_COLUMNS,
  PARAM,
  RecordPacker,
  recordFromRow,
  STRIDE,
} from '../../../../electron/engine/store/record-columns';
import type { NormalizedRecord } from '../../../../shared/records';

const record: NormalizedRecord = {
  source: 'settlement',
  txnTime: '2026-11-05 23:40:01',
  clearDate: '2026-11-06',
  merchantNo: '898310058120001',
  merchantName: '示例便利店（人民路店）',
  terminalNo: '12345678',
  cardNo: '622202******1234',
  cardLast4: '1234',
  cardType: 'quasi_credit',
  txnType: 'refund',
  status: 'timeout',
  amountFen: 12345,
  feeFen: 74,
  netFen: 12271,
  rrn: '000012345678',
  trace: '000123',
  batch: '000007',
  authCode: 'A1B2C3',
  orderNo: 'PO20261105001',
  channelTxnNo: '4200001234202611050000000001',
  origRrn: '000012340000',
  origTrace: '000100',
  origOrderNo: 'PO20261104009',
  counterparty: '银联商务股份有限公司客户备付金',
  counterpartyAccount: '1001 2345 6789',
  summary: '退货 / 顾客要求',
  balanceFen: -50,
  flags: ['rrn_truncated', 'order_truncated'],
};

describe('RecordPacker', () => {
  it('packs every field so that the stored row reads back as the same record and cells', () => {
    const raw = ['2026-11-05 23:40:01', '"引号", 逗号', ''];
    const params: unknown[] = [];
    appendParams(params, new RecordPacker().pack([{ row: 17, raw, record }]), 5);
    expect(params).toHaveLength(STRIDE);
    const row: Record<string, unknown> = {};
    INSERT_COLUMNS.forEach((col, i) => {
      row[col] = params[i];
    });
    expect(row).toMatchObject({
      import_id: 5,
      row_no: 17,
      txn_time: '2026-11-05 23:40:01',
      rrn: '000012345678',
    });
    expect(typeof row.fp).toBe('number');
    expect(recordFromRow(row)).toEqual(record);
    expect(cellsOfRow(row)).toEqual(raw);
    const empty = {
      ...record,
      clearDate: null,
      merchantName: null,
      authCode: null,
      channelTxnNo: null,
      counterparty: null,
      counterpartyAccount: null,
      summary: null,
      balanceFen: null,
      flags: [],
    };
    const again: unknown[] = [];
    appendParams(again, new RecordPacker().pack([{ row: 2, raw: [], record: empty }]), 1);
    const row2: Record<string, unknown> = {};
    INSERT_COLUMNS.forEach((col, i) => {
      row2[col] = again[i];
    });
    expect(row2.extra).toBeNull();
    expect(recordFromRow(row2)).toEqual(empty);
  });

  it('gives identical rows of one file different fingerprints, and the same rows of two files the same', () => {
    const a: unknown[] = [];
    appendParams(
      a,
      new RecordPacker().pack([
        { row: 2, raw: ['x'], record },
        { row: 3, raw: ['x'], record },
      ]),
      1,
    );
    const b: unknown[] = [];
    appendParams(b, new RecordPacker().pack([{ row: 9, raw: ['y'], record }]), 2);
    expect(a[PARAM.fp]).not.toBe(a[STRIDE + PARAM.fp]);
    expect(b[PARAM.fp]).toBe(a[PARAM.fp]);
  });

  it('stores cells compactly and reads back any cell text exactly, separators included', () => {
    for (const cells of [['a', '', '交易'], [''], ['x\u001fy', 'z'], ['\u001e[1]', 'q'], ['"', '\\', '\n']]) {
      expect(decodeCells(encodeCells(cells))).toEqual(cells);
    }
    expect(encodeCells(['a', 'b'])).toBe('a\u001fb');
  });
});
