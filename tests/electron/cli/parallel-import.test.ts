import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type ImportOutcome, importFile, importFiles } from '../../../electron/engine/import/import-file';
import { PART_BYTES, textParts } from '../../../electron/engine/import/parse';
import { ParseWorkers } from '../../../electron/engine/import/parse-worker-client';
import { SLOT_BYTES } from '../../../electron/engine/import/parse-worker-protocol';
import { openDatabase } from '../../../electron/engine/store/database';
import { posrecon } from '../../helpers/cli';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();

/**
 * A GBK settlement export of some 11 MB: large enough to be read in parts by two workers. Some
 * merchant names are quoted, with a comma or a line break inside; some hold a bare quote inside
 * the cell (`5"`), which is text, not the start of a field. The record that crosses the first
 * part's natural end has a quoted name of 200 lines, so that cut has to move past it. The first
 * row appears again, identical, near the end.
 */
function bigSettlementCsv(path: string, rows: number, shop = '示例便利店'): void {
  const lines = [
    '清算明细',
    '清算日期,交易时间,商户号,商户名称,终端号,参考号,凭证号,卡号,卡类型,交易类型,交易金额,手续费,结算金额',
  ];
  let bytes = lines.reduce((n, l) => n + gbkBytes(l) + 2, 0);
  let spanned = false;
  const row = (i: number) => {
    const crossing = !spanned && bytes + 400 > PART_BYTES;
    spanned ||= crossing;
    const name = crossing
      ? `"${shop}${'\n（分店）'.repeat(200)}"`
      : i % 997 === 0
        ? `"${shop}\n（二号店）"`
        : i % 101 === 0
          ? `"${shop}, 人民路"`
          : i % 1009 === 500
            ? `${shop}5"店`
            : shop;
    const s = String(i % 60).padStart(2, '0');
    const m = String(Math.floor(i / 60) % 60).padStart(2, '0');
    return `2026-11-06,2026-11-05 ${String(8 + (Math.floor(i / 3600) % 12)).padStart(2, '0')}:${m}:${s},898310058120001,${name},12345678,${100000000000 + i},${String(i % 1000000).padStart(6, '0')},622202******${String(i % 10000).padStart(4, '0')},借记卡,消费,${(i % 5000) + 1}.00,0.05,${i % 5000}.95`;
  };
  for (let i = 0; i < rows; i++) {
    lines.push(row(i));
    bytes += gbkBytes(lines.at(-1)!) + 2;
  }
  lines.push(row(0));
  lines.push('合计,,,,,,,,,,,,');
  writeFileSync(path, iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk'));
}

/** Bytes of `text` in GBK: two for each character beyond ASCII. */
function gbkBytes(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.charCodeAt(0) < 0x80 ? 1 : 2;
  return n;
}

/** The built command line parses in workers (without its worker script it would read inline,
 *  like the other side of each comparison): its parts of this file. */
function partsOf(file: string) {
  const script = join(__dirname, '..', '..', '..', 'out', 'cli', 'parse-worker.js');
  expect(existsSync(script)).toBe(true);
  const bytes = readFileSync(file);
  return { bytes, parts: textParts(bytes, 'x.csv')?.ranges ?? [], script };
}

/** Imports the file with the built command line (its workers read it in parts) into
 *  parts.sqlite beside it; the import's report. */
function importInParts(file: string, dir: string) {
  const res = posrecon(['import', file, '--db', join(dir, 'parts.sqlite'), '--json']);
  expect(res.status, res.stderr).toBe(0);
  return JSON.parse(res.stdout)[0];
}

const STORED_OF = 'SELECT row_no, fp, codes, amount_fen, fee_fen, net_fen, f, raw FROM record_rows';
const STORED = `${STORED_OF} ORDER BY id`;

describe('a large text file read by two workers in parts', () => {
  it('stores exactly what reading it whole on one thread stores, row numbers and fingerprints included', async () => {
    const dir = tmp();
    const file = join(dir, '清算明细.csv');
    bigSettlementCsv(file, 80_000);
    const split = partsOf(file);
    expect(split.parts.length).toBeGreaterThan(4);
    // The first line feed after PART_BYTES is inside the 200-line name: the cut moved past it.
    const natural = split.bytes.indexOf(0x0a, PART_BYTES) + 1;
    expect(split.parts[0]!.end).toBeGreaterThan(natural);

    const report = importInParts(file, dir);
    expect(report).toMatchObject({ ok: true, stored: 80_001, rejected: 0, footer: 1 });

    // Under the unit tests there is no bundled worker: importFile reads the file whole, inline.
    const whole = openDatabase(join(dir, 'whole.sqlite'));
    const outcome = await importFile(whole, join(dir, 'whole.files'), { path: file });
    expect(outcome.ok).toBe(true);
    const parts = openDatabase(join(dir, 'parts.sqlite'));
    const a = parts.prepare(STORED).all() as Array<{ row_no: number; fp: number; raw: string }>;
    const b = whole.prepare(STORED).all();
    expect(a).toHaveLength(80_001);
    expect(a).toEqual(b);
    // The file's hash, as either way stores it, is the file's.
    const hashOf = (db: typeof parts) => db.prepare('SELECT file_sha256 FROM imports').pluck().get();
    expect(hashOf(parts)).toBe(createHash('sha256').update(split.bytes).digest('hex'));
    expect(hashOf(parts)).toBe(hashOf(whole));
    // The identical last row is a second occurrence, not an overlap: both are kept, apart.
    expect(a.at(-1)!.fp).not.toBe(a[0]!.fp);
    // A record whose quoted name spans two lines starts on its own line; the next one after it.
    const named = parts
      .prepare(
        "SELECT row_no, merchant_name FROM records WHERE merchant_name LIKE '%二号店%' ORDER BY id LIMIT 2",
      )
      .all() as Array<{ row_no: number; merchant_name: string }>;
    expect(named[0]).toEqual({ row_no: 3, merchant_name: '示例便利店\n（二号店）' });
    expect(named[1]!.row_no).toBe(3 + 997 + 1);
    parts.close();
    whole.close();
  });

  it('stores a batch too large for its slot (rows of enormous cells) just the same', async () => {
    const dir = tmp();
    const file = join(dir, '清算明细.csv');
    // Rows of 1,500 characters: a 2 MB part holds some 700 of them.
    bigSettlementCsv(file, 6_000, '示例便利店'.repeat(300));
    // Every row's name is packed twice (fields and cells), as UTF-8: a part's batch is over a slot.
    const split = partsOf(file);
    const first = iconv.decode(split.bytes.subarray(split.parts[0]!.start, split.parts[0]!.end), 'gbk');
    expect(split.parts.length).toBeGreaterThan(4);
    expect(2 * Buffer.byteLength(first)).toBeGreaterThan(SLOT_BYTES);
    importInParts(file, dir);
    const whole = openDatabase(join(dir, 'whole.sqlite'));
    expect((await importFile(whole, join(dir, 'whole.files'), { path: file })).ok).toBe(true);
    const parts = openDatabase(join(dir, 'parts.sqlite'));
    const a = parts.prepare(STORED).all();
    expect(a).toHaveLength(6_001);
    expect(a).toEqual(whole.prepare(STORED).all());
    parts.close();
    whole.close();
  });

  it('stops the workers it started when the file is refused, so that the command ends', () => {
    const dir = tmp();
    const file = join(dir, '清算明细.csv');
    bigSettlementCsv(file, 40_000);
    expect(partsOf(file).parts.length).toBeGreaterThan(1);
    const db = join(dir, 'p.sqlite');
    // The workers start before the file is read; an idle one would keep the process alive. A
    // time limit turns a hang into a failure.
    const run = (...args: string[]) => posrecon(['import', ...args, '--db', db], {}, 60_000);
    const unknown = run(file, '--encoding', 'no-such-encoding');
    expect([unknown.status, unknown.stdout]).toEqual([3, expect.stringContaining('no-such-encoding')]);
    expect(run(file).status).toBe(0);
    const again = run(file);
    expect([again.status, again.stdout]).toEqual([3, expect.stringContaining('already imported')]);
  });

  it('imports several files in turn, each next one parsed while the one before is stored, and ends', () => {
    const dir = tmp();
    const [a, b, copy] = ['a.csv', 'b.csv', 'a-copy.csv'].map((name) => join(dir, name)) as [
      string,
      string,
      string,
    ];
    bigSettlementCsv(a, 40_000);
    bigSettlementCsv(b, 45_000, '示例超市');
    writeFileSync(copy, readFileSync(a));
    expect(partsOf(b).parts.length).toBeGreaterThan(1);
    const db = join(dir, 'p.sqlite');
    // The next file's workers start before its turn; left running, they would keep the process
    // alive. A time limit turns a hang into a failure.
    const res = posrecon(
      ['import', a, b, copy, join(dir, 'missing.csv'), b, '--db', db, '--json'],
      {},
      120_000,
    );
    expect(res.status, res.stderr).toBe(3);
    const outcomes = JSON.parse(res.stdout) as Array<{
      file: string;
      ok: boolean;
      stored?: number;
      error?: { code: string };
    }>;
    expect(outcomes.map((o) => [o.file, o.ok, o.stored ?? o.error?.code])).toEqual([
      ['a.csv', true, 40_001],
      ['b.csv', true, 45_001],
      ['a-copy.csv', false, 'already_imported'],
      ['missing.csv', false, 'cannot_open'],
      ['b.csv', false, 'already_imported'],
    ]);
    const stored = openDatabase(db);
    const byImport = stored
      .prepare(
        'SELECT i.file_name AS file, count(*) AS n, min(r.merchant_name) AS shop FROM records r JOIN imports i ON i.id = r.import_id GROUP BY i.id ORDER BY i.id',
      )
      .all();
    expect(byImport).toEqual([
      { file: 'a.csv', n: 40_001, shop: '示例便利店' },
      { file: 'b.csv', n: 45_001, shop: '示例超市' },
    ]);
    stored.close();
  });

  it('reads every file of a run on the threads the files before used, whatever their sizes, after one it cannot read', async () => {
    const dir = tmp();
    const files = [
      ['a.csv', 40_000, '示例便利店'],
      ['b.csv', 45_000, '示例超市'],
      ['small.csv', 60, '示例小卖部'],
      ['c.csv', 42_000, '示例药店'],
      ['tiny.csv', 30, '示例书店'],
    ] as const;
    for (const [name, rows, shop] of files) bigSettlementCsv(join(dir, name), rows, shop);
    // A file with no header row any layout knows: the thread that reads it says so, and reads the
    // next file.
    writeFileSync(join(dir, 'notes.csv'), 'hello,world\nsome,notes\n');
    const order = ['a.csv', 'b.csv', 'small.csv', 'notes.csv', 'c.csv', 'tiny.csv'];
    const db = openDatabase(join(dir, 'run.sqlite'));
    // The built parsing threads, each counted once however many files it reads.
    const pool = new ParseWorkers(partsOf(join(dir, 'a.csv')).script);
    const threads = new Set<unknown>();
    const take = pool.take.bind(pool);
    pool.take = (count) => {
      const taken = take(count);
      for (const w of taken) threads.add(w);
      return taken;
    };
    const outcomes: ImportOutcome[] = [];
    // Each stored batch waits a little, so that the next file's parse starts while the batches of
    // the one before still fill the threads' slots: a thread must not write over them.
    const slowly = () => {
      const until = Date.now() + 60;
      while (Date.now() < until);
    };
    const reqs = order.map((name) => ({ path: join(dir, name) }));
    for await (const o of importFiles(db, join(dir, 'store'), reqs, slowly, pool)) outcomes.push(o);
    expect(outcomes.map((o) => [o.fileName, o.ok ? o.result.stored : o.error.code])).toEqual([
      ['a.csv', 40_001],
      ['b.csv', 45_001],
      ['small.csv', 61],
      ['notes.csv', 'unknown_layout'],
      ['c.csv', 42_001],
      ['tiny.csv', 31],
    ]);
    expect(threads.size).toBe(2);
    // Each file's rows are stored exactly as reading it alone on one thread stores them: no batch
    // went to another file, whichever thread and slot carried it.
    for (const [index, [name]] of files.entries()) {
      const alone = openDatabase(join(dir, `${name}.sqlite`));
      await importFile(alone, join(dir, 'store-alone'), { path: join(dir, name) });
      expect(
        db
          .prepare(`${STORED_OF} WHERE import_id = ? ORDER BY id`)
          .raw()
          .all(index + 1),
      ).toEqual(alone.prepare(STORED).raw().all());
      alone.close();
    }
    db.close();
  });

  it('reads the next file of a run while the one before is stored, and imports it as read then', async () => {
    const dir = tmp();
    const [a, b] = ['a.csv', 'b.csv'].map((name) => join(dir, name)) as [string, string];
    bigSettlementCsv(a, 40_000);
    bigSettlementCsv(b, 45_000, '示例超市');
    const db = openDatabase(join(dir, 'run.sqlite'));
    const pool = new ParseWorkers(partsOf(a).script);
    // Once the first file's rows are being stored, the second is gone from the folder: it was
    // read from the moment the run started.
    const removeB = (index: number, p: { stored: number }) => {
      if (index === 0 && p.stored > 0 && existsSync(b)) rmSync(b);
    };
    const outcomes: ImportOutcome[] = [];
    for await (const o of importFiles(db, join(dir, 'store'), [{ path: a }, { path: b }], removeB, pool))
      outcomes.push(o);
    expect(existsSync(b)).toBe(false);
    expect(outcomes.map((o) => [o.fileName, o.ok ? o.result.stored : o.error.code])).toEqual([
      ['a.csv', 40_001],
      ['b.csv', 45_001],
    ]);
    db.close();
  });

  it('counts a summary block that runs across parts as footer, as reading it whole does', async () => {
    const dir = tmp();
    const file = join(dir, '清算明细.csv');
    bigSettlementCsv(file, 30_000);
    // After the 合计 line, 40,000 lines of totals (about 1.7 MB): a part starts inside them, so its
    // thread reads them without having seen the 合计 line. Each alone is no footer line.
    const notice = Array.from(
      { length: 40_000 },
      (_, i) => `\`${i + 1},\`${i + 1}.00,\`0.00,\`${i}.00,分店小计`,
    );
    appendFileSync(file, iconv.encode(`${notice.join('\r\n')}\r\n`, 'gbk'));
    const split = partsOf(file);
    const footerAt = split.bytes.indexOf(iconv.encode('合计,', 'gbk'));
    expect(footerAt).toBeGreaterThan(0);
    expect(split.parts.some((p) => p.start > footerAt)).toBe(true);

    const report = importInParts(file, dir);
    expect(report).toMatchObject({ ok: true, stored: 30_001, rejected: 0, footer: 40_001 });
    const whole = openDatabase(join(dir, 'whole.sqlite'));
    const outcome = await importFile(whole, join(dir, 'whole.files'), { path: file });
    expect(outcome.ok && outcome.result).toMatchObject({ stored: 30_001, rejected: 0, footer: 40_001 });
    whole.close();
  });
});
