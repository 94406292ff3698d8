import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/engine/store/database';
import { fingerprint, wallSeconds } from '../../../../electron/engine/store/fingerprint';
import {
  cellsOfRow,
  decodeCells,
  encodeCells,
  FIELD_COLUMNS,
  INSERT_COLUMNS,
  PARAM,
  type PackedRows,
  putParams,
  putRunParams,
  ROW_VALUES,
  RUN_ROW_VALUES,
  RUN_STRIDE,
  recordFromStored,
  rowContent,
  STORED_SELECT,
  STRIDE,
  type StoredContent,
} from '../../../../electron/engine/store/record-columns';
import type { NormalizedRecord } from '../../../../shared/records';
import { packRows } from '../../../helpers/records';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

/** Every row of a packed batch as insert parameters, appended to out. */
function appendParams(out: unknown[], packed: PackedRows, importId: number): void {
  for (let i = 0; i < packed.count; i++) putParams(out, out.length, packed, i, importId);
}

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

let databases = 0;
/** A new database with one import (id 1) for records to belong to. */
function withImport() {
  const db = openDatabase(join(tmp(), `r${++databases}.sqlite`));
  db.prepare("INSERT INTO files (sha256, size, stored_name) VALUES ('x', 1, 'x')").run();
  db.prepare(
    "INSERT INTO imports (id, file_name, file_sha256, source, header_row, columns_json, rows_read, rows_stored, rows_overlap, rows_footer, rows_rejected, imported_at) VALUES (1, 'a.csv', 'x', 'terminal', 1, '{}', 0, 0, 0, 0, 0, '2026-11-05 12:00:00')",
  ).run();
  return db;
}

/** Stores records the way an import does and reads them back through the records view. */
function storeAndRead(
  items: Array<{ row: number; raw: string[]; plain?: string; record: NormalizedRecord }>,
  refAt?: readonly number[],
  written: Array<{ at: number; raw: string }> = [],
) {
  const db = withImport();
  const params: unknown[] = [];
  appendParams(params, packRows(items, refAt), 1);
  // Cells as an earlier version wrote them.
  for (const { at, raw } of written) params[at * STRIDE + PARAM.raw] = Buffer.from(raw);
  expect(params).toHaveLength(STRIDE * items.length);
  // Rows of one record: the import's writer gives each a later occurrence's fingerprint
  // (imports.test); here they are told apart by hand.
  for (let i = 1; i < items.length; i++) params[i * STRIDE + PARAM.fp] = (params[PARAM.fp] as number) + i;
  const insert = db.prepare(`INSERT INTO record_rows (${INSERT_COLUMNS.join(',')}) VALUES ${ROW_VALUES}`);
  for (let i = 0; i < items.length; i++) insert.run(params.slice(i * STRIDE, (i + 1) * STRIDE));
  const rows = db
    .prepare('SELECT r.*, h.raw_cells FROM records r JOIN records_readable h ON h.id = r.id ORDER BY r.id')
    .all() as Array<StoredContent & { raw: unknown } & Record<string, unknown>>;
  const read = db
    .prepare(`SELECT ${STORED_SELECT} FROM record_rows r ORDER BY r.id`)
    .raw(true)
    .all() as unknown[][];
  db.close();
  return rows.map((row, i) =>
    Object.assign(row, { record: recordFromStored(read[i]!, { file_name: 'a.csv', sheet: null }) }),
  );
}

describe('record columns', () => {
  it('stores a run of packed rows, bound as one range of bytes, as row-by-row inserts store them', () => {
    const items = [0, 1, 2, 3, 4].map((k) => ({
      row: 2 + k,
      raw: [record.txnTime!, `格子 ${k}`, k % 2 === 0 ? '' : '"引号", 逗号'],
      record: { ...record, rrn: `00001234567${k}`, merchantName: k === 3 ? null : `示例便利店 ${k}` },
    }));
    const packed = packRows(items, [0]);
    const head = `INSERT INTO record_rows (${INSERT_COLUMNS.join(',')}) VALUES `;
    const STORED =
      'SELECT row_no, fp, codes, amount_fen, fee_fen, net_fen, f, raw FROM record_rows ORDER BY id';
    // Rows 1..3: a run that starts inside the batch's bytes and ends before their end.
    const single = withImport();
    const insertOne = single.prepare(head + ROW_VALUES);
    for (let i = 1; i <= 3; i++) {
      const params: unknown[] = [];
      putParams(params, 0, packed, i, 1);
      insertOne.run(params);
    }
    const run = withImport();
    const params: unknown[] = [];
    const start = packed.ends[1]!;
    for (let i = 1; i <= 3; i++) putRunParams(params, (i - 1) * RUN_STRIDE, packed, i, start);
    expect(params).toHaveLength(3 * RUN_STRIDE);
    run
      .prepare(head + [1, 2, 3].map(() => RUN_ROW_VALUES).join(','))
      .run(...params, { importId: 1, bytes: packed.bytes.subarray(start, packed.ends[7]!) });
    const stored = single.prepare(STORED).raw().all();
    expect(stored).toHaveLength(3);
    expect(run.prepare(STORED).raw().all()).toEqual(stored);
    single.close();
    run.close();
  });

  it('stores every field so that the row reads back as the same record, column by column and whole', () => {
    const raw = ['2026-11-05 23:40:01', '"引号", 逗号', ''];
    const [row] = storeAndRead([{ row: 17, raw, record }]);
    expect(row).toMatchObject({
      import_id: 1,
      row_no: 17,
      source: 1,
      card_type: 2,
      txn_type: 2,
      status: 2,
      amount_fen: 12345,
      flags: 'rrn_truncated,order_truncated',
    });
    // The view's column for each field holds that field: its positions match FIELD_COLUMNS.
    for (const [column, key] of FIELD_COLUMNS) {
      if (key !== 'flags') expect(row![column], column).toEqual(record[key]);
    }
    expect(typeof row!.fp).toBe('number');
    expect(row!.record).toEqual({
      ...record,
      id: 1,
      fp: row!.fp,
      file: 'a.csv',
      sheet: null,
      row: 17,
      ts: wallSeconds(record.txnTime),
    });
    expect(cellsOfRow(row!)).toEqual(raw);
  });

  it('reads back every stored form of the cells, as the cells and as readable text', () => {
    const rows = storeAndRead(
      [
        { row: 2, raw: ['a', '', '交易'], record },
        { row: 3, raw: ['x\u001fy', 'z'], record },
        { row: 4, raw: ['a', 'b', 'c'], record },
      ],
      undefined,
      // A text line as versions before migration 13 stored it.
      [{ at: 2, raw: '\u001d,a,b,c' }],
    );
    expect(rows.map((r) => cellsOfRow(r))).toEqual([
      ['a', '', '交易'],
      ['x\u001fy', 'z'],
      ['a', 'b', 'c'],
    ]);
    expect(rows.map((r) => r.raw_cells)).toEqual(['a |  | 交易', 'x\u001fy | z', 'a | b | c']);
  });

  it('stores the cells that hold fields as references to them, and reads every cell back exactly', () => {
    // Cells 0, 2 and 3 were read as the time, the terminal and the RRN (positions in FIELD_COLUMNS).
    const position = (key: string) => FIELD_COLUMNS.findIndex(([, k]) => k === key);
    const refAt = [position('txnTime'), -1, position('terminalNo'), position('rrn')];
    const line = [record.txnTime!, '贷记卡', record.terminalNo!, record.rrn!, '123.45', '', '𠀀字'];
    const rows = storeAndRead(
      [
        // A text line split at its commas.
        { row: 2, raw: line, plain: ',', record },
        // A workbook row, joined by U+001F; its RRN cell is not the field as stored (spaces).
        { row: 3, raw: [line[0]!, 'x,y', line[2]!, ` ${record.rrn} `], record },
        // A cell that is a reference's own character, and one holding U+001F: stored whole.
        { row: 4, raw: [line[0]!, '\u0082', line[2]!], plain: ',', record },
        { row: 5, raw: [line[0]!, 'a\u001fb', line[2]!], record },
      ],
      refAt,
    );
    expect(rows.map((r) => cellsOfRow(r))).toEqual([
      line,
      [line[0], 'x,y', line[2], ` ${record.rrn} `],
      [line[0], '\u0082', line[2]],
      [line[0], 'a\u001fb', line[2]],
    ]);
    expect(rows.map((r) => r.raw_cells)).toEqual([
      line.join(' | '),
      [line[0], 'x,y', line[2], ` ${record.rrn} `].join(' | '),
      [line[0], '\u0082', line[2]].join(' | '),
      [line[0], 'a\u001fb', line[2]].join(' | '),
    ]);
    // The fields' cells take a character each: the line adds only what the fields do not say.
    expect(rows[0]!.raw).toBe('\u001c,\u0080,贷记卡,\u0083,\u0086,123.45,,𠀀字');
    expect(rows[1]!.raw).toBe(`\u001c\u001f\u0080\u001fx,y\u001f\u0083\u001f ${record.rrn} `);
  });

  it('leaves trailing empty fields out and reads them back as empty', () => {
    const empty = {
      ...record,
      clearDate: null,
      merchantName: null,
      authCode: null,
      origRrn: null,
      origTrace: null,
      orderNo: null,
      origOrderNo: null,
      channelTxnNo: null,
      counterparty: null,
      counterpartyAccount: null,
      summary: null,
      balanceFen: null,
      flags: [],
    };
    const [row] = storeAndRead([{ row: 2, raw: [], record: empty }]);
    expect(JSON.parse(row!.f)).toHaveLength(9);
    expect(row!.summary).toBeNull();
    expect(row!.record).toMatchObject(empty);
  });

  it('fingerprints the same content alike in any file, and finds the hash again from the parameters', () => {
    const a: unknown[] = [];
    appendParams(a, packRows([{ row: 2, raw: ['x'], record }]), 1);
    const b: unknown[] = [];
    appendParams(b, packRows([{ row: 9, raw: ['y'], record }]), 2);
    expect(b[PARAM.fp]).toBe(a[PARAM.fp]);
    const fee: unknown[] = [];
    appendParams(fee, packRows([{ row: 2, raw: ['x'], record: { ...record, feeFen: 75 } }]), 3);
    expect(fee[PARAM.fp]).not.toBe(a[PARAM.fp]);
    // What the inserting side finds again for a later occurrence is what the packer hashed as it
    // wrote: with escapes, characters outside the BMP, no time and no amounts too.
    const odd = [
      record,
      { ...record, merchantName: '引号"、反斜杠\\、换行\n、控制\u0001、𠀀字', summary: '\ud800' },
      { ...record, txnTime: null, amountFen: null, feeFen: null, netFen: null },
    ];
    const params: unknown[] = [];
    appendParams(params, packRows(odd.map((r, k) => ({ row: k + 2, raw: ['x'], record: r }))), 1);
    odd.forEach((r, k) => {
      const { hash, seconds } = rowContent(params, k * STRIDE);
      expect(seconds).toBe(wallSeconds(r.txnTime));
      expect(fingerprint(seconds, hash)).toBe(params[k * STRIDE + PARAM.fp]);
    });
  });

  it('stores cells compactly and reads back any cell text exactly, separators included', () => {
    for (const cells of [['a', '', '交易'], [''], ['x\u001fy', 'z'], ['\u001e[1]', 'q'], ['"', '\\', '\n']]) {
      expect(decodeCells(encodeCells(cells), '[]')).toEqual(cells);
    }
    expect(encodeCells(['a', 'b'])).toBe('a\u001fb');
  });
});
