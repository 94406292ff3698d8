import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../../../electron/engine/store/database';
import { sha256 } from '../../../../electron/engine/store/file-store';
import { fingerprint, occurrenceHash } from '../../../../electron/engine/store/fingerprint';
import {
  AlreadyImportedError,
  CHUNK,
  type ImportMeta,
  listImports,
  type ParseBatch,
  storeImport,
  undoImport,
} from '../../../../electron/engine/store/imports';
import { fileStoreDir } from '../../../../electron/engine/store/paths';
import type { NormalizedRecord } from '../../../../shared/records';
import { normalizedSale, packBatches, packRows } from '../../../helpers/records';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

function sale(n: number, overrides: Partial<NormalizedRecord> = {}): NormalizedRecord {
  return normalizedSale({
    txnTime: `2026-11-05 10:${String(n % 60).padStart(2, '0')}:00`,
    merchantName: '示例便利店',
    amountFen: 1000 + n,
    feeFen: 5,
    netFen: 995 + n,
    rrn: String(100000000000 + n),
    trace: String(n).padStart(6, '0'),
    ...overrides,
  });
}

function batchOf(records: NormalizedRecord[], firstRow = 2): ParseBatch {
  return {
    records: records.map((record, i) => ({
      row: firstRow + i,
      raw: [`cells of row ${firstRow + i}`],
      record,
    })),
    rejects: [],
    rowsRead: records.length,
    footerRows: 0,
  };
}

function meta(name: string, content: string): ImportMeta {
  const bytes = Buffer.from(content);
  return {
    fileName: name,
    sha256: sha256(bytes),
    bytes,
    source: 'terminal',
    presetId: 'generic-terminal',
    presetName: '通用终端交易明细',
    encoding: 'utf-8',
    sheet: null,
    headerRow: 1,
    columns: { amount: '交易金额' },
  };
}

function setup(): { db: Db; store: string } {
  const path = join(tmp(), 'posrecon.sqlite');
  return { db: openDatabase(path), store: fileStoreDir(path) };
}

const count = (db: Db) => (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;

describe('storeImport', () => {
  it("stores a batch's rows beyond its last full chunk before their packer moves on", async () => {
    // Batches of a chunk and 72 rows: a chunk goes in, then 64 and 8, before the next batch's
    // packing writes over the bytes they were packed in.
    const { db, store } = setup();
    const size = CHUNK + 72;
    const first = Array.from({ length: size }, (_, i) => sale(i));
    const second = Array.from({ length: size }, (_, i) => sale(size + i));
    const res = await storeImport(
      db,
      store,
      meta('a.csv', 'two batches'),
      packBatches([batchOf(first), batchOf(second, size + 2)]),
    );
    expect(res.stored).toBe(2 * size);
    const rows = db
      .prepare('SELECT row_no, rrn, CAST(raw AS TEXT) AS raw FROM records ORDER BY row_no')
      .all() as Array<{ row_no: number; rrn: string; raw: string }>;
    expect(rows).toEqual(
      Array.from({ length: 2 * size }, (_, i) => ({
        row_no: 2 + i,
        rrn: String(100000000000 + i),
        raw: `cells of row ${2 + i}`,
      })),
    );
  });

  it('stores every row with its provenance and keeps the original file content-addressed', async () => {
    const { db, store } = setup();
    const m = meta('a.csv', 'file a');
    const res = await storeImport(db, store, m, packBatches([batchOf([sale(1), sale(2)])]));
    expect(res).toMatchObject({ stored: 2, overlap: 0, rowsRead: 2, rejected: 0 });
    const row = db
      .prepare('SELECT row_no, CAST(raw AS TEXT) AS raw, rrn, trace, amount_fen FROM records ORDER BY row_no')
      .get();
    expect(row).toEqual({
      row_no: 2,
      raw: 'cells of row 2',
      rrn: '100000000001',
      trace: '000001',
      amount_fen: 1001,
    });
    const kept = join(store, m.sha256.slice(0, 2), m.sha256);
    expect(readFileSync(kept, 'utf8')).toBe('file a');
  });

  it('keeps two identical rows of one file: they may be a real duplicate charge', async () => {
    const { db, store } = setup();
    const twice = sale(7);
    await storeImport(db, store, meta('a.csv', 'a'), packBatches([batchOf([twice, { ...twice }])]));
    expect(count(db)).toBe(2);
  });

  it('gives the n-th identical row of a file the n-th occurrence fingerprint, across insert chunks', async () => {
    const { db, store } = setup();
    const twice = sale(7);
    // More copies than two insert chunks hold, and a tail inserted row by row.
    const copies = Array.from({ length: 2 * CHUNK + 44 }, () => ({ ...twice }));
    const res = await storeImport(
      db,
      store,
      meta('a.csv', 'a'),
      packBatches([batchOf([sale(1), ...copies, sale(2)])]),
    );
    expect(res).toMatchObject({ stored: copies.length + 2, overlap: 0 });
    // The fingerprints released versions gave: the first occurrence's from the content hash, each
    // later one's from the hash and its number.
    // The packer's own second and content hash for the row (packed numbers 1 and 2).
    const { numbers } = packRows([{ row: 3, raw: ['x'], record: twice }]);
    const [seconds, hash] = [numbers[1]!, numbers[2]!];
    const expected = copies.map((_, n) => fingerprint(seconds, n === 0 ? hash : occurrenceHash(hash, n)));
    const stored = db
      .prepare('SELECT fp FROM record_rows WHERE row_no BETWEEN 3 AND ? ORDER BY row_no')
      .pluck()
      .all(copies.length + 2);
    expect(stored).toEqual(expected);

    // An overlapping export with the same copies and one more meets each of them once.
    const more = await storeImport(
      db,
      store,
      meta('b.csv', 'b'),
      packBatches([batchOf([...copies, { ...twice }, sale(3)])]),
    );
    expect(more).toMatchObject({ stored: 2, overlap: copies.length });
    expect(db.prepare('SELECT count(DISTINCT record_id) AS n FROM record_sightings').get()).toEqual({
      n: copies.length,
    });
  });

  it('does not double transactions that overlapping exports both contain', async () => {
    const { db, store } = setup();
    // Mon–Wed and Tue–Thu: rows 2..4 are in both; row 3 is a genuine double swipe in both files.
    const dup = sale(3);
    await storeImport(
      db,
      store,
      meta('mon-wed.csv', 'x'),
      packBatches([batchOf([sale(1), sale(2), dup, { ...dup }, sale(4)])]),
    );
    const res = await storeImport(
      db,
      store,
      meta('tue-thu.csv', 'y'),
      packBatches([batchOf([sale(2), { ...dup }, { ...dup }, sale(4), sale(5), sale(6)])]),
    );
    expect(res).toMatchObject({ stored: 2, overlap: 4 });
    expect(count(db)).toBe(7);
  });

  it('refuses the same file again, saying when it was imported', async () => {
    const { db, store } = setup();
    await storeImport(db, store, meta('a.csv', 'same'), packBatches([batchOf([sale(1)])]));
    const again = storeImport(db, store, meta('renamed.csv', 'same'), packBatches([batchOf([sale(1)])]));
    await expect(again).rejects.toBeInstanceOf(AlreadyImportedError);
    await expect(again).rejects.toThrow(/a\.csv/);
    expect(count(db)).toBe(1);
  });

  it('leaves nothing behind when the file fails half way', async () => {
    const { db, store } = setup();
    const m = meta('a.csv', 'broken later');
    function* batches() {
      yield batchOf(Array.from({ length: 500 }, (_, i) => sale(i)));
      throw new Error('disk pulled out');
    }
    await expect(storeImport(db, store, m, packBatches(batches()))).rejects.toThrow('disk pulled out');
    expect(count(db)).toBe(0);
    expect(listImports(db)).toEqual([]);
    expect(existsSync(join(store, m.sha256.slice(0, 2), m.sha256))).toBe(false);
    // Foreign key checks, off while the rows were written, are on again.
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('imports with a page cache of at least 64 MiB, and gives the connection its own back', async () => {
    const { db, store } = setup();
    db.pragma('cache_size = -1234');
    let during = 0;
    function* batches() {
      yield batchOf([sale(1)]);
      during = db.pragma('cache_size', { simple: true }) as number;
    }
    await storeImport(db, store, meta('a.csv', 'a'), packBatches(batches()));
    expect(during).toBe(-64 * 1024);
    expect(db.pragma('cache_size', { simple: true })).toBe(-1234);
    await expect(storeImport(db, store, meta('a.csv', 'a'), packBatches([]))).rejects.toThrow(
      AlreadyImportedError,
    );
    expect(db.pragma('cache_size', { simple: true })).toBe(-1234);
  });

  it('writes rows whose keys hold, and turns foreign key checks back on', async () => {
    const { db, store } = setup();
    await storeImport(db, store, meta('a.csv', 'a'), packBatches([batchOf([sale(1), sale(2)])]));
    await storeImport(db, store, meta('b.csv', 'b'), packBatches([batchOf([sale(2), sale(3)])]));
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM record_sightings').get()).toEqual({ n: 1 });
  });
});

describe('undoImport', () => {
  it('removes an import with everything it brought in and nothing else', async () => {
    const { db, store } = setup();
    const a = await storeImport(db, store, meta('a.csv', 'a'), packBatches([batchOf([sale(1), sale(2)])]));
    await storeImport(db, store, meta('b.csv', 'b'), packBatches([batchOf([sale(10), sale(11), sale(12)])]));
    const res = undoImport(db, store, a.importId);
    expect(res).toEqual({ removed: 2, handedOver: 0 });
    expect(count(db)).toBe(3);
    expect(listImports(db).map((i) => i.fileName)).toEqual(['b.csv']);
    expect(existsSync(join(store, meta('a.csv', 'a').sha256.slice(0, 2), meta('a.csv', 'a').sha256))).toBe(
      false,
    );
  });

  it('hands records that a later overlapping import also had over to it', async () => {
    const { db, store } = setup();
    const a = await storeImport(
      db,
      store,
      meta('mon-wed.csv', 'a'),
      packBatches([batchOf([sale(1), sale(2), sale(3)])]),
    );
    const b = await storeImport(
      db,
      store,
      meta('tue-thu.csv', 'b'),
      packBatches([batchOf([sale(2), sale(3), sale(4)], 10)]),
    );
    expect(b.overlap).toBe(2);
    const held = () => listImports(db).map((i) => [i.fileName, i.records]);
    expect(held()).toEqual([
      ['mon-wed.csv', 3],
      ['tue-thu.csv', 1],
    ]);
    expect(undoImport(db, store, a.importId)).toEqual({ removed: 1, handedOver: 2 });
    // The history counts the records each import holds now, the handed-over ones included.
    expect(held()).toEqual([['tue-thu.csv', 3]]);
    const rows = db.prepare('SELECT import_id, row_no, trace FROM records ORDER BY trace').all();
    expect(rows).toEqual([
      { import_id: b.importId, row_no: 10, trace: '000002' },
      { import_id: b.importId, row_no: 11, trace: '000003' },
      { import_id: b.importId, row_no: 12, trace: '000004' },
    ]);
    // Undoing the second import now empties the database.
    expect(undoImport(db, store, b.importId)).toEqual({ removed: 3, handedOver: 0 });
    expect(count(db)).toBe(0);
  });
});
