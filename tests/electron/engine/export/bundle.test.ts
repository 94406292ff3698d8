import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { buildBundle, safeFileName, verifyBundle } from '../../../../electron/engine/export/bundle';
import { importFile } from '../../../../electron/engine/import/import-file';
import { listMismatches, runReconcile } from '../../../../electron/engine/reconcile/cases';
import { openDatabase } from '../../../../electron/engine/store/database';
import { fileStoreDir } from '../../../../electron/engine/store/paths';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();
const TERMINAL = '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,凭证号,批次号,参考号,授权码,交易状态';
const SETTLEMENT =
  '清算日期,交易时间,商户号,终端号,参考号,凭证号,批次号,卡号,卡类型,交易类型,交易金额,手续费,结算金额';

async function duplicateChargeCase() {
  const dir = tmp();
  const dbPath = join(dir, 'p.sqlite');
  const db = openDatabase(dbPath);
  const terminal = join(dir, 'POS明细.csv');
  const settlement = join(dir, '清算明细.csv');
  writeFileSync(
    terminal,
    [
      TERMINAL,
      '2026-11-05 10:00:00,898310058120001,12345678,622202******2222,借记卡,消费,58.00,000002,000001,531000000002,A1B2C3,成功',
      '2026-11-05 10:03:00,898310058120001,12345678,622202******2222,借记卡,消费,58.00,000003,000001,531000000003,D4E5F6,成功',
    ].join('\n'),
  );
  writeFileSync(
    settlement,
    [
      SETTLEMENT,
      '2026-11-05,2026-11-05 10:00:00,898310058120001,12345678,531000000002,000002,000001,622202******2222,借记卡,消费,58.00,0.29,57.71',
      '2026-11-05,2026-11-05 10:03:00,898310058120001,12345678,531000000003,000003,000001,622202******2222,借记卡,消费,58.00,0.29,57.71',
    ].join('\n'),
  );
  for (const path of [terminal, settlement]) await importFile(db, fileStoreDir(dbPath), { path });
  runReconcile(db);
  const mismatches = listMismatches(db, { kind: 'duplicate_charge' });
  const bundle = buildBundle(db, fileStoreDir(dbPath), mismatches, {
    generatedBy: '店长',
    appVersion: '0.1.0',
    lang: 'zh',
  });
  return { bundle, mismatches, terminal, settlement };
}

describe('evidence bundle', () => {
  it('holds the report, the records side by side with their original rows, and the original files byte for byte', async () => {
    const { bundle, mismatches, terminal, settlement } = await duplicateChargeCase();
    expect(bundle.name).toBe('重复扣费_终端12345678_20261105_参考号531000000002.zip');
    const files = unzipSync(bundle.zip);
    expect(Object.keys(files).sort()).toEqual(
      [
        'manifest.json',
        '交易明细.xlsx',
        '原始文件/POS明细.csv',
        '原始文件/清算明细.csv',
        '申诉报告.html',
      ].sort(),
    );
    expect(Buffer.from(files['原始文件/POS明细.csv']!).equals(readFileSync(terminal))).toBe(true);
    expect(Buffer.from(files['原始文件/清算明细.csv']!).equals(readFileSync(settlement))).toBe(true);

    const html = new TextDecoder().decode(files['申诉报告.html']);
    for (const text of [
      '898310058120001',
      '12345678',
      '2222',
      '¥58.00',
      '000001',
      '000003',
      '531000000003',
      'D4E5F6',
      '申诉请求',
      '店长',
    ]) {
      expect(html).toContain(text);
    }

    const book = XLSX.read(files['交易明细.xlsx']);
    const side = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets['对照']!);
    expect(side.map((r) => [r['来源'], r['文件'], r['行号'], r['参考号']])).toEqual([
      ['终端交易', 'POS明细.csv', 2, '531000000002'],
      ['清算明细', '清算明细.csv', 2, '531000000002'],
      ['终端交易', 'POS明细.csv', 3, '531000000003'],
      ['清算明细', '清算明细.csv', 3, '531000000003'],
    ]);
    const raw = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['原始行']!, { header: 1, defval: null });
    expect(raw[1]).toEqual([
      'POS明细.csv',
      null,
      2,
      '2026-11-05 10:00:00',
      '898310058120001',
      '12345678',
      '622202******2222',
      '借记卡',
      '消费',
      '58.00',
      '000002',
      '000001',
      '531000000002',
      'A1B2C3',
      '成功',
      null, // padded to the widest original row (the settlement file has 13 columns)
    ]);

    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    expect(manifest).toMatchObject({
      app: 'PosRecon',
      appVersion: '0.1.0',
      generatedBy: '店长',
      mismatchIds: [mismatches[0]!.id],
    });
    expect(manifest.files).toHaveLength(4);
    expect(verifyBundle(bundle.zip)).toEqual({ ok: true, changed: [], missing: [], unlisted: [] });
  });

  it('fails verification when one byte of any file changes, naming the file', async () => {
    const { bundle } = await duplicateChargeCase();
    const files = unzipSync(bundle.zip);
    const tampered = new Uint8Array(files['原始文件/清算明细.csv']!);
    const last = tampered.length - 1;
    tampered[last] = tampered[last]! ^ 1;
    const changed = zipSync({ ...files, '原始文件/清算明细.csv': tampered });
    expect(verifyBundle(changed)).toMatchObject({ ok: false, changed: ['原始文件/清算明细.csv'] });
    const { '申诉报告.html': _gone, ...rest } = files;
    expect(verifyBundle(zipSync(rest))).toMatchObject({ ok: false, missing: ['申诉报告.html'] });
    expect(verifyBundle(zipSync({ ...files, 'extra.txt': strToU8('x') }))).toMatchObject({
      ok: false,
      unlisted: ['extra.txt'],
    });
  });

  it('names files so that Windows accepts them', () => {
    expect(safeFileName('重复扣费_终端1234:5678/参考号?*.zip')).toBe('重复扣费_终端1234_5678_参考号__.zip');
    expect(safeFileName('尾部空格. ')).toBe('尾部空格');
  });
});
