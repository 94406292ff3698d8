import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { localNow } from '../time';
import { bundledWorker } from '../workers';
import { flushBehind } from './flush-behind';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export class DatabaseRefusedError extends Error {
  constructor(
    readonly code: 'corrupt' | 'not_a_database' | 'migration_edited' | 'newer_schema' | 'locked',
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
    this.name = 'DatabaseRefusedError';
  }
}

export interface OpenOptions {
  /** Path of the better-sqlite3 native addon to load (the Electron build under Electron). */
  nativeBinding?: string;
}

/** Opens (creating if needed) the PosRecon database: checks integrity before anything is written,
 *  then sets the durability pragmas and applies pending migrations. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  mkdirSync(dirname(path), { recursive: true });
  const db = connect(path, options);
  try {
    db.pragma('busy_timeout = 5000');
    checkIntegrity(db, path);
    // Larger pages make bulk imports markedly faster; only takes effect on a new database.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw translateOpenError(err, path);
  }
}

function connect(path: string, options: OpenOptions): Db {
  const db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  if (options.nativeBinding) NATIVE_BINDINGS.set(db, options.nativeBinding);
  return db;
}

/** The SQLite build each connection was opened with, where it is not the default (the app's). */
const NATIVE_BINDINGS = new WeakMap<Db, string>();

/** The SQLite build a worker's own connection to the same database must load (null: the default). */
export function nativeBindingOf(db: Db): string | null {
  return NATIVE_BINDINGS.get(db) ?? null;
}

/** Pages the integrity check may keep, in KiB. With better-sqlite3's default of 16 MB most lookups
 *  in an index kept in another order than its table (then the review lines by amount and by card,
 *  and the records by fingerprint) were reads from the OS: on two million records and their review
 *  lines the check took 7.9–9.2 s, and 5.1–5.8 s with this (three runs each, by hand). */
const CHECK_CACHE_KIB = 65_536;

/** What SQLite's integrity check finds wrong with a database (nothing: an empty list). */
export function integrityProblems(db: Db): string[] {
  const restore = beginPageCache(db, CHECK_CACHE_KIB);
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).filter((s) => s !== 'ok');
  } finally {
    restore();
  }
}

/** Lets the connection keep up to `kib` KiB of pages; returns what gives it its own size back. */
export function beginPageCache(db: Db, kib: number): () => void {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${Math.round(kib)}`);
  return () => db.pragma(`cache_size = ${cache}`);
}

function checkIntegrity(db: Db, path: string): void {
  const problems = integrityProblems(db);
  if (problems.length > 0) throw damaged(path, problems);
}

function damaged(path: string, problems: readonly string[]): DatabaseRefusedError {
  return new DatabaseRefusedError(
    'corrupt',
    `数据库文件已损坏，未做任何修改：${path}（${problems.slice(0, 3).join('；')}）。请从备份恢复。`,
    `The database file is damaged and was left untouched: ${path} (${problems.slice(0, 3).join('; ')}). Restore it from a backup.`,
  );
}

/**
 * openDatabase for work that reads a great deal before it writes anything (a reconcile run): the
 * integrity check runs meanwhile on another thread, over its own connection, and this connection
 * stays read-only (query_only: SQLite itself refuses any write) until the check has passed.
 * verify() starts the check and gives the promise of its end, the same one each call: it resolves
 * once the check has passed; when the check finds damage, it rejects with the refusal and the
 * connection is closed, never having written. On two million records the check takes a second and
 * a half or more (by hand), which the work hides: a reconcile starts it once its records are read,
 * so that the reading has both cores and the check takes the one the matching leaves. Where no
 * worker can run the check — a schema still to migrate, a new file, the engine run from its
 * sources — it runs here first, as openDatabase does.
 */
export function openDatabaseCheckingMeanwhile(
  path: string,
  options: OpenOptions = {},
  script = bundledWorker('integrity-worker'),
): { db: Db; verify: () => Promise<void> } {
  const checked = () => Promise.resolve();
  if (!script || !existsSync(path)) return { db: openDatabase(path, options), verify: checked };
  const db = connect(path, options);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('query_only = ON');
    if (!readyAsIs(db)) {
      db.close();
      return { db: openDatabase(path, options), verify: checked };
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db.close();
    throw translateOpenError(err, path);
  }
  let verified: Promise<void> | null = null;
  const verify = () => {
    verified ??= checkOnWorker(script, path, options).then(
      (problems) => {
        if (problems.length > 0) throw damaged(path, problems);
        db.pragma('query_only = OFF');
      },
      () => {
        // The worker could not run: the check on this thread instead. A file too damaged for the
        // check to finish is refused as openDatabase refuses it, not thrown as SQLite's error.
        try {
          checkIntegrity(db, path);
        } catch (err) {
          throw translateOpenError(err, path);
        }
        db.pragma('query_only = OFF');
      },
    );
    verified.catch(() => db.close());
    return verified;
  };
  return { db, verify };
}

/** Whether opening the database would write nothing: already in WAL mode, every migration applied
 *  unedited. Anything else (damage included) is left to openDatabase, which says what is wrong. */
function readyAsIs(db: Db): boolean {
  try {
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') return false;
    const applied = appliedMigrations(db);
    return (
      applied.size === MIGRATIONS.length && MIGRATIONS.every((m) => applied.get(m.id) === migrationHash(m))
    );
  } catch {
    return false;
  }
}

function checkOnWorker(script: string, path: string, options: OpenOptions): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: { path, nativeBinding: options.nativeBinding ?? null } });
    worker.once('message', (problems: string[]) => resolve(problems));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`integrity check worker exited (${code})`)));
  });
}

function translateOpenError(err: unknown, path: string): unknown {
  if (err instanceof DatabaseRefusedError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new DatabaseRefusedError(
      code === 'SQLITE_NOTADB' ? 'not_a_database' : 'corrupt',
      `不是有效的 PosRecon 数据库或文件已损坏，未做任何修改：${path}`,
      `Not a valid PosRecon database, or the file is damaged; it was left untouched: ${path}`,
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new DatabaseRefusedError(
      'locked',
      `数据库正被另一个 PosRecon 使用：${path}`,
      `The database is in use by another copy of PosRecon: ${path}`,
    );
  }
  return err;
}

export function migrationHash(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

/** The migrations a database has applied: id → hash of the SQL it ran. */
function appliedMigrations(db: Db): Map<number, string> {
  const rows = db.prepare('SELECT id, sha256 FROM schema_migrations').all() as Array<{
    id: number;
    sha256: string;
  }>;
  return new Map(rows.map((r) => [r.id, r.sha256]));
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = appliedMigrations(db);
  const known = new Set(migrations.map((m) => m.id));
  for (const id of applied.keys()) {
    if (!known.has(id)) {
      throw new DatabaseRefusedError(
        'newer_schema',
        `数据库由更新版本的 PosRecon 创建（迁移 ${id}），请升级程序。`,
        `The database was written by a newer PosRecon (migration ${id}); please upgrade.`,
      );
    }
  }
  const record = db.prepare(
    'INSERT INTO schema_migrations (id, name, sha256, applied_at) VALUES (?, ?, ?, ?)',
  );
  for (const m of migrations) {
    const hash = migrationHash(m);
    const done = applied.get(m.id);
    if (done !== undefined) {
      if (done !== hash) {
        throw new DatabaseRefusedError(
          'migration_edited',
          `迁移 ${m.id}（${m.name}）在应用后被修改过，拒绝打开数据库。`,
          `Migration ${m.id} (${m.name}) was edited after this database applied it; refusing to open.`,
        );
      }
      continue;
    }
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, m.name, hash, localNow());
    })();
  }
}

/**
 * Runs a bulk write (an import's rows, a reconcile run's results: their foreign keys set by the
 * writer itself):
 * - with a rollback journal instead of the WAL when this is the only connection. A WAL transaction
 *   writes every new page twice (into the WAL, then back at the checkpoint); a rollback journal
 *   only records pages that existed before, and new records append fresh pages — twice as fast for
 *   an import, and just as crash-safe (a hot journal is rolled back on the next open). With another
 *   connection open the switch is refused and the write simply uses the WAL.
 * - with foreign key checks off. A statement that might fail one needs a statement journal, and
 *   SQLite then copied every page each multi-row insert touched into a temporary file: about a
 *   gigabyte of writes for a million rows on top of the database's own 400 MB (strace, by hand).
 * - with temporary files in memory. A multi-row insert whose values call a function (the stored
 *   rows' byte ranges, substr) might still fail part way, so SQLite keeps a statement journal for
 *   it all the same: the pages each statement changes that existed before it. Importing both
 *   benchmark files wrote 475 MB of them to a temporary file (strace, by hand); in memory they are
 *   copied, and dropped at each statement's end.
 */
export async function withBulkWrite<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const end = beginBulkWrite(db);
  // The work is asynchronous (an import's batches arrive meanwhile): there is time to flush.
  const stopFlushing = db.memory ? () => undefined : flushBehind(db.name);
  try {
    return await work();
  } finally {
    stopFlushing();
    end();
  }
}

/** withBulkWrite for synchronous work: switches the connection and returns what switches it back. */
export function beginBulkWrite(db: Db): () => void {
  let switched = false;
  // Another connection makes the switch fail: find out at once rather than after the busy timeout.
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    switched = db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    switched = false;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
  db.pragma('foreign_keys = OFF');
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  db.pragma('temp_store = MEMORY');
  return () => {
    db.pragma(`temp_store = ${tempStore}`);
    db.pragma('foreign_keys = ON');
    if (switched) db.pragma('journal_mode = WAL');
  };
}
