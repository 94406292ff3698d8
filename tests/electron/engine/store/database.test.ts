import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  beginBulkWrite,
  DatabaseRefusedError,
  integrityProblems,
  migrate,
  migrationHash,
  openDatabase,
  openDatabaseCheckingMeanwhile,
} from '../../../../electron/engine/store/database';
import { MIGRATIONS } from '../../../../electron/engine/store/migrations';
import { appDataDir, resolveDbPath } from '../../../../electron/engine/store/paths';
import { thrown } from '../../../helpers/errors';
import { addFillerAndClose, alterFillerIndexKeys } from '../../../helpers/filler';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

describe('openDatabase', () => {
  it('creates the schema once, records each migration with its hash, and sets durable pragmas', () => {
    const path = join(tmp(), 'sub', 'posrecon.sqlite');
    const db = openDatabase(path);
    const applied = db.prepare('SELECT id, sha256 FROM schema_migrations ORDER BY id').all();
    expect(applied).toEqual(MIGRATIONS.map((m) => ({ id: m.id, sha256: migrationHash(m) })));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
    const again = openDatabase(path);
    expect(again.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({
      n: MIGRATIONS.length,
    });
    again.close();
  });

  it('keeps every released migration as it was released, so databases it made still open', () => {
    // The hashes 010f69d recorded: a database that version migrated must keep opening.
    const released = [
      'ea8d6558be4553f7502630cf03d8fc4137746a8f1e59ad2cab7503386b6c83ca',
      'b135722e2bd0f730e47b6c552a935ec51ba15995c66856e92401c53aabe37fd1',
      '3d379bc0459329abe9511f7d5a625c5334c91abdf6bfe2628427115f0f0bb412',
      'aaa2ab056ed96200bcf82032100d0f780af328b9a54d403942205f5dbc5dd8a5',
      '4bf265683e34aa55567f3dd529e534cdba986fed6d53b51d77caacf0f54bd92f',
    ];
    expect(MIGRATIONS.slice(0, released.length).map(migrationHash)).toEqual(released);
    const path = join(tmp(), 'released.sqlite');
    const raw = new Database(path);
    migrate(raw, MIGRATIONS.slice(0, released.length));
    raw.close();
    const upgraded = openDatabase(path);
    expect(upgraded.prepare('SELECT max(id) AS id FROM schema_migrations').get()).toEqual({
      id: MIGRATIONS.at(-1)!.id,
    });
    upgraded.close();
  });

  it('refuses a database whose applied migration was edited since', () => {
    const path = join(tmp(), 'db.sqlite');
    openDatabase(path).close();
    const raw = new Database(path);
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    const err = thrown(() => migrate(raw, edited), DatabaseRefusedError);
    expect(err.code).toBe('migration_edited');
    expect(err.zh).toContain('被修改');
    raw.close();
  });

  it('refuses a database written by a newer version', () => {
    const path = join(tmp(), 'db.sqlite');
    const db = openDatabase(path);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x', '2030-01-01 00:00:00')").run();
    db.close();
    expect(thrown(() => openDatabase(path), DatabaseRefusedError).code).toBe('newer_schema');
  });

  it("gives the connection its own page cache back after the check's larger one", () => {
    const db = openDatabase(join(tmp(), 'db.sqlite'));
    // better-sqlite3 builds SQLite with a 16 MB default; openDatabase's own check gave it back.
    expect(db.pragma('cache_size', { simple: true })).toBe(-16000);
    db.pragma('cache_size = -1234');
    expect(integrityProblems(db)).toEqual([]);
    expect(db.pragma('cache_size', { simple: true })).toBe(-1234);
    db.close();
  });

  it('refuses a damaged database without writing to it', () => {
    const path = join(tmp(), 'db.sqlite');
    addFillerAndClose(openDatabase(path), 2000);
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over the b-tree page headers of the last pages (the filler table and its index).
    for (let page = bytes.length - 4 * pageSize; page < bytes.length; page += pageSize)
      bytes.fill(0xa5, page, page + 12);
    writeFileSync(path, bytes);
    const before = readFileSync(path);
    const err = thrown(() => openDatabase(path), DatabaseRefusedError);
    expect(['corrupt', 'not_a_database']).toContain(err.code);
    expect(err.en).toContain(path);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database, leaving it as it was', () => {
    const path = join(tmp(), 'notes.sqlite');
    writeFileSync(path, '这不是数据库 — just some text that happens to have the wrong name\n'.repeat(200));
    const before = readFileSync(path);
    expect(thrown(() => openDatabase(path), DatabaseRefusedError).code).toBe('not_a_database');
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('openDatabaseCheckingMeanwhile', () => {
  // The worker as the command line bundles it (built before the tests run).
  const worker = join(__dirname, '..', '..', '..', '..', 'out', 'cli', 'integrity-worker.js');

  function sound(): string {
    const path = join(tmp(), 'db.sqlite');
    openDatabase(path).close();
    return path;
  }

  /** A database whose filler index no longer matches its table: its path and its bytes. */
  function damaged(): { path: string; bytes: Buffer } {
    const path = join(tmp(), 'db.sqlite');
    addFillerAndClose(openDatabase(path), 2000);
    return { path, bytes: alterFillerIndexKeys(path).bytes };
  }

  /** What a check rejects with (null: it passed). */
  const rejection = (verified: Promise<void>) =>
    verified.then(
      () => null,
      (e: unknown) => e,
    );

  /** A worker script of the test's own, in place of the integrity check. */
  function stubWorker(body: string): string {
    const file = join(tmp(), 'stub-worker.cjs');
    writeFileSync(file, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
    return file;
  }

  it('has the built worker to test (without it the check would quietly run on this thread)', () => {
    expect(existsSync(worker)).toBe(true);
  });

  it('takes its verdict from the worker: what the worker reports is the refusal', async () => {
    const script = stubWorker("parentPort.postMessage(['found by the worker']);");
    const { db, verify } = openDatabaseCheckingMeanwhile(sound(), {}, script);
    const err = await rejection(verify());
    expect((err as DatabaseRefusedError).en).toContain('found by the worker');
    expect(db.open).toBe(false);
  });

  it('starts the check when first asked for it, and once however often asked', async () => {
    const runs = join(tmp(), 'runs.txt');
    const script = stubWorker(
      `require('node:fs').appendFileSync(${JSON.stringify(runs)}, 'run\\n'); parentPort.postMessage([]);`,
    );
    const { db, verify } = openDatabaseCheckingMeanwhile(sound(), {}, script);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(existsSync(runs)).toBe(false);
    const first = verify();
    expect(verify()).toBe(first);
    await first;
    expect(readFileSync(runs, 'utf8')).toBe('run\n');
    expect(db.pragma('query_only', { simple: true })).toBe(0);
    db.close();
  });

  it('checks on this thread when the worker cannot run, and then allows writes', async () => {
    const { db, verify } = openDatabaseCheckingMeanwhile(sound(), {}, stubWorker("throw new Error('no');"));
    expect(db.pragma('query_only', { simple: true })).toBe(1);
    await verify();
    expect(db.pragma('query_only', { simple: true })).toBe(0);
    db.close();
  });

  it('refuses on this thread, as the worker would, a damaged database when the worker cannot run', async () => {
    const { path } = damaged();
    const { db, verify } = openDatabaseCheckingMeanwhile(path, {}, stubWorker("throw new Error('no');"));
    const err = await rejection(verify());
    expect(err).toBeInstanceOf(DatabaseRefusedError);
    expect((err as DatabaseRefusedError).en).toContain('missing from index filler_x');
    expect(db.open).toBe(false);
  });

  it('has a built worker that checks the database itself: none found in a sound one, the damage in another', async () => {
    const verdict = (path: string) =>
      new Promise<string[]>((resolve, reject) => {
        const w = new Worker(worker, { workerData: { path, nativeBinding: null } });
        w.once('message', resolve);
        w.once('error', reject);
      });
    expect(await verdict(sound())).toEqual([]);
    expect((await verdict(damaged().path)).join(' ')).toContain('filler_x');
  });

  it('reads at once, refuses writes until the check on the worker has passed, then writes', async () => {
    const { db, verify } = openDatabaseCheckingMeanwhile(sound(), {}, worker);
    expect(db.pragma('query_only', { simple: true })).toBe(1);
    expect(db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 });
    expect(() => db.exec("INSERT INTO settings VALUES ('k', '1', 'now')")).toThrow(/readonly/i);
    await verify();
    expect(db.pragma('query_only', { simple: true })).toBe(0);
    db.exec("INSERT INTO settings VALUES ('k', '1', 'now')");
    db.close();
  });

  it('rejects with the refusal and closes the connection when the worker finds damage', async () => {
    const { path, bytes } = damaged();
    const { db, verify } = openDatabaseCheckingMeanwhile(path, {}, worker);
    const err = await rejection(verify());
    expect(err).toBeInstanceOf(DatabaseRefusedError);
    expect((err as DatabaseRefusedError).en).toContain('missing from index filler_x');
    expect(db.open).toBe(false);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });
});

describe('beginBulkWrite', () => {
  const write = (db: Database.Database, name: string) =>
    db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES (?, '1', '')").run(name);

  it('writes through a rollback journal when alone, then returns to the WAL with foreign keys on', () => {
    const path = join(tmp(), 'bulk.sqlite');
    const db = openDatabase(path);
    const end = beginBulkWrite(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(0);
    // Statement journals (and any other temporary file) in memory while it lasts.
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    db.transaction(() => write(db, 'bulk'))();
    end();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('temp_store', { simple: true })).toBe(0);
    db.close();
    const again = openDatabase(path);
    expect(again.prepare("SELECT key FROM settings WHERE key = 'bulk'").pluck().get()).toBe('bulk');
    again.close();
  });

  it('keeps the WAL while another connection is open, and the write still lands', () => {
    const path = join(tmp(), 'shared.sqlite');
    const db = openDatabase(path);
    const reader = new Database(path, { readonly: true });
    reader.prepare('SELECT count(*) FROM settings').get();
    const end = beginBulkWrite(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    write(db, 'shared');
    end();
    expect(reader.prepare("SELECT key FROM settings WHERE key = 'shared'").pluck().get()).toBe('shared');
    reader.close();
    db.close();
  });
});

describe('migration 5', () => {
  it('moves records written before migration 5 into the nine-value rows, every field kept', () => {
    const path = join(tmp(), 'old.sqlite');
    const old = new Database(path);
    old.pragma('foreign_keys = ON');
    migrate(old, MIGRATIONS.slice(0, 4));
    old.exec(`
      INSERT INTO files (sha256, size, stored_name) VALUES ('h', 1, 'h.csv');
      INSERT INTO imports (id, file_name, file_sha256, source, header_row, columns_json, rows_read, rows_stored,
        rows_overlap, rows_footer, rows_rejected, imported_at)
        VALUES (1, 'a.csv', 'h', 'statement', 1, '{}', 1, 1, 0, 0, 0, '2026-11-05 12:00:00');
      INSERT INTO records (id, import_id, row_no, fp, source, txn_time, clear_date, merchant_no, terminal_no,
        card_no, card_last4, card_type, txn_type, status, amount_fen, fee_fen, net_fen, rrn, trace, batch, order_no,
        orig_rrn, orig_trace, orig_order_no, flags, extra, raw)
        VALUES (7, 1, 3, 99, 2, '2026-11-05 10:00:00', '2026-11-05', NULL, NULL, NULL, NULL, 5, 5, 4, 1253062,
          NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'rrn_truncated',
          CAST('{"counterparty":"银联商务","summary":"结算款","balanceFen":500}' AS BLOB),
          CAST('2026-11-05' || char(31) || '12,530.62' AS BLOB));
      INSERT INTO record_sightings (record_id, import_id, row_no, raw) VALUES (7, 1, 9, CAST('x' AS BLOB));
    `);
    migrate(old, MIGRATIONS);
    const row = old.prepare('SELECT * FROM records_readable').get();
    expect(row).toMatchObject({
      id: 7,
      row_no: 3,
      source: 'statement',
      txn_type: 'credit',
      status: 'unknown',
      amount_fen: 1253062,
      counterparty: '银联商务',
      summary: '结算款',
      balance_fen: 500,
      flags: 'rrn_truncated',
      raw_cells: '2026-11-05 | 12,530.62',
    });
    expect(old.prepare('SELECT record_id, raw FROM record_sightings').get()).toEqual({
      record_id: 7,
      raw: 'x',
    });
    expect(old.pragma('foreign_key_check')).toEqual([]);
    old.close();
  });
});

describe('migration 12', () => {
  it('counts the records each import holds onto the import and drops the index it replaces', () => {
    const old = new Database(join(tmp(), 'old.sqlite'));
    migrate(old, MIGRATIONS.slice(0, 11));
    const insertImport = old.prepare(
      `INSERT INTO imports (id, file_name, file_sha256, source, header_row, columns_json, rows_read, rows_stored,
         rows_overlap, rows_footer, rows_rejected, imported_at)
       VALUES (?, ?, ?, 'terminal', 1, '{}', 3, 3, 0, 0, 0, '2026-11-05 12:00:00')`,
    );
    const insertRecord = old.prepare(
      `INSERT INTO record_rows (id, import_id, row_no, fp, codes, amount_fen, f, raw)
       VALUES (?, ?, ?, ?, 0, 100, '[]', 'x')`,
    );
    for (const [id, hash] of [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ] as const) {
      old.prepare("INSERT INTO files (sha256, size, stored_name) VALUES (?, 1, 'x')").run(hash);
      insertImport.run(id, `${hash}.csv`, hash);
    }
    // Record 6 was handed over to import 1 when a later import was undone.
    for (const [id, importId] of [
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 2],
      [6, 1],
    ] as const)
      insertRecord.run(id, importId, id + 1, id);
    migrate(old, MIGRATIONS);
    expect(old.prepare('SELECT id, rows_held FROM imports ORDER BY id').all()).toEqual([
      { id: 1, rows_held: 3 },
      { id: 2, rows_held: 3 },
      { id: 3, rows_held: 0 },
    ]);
    expect(old.prepare("SELECT name FROM sqlite_schema WHERE name = 'record_rows_import'").all()).toEqual([]);
    old.close();
  });
});

describe('database location', () => {
  it('uses --db, then POSRECON_DB, then the per-user app data folder', () => {
    expect(resolveDbPath('/x/a.sqlite', { POSRECON_DB: '/y/b.sqlite' })).toBe('/x/a.sqlite');
    expect(resolveDbPath(undefined, { POSRECON_DB: '/y/b.sqlite' })).toBe('/y/b.sqlite');
    expect(resolveDbPath(undefined, { XDG_CONFIG_HOME: '/home/u/.config' })).toBe(
      join('/home/u/.config', 'PosRecon', 'posrecon.sqlite'),
    );
    expect(appDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\u\\AppData\\Roaming',
    );
  });
});
