import type { Statement } from 'better-sqlite3';
import type { ImportHistoryEntry, Rejected } from '../../../shared/api';
import type { NormalizedRecord, Source } from '../../../shared/records';
import { localNow } from '../time';
import { beginPageCache, type Db, withBulkWrite } from './database';
import { forgetOriginal, keepOriginalSoon } from './file-store';
import { fingerprint, occurrenceHash } from './fingerprint';
import {
  INSERT_COLUMNS,
  PARAM,
  type PackedRows,
  putParams,
  putRunParams,
  ROW_VALUES,
  RUN_ROW_VALUES,
  RUN_STRIDE,
  rekeyedFingerprint,
  rowContent,
  rowStart,
  STRIDE,
  type StoredContent,
  sameContent,
} from './record-columns';

/** One parsed data row on its way into the store. */
export interface ParsedRecord {
  row: number;
  /** The row's original cell texts. */
  raw: string[];
  /** The delimiter the cells were split at, for a text line without quotes (RawRow.plain). */
  plain?: string | undefined;
  record: NormalizedRecord;
}

/** A row that could not be read: file row, column, value and why, in both languages. */
export type RejectedRow = Rejected;

export interface ParseBatch {
  records: ParsedRecord[];
  rejects: RejectedRow[];
  /** Rows read after the header (data, rejected and footer rows; blank lines excluded). */
  rowsRead: number;
  footerRows: number;
}

/** A stored row with a warning: an identifier Excel had already cut short, say. */
export interface FlaggedRow {
  row: number;
  flags: string[];
}

/** A batch as the store takes it: rows already packed for the insert statement. */
export interface StoreBatch {
  packed: PackedRows;
  rejects: RejectedRow[];
  /** Rows stored with a warning: how many, and the first of them (FLAGGED_LISTED in a read). */
  flaggedCount: number;
  flagged: FlaggedRow[];
  rowsRead: number;
  footerRows: number;
}

/** What an import is: which file, read how. */
export interface ImportMeta {
  fileName: string;
  sha256: string;
  source: Source;
  presetId: string | null;
  presetName: string | null;
  encoding: string | null;
  sheet: string | null;
  headerRow: number;
  bytes: Uint8Array;
  /** Field → header text, as used for this file. */
  columns: Record<string, string>;
}

export interface ImportCounts {
  rowsRead: number;
  stored: number;
  overlap: number;
  footer: number;
  rejected: number;
  /** Rows stored with a warning (see flaggedRows). */
  flagged: number;
}

export interface ImportResult extends ImportCounts {
  importId: number;
  /** The first FLAGGED_LISTED rows stored with a warning. */
  flaggedRows: FlaggedRow[];
  /** The first rejected rows (all of them are stored with the import, up to REJECTS_KEPT). */
  rejects: RejectedRow[];
}

export class AlreadyImportedError extends Error {
  readonly zh: string;
  readonly en: string;
  constructor(
    readonly fileName: string,
    readonly importId: number,
    readonly importedAt: string,
    readonly previousName: string,
  ) {
    const en = `${fileName} was already imported on ${importedAt} (import #${importId}, as ${previousName}); nothing changed.`;
    super(en);
    this.name = 'AlreadyImportedError';
    this.en = en;
    this.zh = `${fileName} 已于 ${importedAt} 导入过（导入 #${importId}，文件名 ${previousName}），未做任何修改。`;
  }
}

/** Rows stored with a warning that an import lists (all are counted). */
export const FLAGGED_LISTED = 1000;
/** Rejected rows kept per import: enough for any real file, bounded for a hostile one. */
const REJECTS_KEPT = 100_000;
/** Rows per multi-row INSERT: one statement execution per chunk is far cheaper than per row. 512
 *  rather than 128: importing either 1M-row bench file, alternating builds, took 3.65 s against
 *  3.76 s and 3.40 s against 3.53 s (means of six runs each, by hand). */
export const CHUNK = 512;

export function findImportByHash(
  db: Db,
  sha256: string,
): { id: number; imported_at: string; file_name: string } | undefined {
  return db.prepare('SELECT id, imported_at, file_name FROM imports WHERE file_sha256 = ?').get(sha256) as
    | { id: number; imported_at: string; file_name: string }
    | undefined;
}

/**
 * Stores one file's rows in a single transaction: either the whole file lands, with its
 * original bytes kept beside the database, or nothing does.
 */
export async function storeImport(
  db: Db,
  fileStore: string,
  meta: ImportMeta,
  batches: Iterable<StoreBatch> | AsyncIterable<StoreBatch>,
  onProgress?: (counts: ImportCounts) => void,
): Promise<ImportResult> {
  const previous = findImportByHash(db, meta.sha256);
  if (previous)
    throw new AlreadyImportedError(meta.fileName, previous.id, previous.imported_at, previous.file_name);

  const original = keepOriginalSoon(fileStore, meta.sha256, meta.bytes);
  const restoreCache = beginPageCache(db, importCacheKiB(db));
  try {
    return await withBulkWrite(db, () => writeImport(db, fileStore, original, meta, batches, onProgress));
  } finally {
    restoreCache();
  }
}

/**
 * The page cache an import keeps, in KiB: enough for the index of the records' fingerprints, into
 * which its rows go in random order. With better-sqlite3's 16 MB, a million rows imported beside a
 * million took 2.9 s to insert, and 2.1–2.3 s with 64 MiB (twice each, by hand): an index larger than
 * the cache is read back from the OS page by page. About 32 bytes a record (an entry and its
 * share of a page), from 64 MiB to 512 MiB.
 */
function importCacheKiB(db: Db): number {
  const records = db.prepare('SELECT coalesce(max(id), 0) FROM record_rows').pluck().get() as number;
  return Math.min(512 * 1024, Math.max(64 * 1024, (records * 32) / 1024));
}

async function writeImport(
  db: Db,
  fileStore: string,
  original: { name: string; written: Promise<void> },
  meta: ImportMeta,
  batches: Iterable<StoreBatch> | AsyncIterable<StoreBatch>,
  onProgress?: (counts: ImportCounts) => void,
): Promise<ImportResult> {
  const counts: ImportCounts = { rowsRead: 0, stored: 0, overlap: 0, footer: 0, rejected: 0, flagged: 0 };
  const firstFlagged: FlaggedRow[] = [];
  const firstRejects: RejectedRow[] = [];
  db.exec('BEGIN IMMEDIATE');
  try {
    db.prepare('INSERT OR IGNORE INTO files (sha256, size, stored_name) VALUES (?, ?, ?)').run(
      meta.sha256,
      meta.bytes.byteLength,
      original.name,
    );
    const importId = Number(
      db
        .prepare(
          `INSERT INTO imports (file_name, file_sha256, source, preset_id, preset_name, encoding, sheet, header_row,
             columns_json, rows_read, rows_stored, rows_overlap, rows_footer, rows_rejected, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?)`,
        )
        .run(
          meta.fileName,
          meta.sha256,
          meta.source,
          meta.presetId,
          meta.presetName,
          meta.encoding,
          meta.sheet,
          meta.headerRow,
          JSON.stringify(meta.columns),
          localNow(),
        ).lastInsertRowid,
    );
    const writer = new RecordWriter(db, importId);
    const insertReject = db.prepare(
      'INSERT INTO import_rejects (import_id, row_no, column_name, value, reason_zh, reason_en) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // A file's summary block runs from its first footer line to its end: past it, a row that is
    // not a record is footer, not rejected. Threads reading a file in parts each start outside it,
    // so that is decided here, where the batches arrive in file order.
    let inFooter = false;
    for await (const batch of batches) {
      writer.add(batch.packed);
      if (inFooter) counts.footer += batch.rejects.length;
      else {
        for (const r of batch.rejects) {
          if (counts.rejected < REJECTS_KEPT)
            insertReject.run(importId, r.row, r.column, r.value, r.reasonZh, r.reasonEn);
          if (firstRejects.length < 1000) firstRejects.push(r);
          counts.rejected++;
        }
      }
      counts.flagged += batch.flaggedCount;
      for (const f of batch.flagged) if (firstFlagged.length < FLAGGED_LISTED) firstFlagged.push(f);
      counts.rowsRead += batch.rowsRead;
      counts.footer += batch.footerRows;
      if (batch.footerRows > 0) inFooter = true;
      counts.stored = writer.stored;
      counts.overlap = writer.overlap;
      onProgress?.({ ...counts });
    }
    counts.stored = writer.stored;
    counts.overlap = writer.overlap;
    onProgress?.({ ...counts });
    db.prepare(
      `UPDATE imports SET rows_read = ?, rows_stored = ?, rows_overlap = ?, rows_footer = ?, rows_rejected = ?,
         rows_held = ? WHERE id = ?`,
    ).run(
      counts.rowsRead,
      counts.stored,
      counts.overlap,
      counts.footer,
      counts.rejected,
      counts.stored,
      importId,
    );
    // The original is on disk before the records that point at it are committed.
    await original.written;
    db.exec('COMMIT');
    return { importId, ...counts, rejects: firstRejects, flaggedRows: firstFlagged };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    await original.written.catch(() => undefined);
    const stillUsed = db.prepare('SELECT 1 FROM files WHERE sha256 = ?').get(meta.sha256);
    if (!stillUsed) forgetOriginal(fileStore, original.name);
    throw err;
  }
}

/** A stored row as RecordWriter looks it up by fingerprint. */
type StoredRow = { id: number; import_id: number; row_no: number } & StoredContent;

/** Inserts packed rows in multi-row chunks, recognising rows an earlier overlapping export already
 *  brought in (same normalised content, same occurrence number within the file). */
class RecordWriter {
  stored = 0;
  overlap = 0;
  /** A chunk's row parameters, RUN_STRIDE per row, then the named ones (the import, the bytes). */
  private readonly params: unknown[] = new Array(CHUNK * RUN_STRIDE + 1).fill(null);
  private readonly named: { importId: number; bytes: Buffer | null };
  /** For a content whose insert met a stored row (by its hash): the next occurrence not yet taken by
   *  one of this file's rows. Needed, not only quicker: an occurrence this file met as an earlier
   *  import's record became a sighting, and the file's next identical row must take the next
   *  occurrence rather than meet that record again. */
  private readonly taken = new Map<number, number>();
  /** Insert statements by their number of rows: CHUNK, and powers of two for a batch's last rows. */
  private readonly inserts = new Map<number, Statement>();
  private readonly head = `INSERT OR IGNORE INTO record_rows (${INSERT_COLUMNS.join(',')}) VALUES `;
  private readonly insertOne;
  private readonly byFp;
  private readonly sighting;

  constructor(
    private readonly db: Db,
    private readonly importId: number,
  ) {
    this.named = { importId, bytes: null };
    this.params[CHUNK * RUN_STRIDE] = this.named;
    this.insertOne = db.prepare(this.head + ROW_VALUES);
    this.byFp = db.prepare(
      'SELECT id, import_id, row_no, codes, amount_fen, fee_fen, net_fen, f FROM record_rows WHERE fp = ?',
    );
    this.sighting = db.prepare(
      'INSERT INTO record_sightings (record_id, import_id, row_no, raw) VALUES (?, ?, ?, CAST(? AS TEXT))',
    );
  }

  /** Inserts a packed batch's rows: chunks of CHUNK rows, then its last rows in runs of a power of
   *  two, each run's bytes bound once (a run never spans batches, whose bytes are reused). */
  add(packed: PackedRows): void {
    for (let first = 0; first < packed.count; ) {
      const left = packed.count - first;
      const rows = left >= CHUNK ? CHUNK : 2 ** Math.floor(Math.log2(left));
      this.insertRun(packed, first, rows);
      first += rows;
    }
  }

  private insertRun(packed: PackedRows, first: number, rows: number): void {
    const start = rowStart(packed, first);
    for (let k = 0; k < rows; k++) putRunParams(this.params, k * RUN_STRIDE, packed, first + k, start);
    this.named.bytes = packed.bytes.subarray(start, rowStart(packed, first + rows));
    const insert = this.insertOf(rows);
    // Spread, not the array: better-sqlite3 reads an array's elements one property lookup at a
    // time, which took the importing thread 0.6 s of two million rows (by perf); arguments it
    // reads directly.
    const inserted = (
      rows === CHUNK
        ? insert.run(...this.params)
        : insert.run(...this.params.slice(0, rows * RUN_STRIDE), this.named)
    ).changes;
    this.stored += inserted;
    if (inserted === rows) return;
    // Some fingerprints were taken: those rows, as single inserts take them.
    const single: unknown[] = [];
    for (let k = 0; k < rows; k++) putParams(single, k * STRIDE, packed, first + k, this.importId);
    this.resolveConflicts(single);
  }

  private insertOf(rows: number): Statement {
    let insert = this.inserts.get(rows);
    if (!insert) {
      insert = this.db.prepare(this.head + Array.from({ length: rows }, () => RUN_ROW_VALUES).join(','));
      this.inserts.set(rows, insert);
    }
    return insert;
  }

  /** Rows of a chunk that were not inserted: their fingerprint was taken. */
  private resolveConflicts(rows: unknown[]): void {
    for (let base = 0; base < rows.length; base += STRIDE) {
      const existing = this.byFp.get(rows[base + PARAM.fp]) as StoredRow | undefined;
      // The row itself, inserted with the others.
      if (existing && existing.import_id === this.importId && existing.row_no === rows[base + PARAM.rowNo])
        continue;
      this.place(rows.slice(base, base + STRIDE), existing);
    }
  }

  /**
   * Stores a row whose first occurrence's fingerprint was taken, walking its content's occurrences
   * in this file: one taken by an earlier row of this file is passed over; one an earlier import
   * stored with the same content is an overlapping export's copy of it (kept as a sighting); a free
   * one is the row's. A stored record of different content that holds a fingerprint (a collision,
   * vanishingly rare) moves the row to another free value.
   */
  private place(row: unknown[], atFirst: StoredRow | undefined): void {
    const { hash, seconds } = rowContent(row, 0);
    const fingerprintOf = (n: number) => fingerprint(seconds, n === 0 ? hash : occurrenceHash(hash, n));
    let occurrence = this.taken.get(hash) ?? 0;
    let fp = fingerprintOf(occurrence);
    // The row's own fingerprint (its first occurrence's) has just been looked up.
    let known = occurrence === 0 ? atFirst : undefined;
    for (;;) {
      const existing = known ?? (this.byFp.get(fp) as StoredRow | undefined);
      known = undefined;
      if (!existing) {
        row[PARAM.fp] = fp;
        this.stored += this.insertOne.run(row).changes;
        break;
      }
      if (!sameContent(existing, row)) {
        fp = rekeyedFingerprint(fp, row);
        continue;
      }
      if (existing.import_id !== this.importId) {
        this.sighting.run(existing.id, this.importId, row[PARAM.rowNo], row[PARAM.raw]);
        this.overlap++;
        break;
      }
      fp = fingerprintOf(++occurrence);
    }
    this.taken.set(hash, occurrence + 1);
  }
}

/** An import as the history lists it (the API's shape), with the file's hash and preset id. */
export interface ImportSummary extends ImportHistoryEntry {
  sha256: string;
  presetId: string | null;
}

export function listImports(db: Db): ImportSummary[] {
  return db
    .prepare(
      `SELECT i.id, i.file_name AS fileName, i.file_sha256 AS sha256, i.source, i.preset_id AS presetId,
              i.preset_name AS presetName, i.encoding, i.sheet, i.header_row AS headerRow, i.rows_read AS rowsRead,
              i.rows_stored AS stored, i.rows_overlap AS overlap, i.rows_footer AS footer,
              i.rows_rejected AS rejected, i.imported_at AS importedAt, i.rows_held AS records
       FROM imports i ORDER BY i.id`,
    )
    .all() as ImportSummary[];
}

export function listRejects(db: Db, importId: number): RejectedRow[] {
  return db
    .prepare(
      `SELECT row_no AS row, column_name AS "column", value, reason_zh AS reasonZh, reason_en AS reasonEn
       FROM import_rejects WHERE import_id = ? ORDER BY row_no`,
    )
    .all(importId) as RejectedRow[];
}

export class UnknownImportError extends Error {
  constructor(readonly importId: number) {
    super(`There is no import #${importId}.`);
    this.name = 'UnknownImportError';
  }
}

/**
 * Removes an import with everything it brought in and nothing else. Records that a later,
 * overlapping import also contained are handed over to that import rather than deleted.
 */
export function undoImport(
  db: Db,
  fileStore: string,
  importId: number,
): { removed: number; handedOver: number } {
  const imp = db.prepare('SELECT file_sha256 FROM imports WHERE id = ?').get(importId) as
    | { file_sha256: string }
    | undefined;
  if (!imp) throw new UnknownImportError(importId);
  const result = db.transaction(() => {
    db.prepare('DELETE FROM record_sightings WHERE import_id = ?').run(importId);
    const handOver = db.prepare(
      `SELECT s.rowid AS sid, s.record_id, s.import_id, s.row_no, s.raw FROM record_sightings s
       JOIN records r ON r.id = s.record_id WHERE r.import_id = ? ORDER BY s.import_id`,
    );
    const move = db.prepare(
      'UPDATE record_rows SET import_id = ?, row_no = ?, raw = ? WHERE id = ? AND import_id = ?',
    );
    const dropSighting = db.prepare('DELETE FROM record_sightings WHERE rowid = ?');
    // Records handed to each later import, counted onto it once the handing over is done.
    const received = new Map<number, number>();
    let handedOver = 0;
    for (const s of handOver.all(importId) as Array<{
      sid: number;
      record_id: number;
      import_id: number;
      row_no: number;
      raw: string;
    }>) {
      if (move.run(s.import_id, s.row_no, s.raw, s.record_id, importId).changes === 1) {
        dropSighting.run(s.sid);
        received.set(s.import_id, (received.get(s.import_id) ?? 0) + 1);
        handedOver++;
      }
    }
    const held = db.prepare('UPDATE imports SET rows_held = rows_held + ? WHERE id = ?');
    for (const [id, count] of received) held.run(count, id);
    const removed = db.prepare('DELETE FROM record_rows WHERE import_id = ?').run(importId).changes;
    db.prepare('DELETE FROM import_rejects WHERE import_id = ?').run(importId);
    db.prepare('DELETE FROM imports WHERE id = ?').run(importId);
    const file = db.prepare('SELECT stored_name FROM files WHERE sha256 = ?').get(imp.file_sha256) as {
      stored_name: string;
    };
    db.prepare('DELETE FROM files WHERE sha256 = ?').run(imp.file_sha256);
    return { removed, handedOver, storedName: file.stored_name };
  })();
  forgetOriginal(fileStore, result.storedName);
  return { removed: result.removed, handedOver: result.handedOver };
}
