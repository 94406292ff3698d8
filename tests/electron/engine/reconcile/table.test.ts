import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../../../../electron/engine/reconcile/key-index';
import { loadRecords, loadTable } from '../../../../electron/engine/reconcile/load';
import { repeats } from '../../../../electron/engine/reconcile/match';
import { clearingDate, clearingDays } from '../../../../electron/engine/reconcile/rules';
import {
  keyText,
  NO_KEY,
  NONE,
  type RecordTable,
  rowsWhere,
  TableBuilder,
  tableColumns,
  tableOf,
  timeText,
} from '../../../../electron/engine/reconcile/table';
import {
  blockParts,
  LOADER,
  readBlock,
  sharedBlocks,
  WORKER,
} from '../../../../electron/engine/reconcile/table-part';
import { type Db, openDatabase } from '../../../../electron/engine/store/database';
import {
  INSERT_COLUMNS,
  putParams,
  ROW_VALUES,
  STRIDE,
} from '../../../../electron/engine/store/record-columns';
import type { NormalizedRecord } from '../../../../shared/records';
import { normalizedSale, packRows } from '../../../helpers/records';
import { tmpDirPerTest } from '../../../helpers/tmp';
import { rec } from './builder';

const tmp = tmpDirPerTest();
/** The time i seconds after 10:00 on 2026-11-05. */
const secondsAfterTen = (i: number) =>
  `2026-11-05 ${[10 + Math.floor(i / 3600), Math.floor(i / 60) % 60, i % 60].map((n) => String(n).padStart(2, '0')).join(':')}`;

/** Stores records as an import does (packed, then inserted) in a new database at `path`. */
function storedDb(records: NormalizedRecord[], path = join(tmp(), 'table.sqlite')) {
  const db = openDatabase(path);
  db.prepare("INSERT INTO files (sha256, size, stored_name) VALUES ('x', 1, 'x')").run();
  db.prepare(
    "INSERT INTO imports (id, file_name, file_sha256, source, header_row, columns_json, rows_read, rows_stored, rows_overlap, rows_footer, rows_rejected, imported_at) VALUES (1, 'a.csv', 'x', 'terminal', 1, '{}', 0, 0, 0, 0, 0, '2026-11-05 12:00:00')",
  ).run();
  const packed = packRows(records.map((record, i) => ({ row: i + 2, raw: ['x'], record })));
  const params: unknown[] = [];
  for (let i = 0; i < packed.count; i++) putParams(params, params.length, packed, i, 1);
  const insert = db.prepare(`INSERT INTO record_rows (${INSERT_COLUMNS.join(',')}) VALUES ${ROW_VALUES}`);
  for (let i = 0; i < records.length; i++) insert.run(params.slice(i * STRIDE, (i + 1) * STRIDE));
  return db;
}

/** `db` as a load sees it while `other` commits `sql` right after the load has read its count. */
function committingAfterCount(db: Db, other: Db, sql: string): Db {
  return new Proxy(db, {
    get(target, name) {
      const value = Reflect.get(target, name);
      if (name !== 'prepare') return typeof value === 'function' ? value.bind(target) : value;
      return (text: string) => {
        const statement = target.prepare(text);
        if (!text.includes('count(*)')) return statement;
        return {
          get: () => {
            const counted = statement.get();
            other.exec(sql);
            return counted;
          },
        };
      };
    },
  });
}

/** Five thousand sales stored in a new database, another connection to it, and the first as a load
 *  sees it while the other commits `sql` right after the load has read its snapshot's count. */
function racedSales(sql: string) {
  const path = join(tmp(), 'table.sqlite');
  const db = storedDb(
    // A second apart: fingerprints of one second share 22 bits, which thousands would fill.
    Array.from({ length: 5_000 }, (_, i) => normalizedSale({ rrn: String(i), txnTime: secondsAfterTen(i) })),
    path,
  );
  const other = new Database(path);
  return { db, other, racing: committingAfterCount(db, other, sql) };
}

/** A table row with every id and interned key turned back into its text, for comparing tables. */
function rowsOf(t: RecordTable) {
  const text = (id: number) => (id === NONE ? null : t.texts[id]);
  const key = (k: number) => (k === NO_KEY ? null : k < 0 ? `text:${t.texts[-1 - k]}` : k);
  return Array.from({ length: t.length }, (_, r) => ({
    id: t.id[r],
    codes: [t.source[r], t.cardType[r], t.txnType[r], t.status[r]],
    ts: t.ts[r],
    date: text(t.date[r]!),
    clearDate: text(t.clearDate[r]!),
    clock: t.clock[r]! < NONE ? `text:${t.texts[-2 - t.clock[r]!]}` : t.clock[r],
    merchant: text(t.merchant[r]!),
    terminal: text(t.terminal[r]!),
    money: [t.amount[r], t.fee[r], t.net[r]],
    keys: [
      t.rrn,
      t.trace,
      t.batch,
      t.cardNo,
      t.cardLast4,
      t.orderNo,
      t.origRrn,
      t.origTrace,
      t.origOrderNo,
    ].map((column) => key(column[r]!)),
    bank: t.bankText.get(r) ?? null,
  }));
}

/** Records of every shape a stored row's fields take: escapes, texts for keys, a bank line, a
 *  time that is not 'YYYY-MM-DD HH:MM:SS' and one with no time. */
const mixedRecords = (): NormalizedRecord[] => [
  normalizedSale({ rrn: '000012345678', trace: '000123', orderNo: 'PO-2026-11-05-001', feeFen: 50 }),
  // Escapes in the fields JSON (quotes in the shop's name and terminal) send the row through
  // JSON.parse.
  normalizedSale({
    merchantName: '示例"便利店"\\',
    terminalNo: 'T"1',
    rrn: '1',
    cardNo: '6222021234561234',
    cardLast4: null,
    orderNo: 'PO-9',
  }),
  normalizedSale({
    source: 'settlement',
    txnTime: '2026-11-05 23:59:59',
    clearDate: '2026-11-06',
    txnType: 'refund',
    status: 'unknown',
    cardType: 'unknown',
    origRrn: '000012345678',
    origTrace: '000123',
    origOrderNo: 'PO-2026-11-05-001',
    // A refund's net comes back off the merchant's money: a negative integer for the loader to read.
    netFen: -9_950,
    amountFen: null,
  }),
  normalizedSale({
    source: 'statement',
    txnType: 'credit',
    terminalNo: null,
    merchantNo: null,
    cardNo: null,
    cardLast4: null,
    batch: null,
    counterparty: '银联商务股份有限公司客户备付金',
    summary: '1104-1106 费362.15元',
    balanceFen: 123_456,
  }),
  normalizedSale({ txnTime: '2026-11-05 9:05', cardNo: '62220212345', cardLast4: '2345' }),
  normalizedSale({ txnTime: null, cardNo: null, cardLast4: null, terminalNo: null }),
];

describe('record table', () => {
  it('reads stored rows in place exactly as the same records read whole', () => {
    const records = mixedRecords();
    const db = storedDb(records);
    const loaded = loadTable(db);
    const held = tableOf(loadRecords(db));
    db.close();
    expect(loaded.length).toBe(records.length);
    expect(rowsOf(loaded)).toEqual(rowsOf(held));
    const [first, escaped, refund, bank, odd, timeless] = rowsOf(loaded);
    expect(first).toMatchObject({
      date: '2026-11-05',
      clock: 36_000,
      terminal: '12345678',
      money: [10_000, 50, NaN],
    });
    expect(first!.keys[0]).toBe(12_345_678 * 16 + 12); // the RRN's leading zeros count through its length
    expect(first!.keys[5]).toBe('text:PO-2026-11-05-001');
    expect(escaped!.keys[3]).toBe('text:6222021234561234'); // 16 digits: past an exact number key
    expect(escaped).toMatchObject({ terminal: 'T"1' });
    expect(escaped!.keys[5]).toBe('text:PO-9');
    expect(refund).toMatchObject({ clearDate: '2026-11-06', clock: 86_399, money: [NaN, NaN, -9_950] });
    expect(bank!.bank).toEqual({
      counterparty: '银联商务股份有限公司客户备付金',
      summary: '1104-1106 费362.15元',
    });
    expect(odd!.clock).toBe('text: 9:05');
    expect(timeless).toMatchObject({ date: null, clock: NONE, ts: 0 });
  });

  it('reads one snapshot of the rows, whatever another connection commits while it reads', () => {
    // The app imports while the command line reconciles: rows committed after the count was read.
    const { db, other, racing } = racedSales(
      `INSERT INTO record_rows (import_id, row_no, fp, codes, amount_fen, fee_fen, net_fen, f, raw)
       SELECT import_id, row_no + 10000, -fp, codes, amount_fen, fee_fen, net_fen, f, raw FROM record_rows`,
    );
    const table = loadTable(racing);
    expect(table.length).toBe(5_000);
    // The snapshot's rows only, none of those committed while it was read.
    expect([...table.id.subarray(0, table.length)]).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
    expect(loadTable(db).length).toBe(10_000);
    other.close();
    db.close();
  });

  describe('read on two threads, in blocks each takes when it is free', () => {
    // The worker as the command line bundles it (built before the tests run).
    const worker = join(__dirname, '..', '..', '..', '..', 'out', 'cli', 'table-worker.js');
    /** The mixed records, then a copy with terminals and order numbers of its own (texts the
     *  first copy does not have) and other fees (other fingerprints). */
    const twice = () => [
      ...mixedRecords(),
      ...mixedRecords().map((r) => ({
        ...r,
        terminalNo: r.terminalNo && `${r.terminalNo}-2`,
        orderNo: r.orderNo && `${r.orderNo}-2`,
        feeFen: (r.feeFen ?? 0) + 7,
      })),
    ];
    const readInParallel = (t: RecordTable) => t.id.buffer instanceof SharedArrayBuffer;

    it('makes the same table as one thread does', () => {
      const db = storedDb(twice());
      const parallel = loadTable(db, worker, 2, 2);
      const alone = loadTable(db, null);
      expect(readInParallel(parallel)).toBe(true);
      expect(parallel.length).toBe(12);
      expect(rowsOf(parallel)).toEqual(rowsOf(alone));
      expect(rowsOf(parallel)[9]!.bank).toEqual({
        counterparty: '银联商务股份有限公司客户备付金',
        summary: '1104-1106 费362.15元',
      });
      db.close();
    });

    it("closes up the blocks, gaps and all, taking over the other thread's texts and bank lines", () => {
      const db = storedDb(twice());
      db.prepare('DELETE FROM record_rows WHERE id IN (2, 5, 11)').run();
      const alone = loadTable(db, null);
      const columns = tableColumns(12, true);
      const blocks = sharedBlocks(1, 12, 4);
      const loader = new TableBuilder(columns);
      const other = new TableBuilder(columns);
      // Blocks of ids 1–4, 5–8 and 9–12, each with a gap, bank lines in the first and the last: the
      // other thread reads the first two, this one the last, whose rows (and bank line) move up.
      readBlock(db, other, blocks, 0, WORKER);
      readBlock(db, other, blocks, 1, WORKER);
      readBlock(db, loader, blocks, 2, LOADER);
      const theirs = other.finish();
      expect(theirs.bankText.size).toBe(1);
      // The other thread met text keys among the order numbers (field 14), which it says.
      expect(other.textKeys & (1 << 14)).not.toBe(0);
      loader.closeUp(blockParts(blocks), theirs.texts, theirs.bankText, other.textKeys);
      const table = loader.finish();
      expect(table.length).toBe(9);
      expect([...table.id.subarray(0, table.length)]).toEqual([1, 3, 4, 6, 7, 8, 9, 10, 12]);
      expect([...table.bankText.keys()].sort()).toEqual([2, 7]);
      expect(rowsOf(table)).toEqual(rowsOf(alone));
      db.close();
    });

    it('closes the gap a missing id leaves in a block the worker may read', () => {
      const db = storedDb(twice());
      db.prepare('DELETE FROM record_rows WHERE id = 2').run();
      const parallel = loadTable(db, worker, 2, 3);
      expect(readInParallel(parallel)).toBe(true);
      expect(rowsOf(parallel)).toEqual(rowsOf(loadTable(db, null)));
      expect([...parallel.id.subarray(0, parallel.length)]).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      db.close();
    });

    it("reads the other half here when the worker's snapshot is not this one", () => {
      // Another connection removes rows of the second half between this snapshot and the worker's.
      const { db, other, racing } = racedSales('DELETE FROM record_rows WHERE id > 4000');
      const table = loadTable(racing, worker, 1_000);
      expect(readInParallel(table)).toBe(false);
      expect([...table.id.subarray(0, table.length)]).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
      other.close();
      db.close();
    });

    it('reads the other half here when the worker fails', () => {
      const failing = join(tmp(), 'failing-worker.js');
      writeFileSync(
        failing,
        `const { workerData } = require('node:worker_threads');
         workerData.port.postMessage({ error: 'no database here' });
         Atomics.store(workerData.done, 0, 1);
         Atomics.notify(workerData.done, 0);`,
      );
      const db = storedDb(twice());
      const table = loadTable(db, failing, 2);
      expect(readInParallel(table)).toBe(false);
      expect(rowsOf(table)).toEqual(rowsOf(loadTable(db, null)));
      db.close();
    });
  });

  it('gives identifiers keys that are equal exactly when their texts are', () => {
    const texts = [
      '123',
      '0123',
      '00123',
      '12345678901234',
      '123456789012345',
      '622202******1234',
      '622202*****1234',
      '622202******1235',
      '6222029******1234',
      '62220212******1234',
      '*1234',
      'ABC-1',
      '',
      '0',
      '00',
    ];
    const t = tableOf(
      [...texts, ...texts].map((rrn) => rec({ source: 'terminal', txnTime: '2026-11-05 10:00:00', rrn })),
    );
    expect(Array.from(t.rrn, (k) => keyText(t, k))).toEqual([...texts, ...texts]);
    // No text's key is the one that stands for none.
    expect(t.rrn.includes(NO_KEY)).toBe(false);
    for (let a = 0; a < t.length; a++) {
      for (let b = 0; b < t.length; b++) {
        expect(t.rrn[a] === t.rrn[b], `${texts[a % texts.length]} / ${texts[b % texts.length]}`).toBe(
          a % texts.length === b % texts.length,
        );
      }
    }
  });

  it('gives every time back as it was stored', () => {
    const times = [
      '2026-11-05 22:59:59',
      '2026-11-05',
      '2026-11-05 9:05',
      '2026-11-05T10:00:00',
      '2026-11-05 ',
      '1999-12-31 23:59:59',
      null,
    ];
    const t = tableOf(times.map((txnTime) => rec({ source: 'terminal', txnTime })));
    expect(times.map((_, r) => timeText(t, r))).toEqual(times);
  });

  it('finds the clearing day as clearingDate does, for any cut-off and any time of day', () => {
    const times = [
      '2026-11-05T23:30:00',
      '2026-11-05 ',
      '2026-11-05 22:59:59',
      '2026-11-05 23:00:00',
      '2026-11-30 23:30:00',
      '2026-11-05',
      '2026-11-05 9:05',
      null,
    ];
    const records = times.map((txnTime) => rec({ source: 'terminal', txnTime }));
    const t = tableOf(records);
    for (const cutoff of ['23:00:00', '23:00', '00:00:00', '9:00']) {
      const clearing = clearingDays(t, cutoff);
      expect(
        records.map((_, r) => (clearing(r) === NONE ? null : t.texts[clearing(r)])),
        cutoff,
      ).toEqual(records.map((r) => clearingDate(r, cutoff)));
    }
  });
});

describe('key index', () => {
  it('lists every row of a hash in order', () => {
    const index = new KeyIndex([0, 1, 2, 3, 4, 5], () => 42);
    const out: number[] = [];
    expect(index.lookup(42, out)).toBe(6);
    expect(out.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(index.lookup(43, out)).toBe(0);
  });

  it('repeats groups the rows of keys that repeat, in order of first appearance, and skips no key', () => {
    // Rows 10..17 with keys by row: negative (text) keys and keys past 2^32 as well; NO_KEY is none.
    const keys: Record<number, number> = {
      10: 2 ** 40 + 7,
      11: -3,
      12: 5,
      13: NO_KEY,
      14: -3,
      15: 2 ** 40 + 7,
      16: NO_KEY,
      17: 2 ** 40 + 7,
    };
    expect(repeats([10, 11, 12, 13, 14, 15, 16, 17], (r) => keys[r]!)).toEqual([
      [10, 15, 17],
      [11, 14],
    ]);
    expect(repeats([12, 13, 16], (r) => keys[r]!)).toEqual([]);
  });
});

describe('rows where', () => {
  it('keeps the rows accepted, in order, as a list of their own', () => {
    const rows = Int32Array.from([9, 4, 7, 2, 8]);
    const even = rowsWhere(rows, (r) => r % 2 === 0);
    expect([...even]).toEqual([4, 2, 8]);
    expect(even.length).toBe(3);
    // A copy: the rows given stay as they were, and the kept rows do not share their memory.
    even[0] = 100;
    expect([...rows]).toEqual([9, 4, 7, 2, 8]);
    expect([...rowsWhere(rows, () => true)]).toEqual([9, 4, 7, 2, 8]);
    expect(rowsWhere(rows, () => false).length).toBe(0);
    expect(rowsWhere(new Int32Array(0), () => true).length).toBe(0);
  });
});
