import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { buildBundle, safeFileName, verifyBundle } from '../../../../electron/engine/export/bundle';
import { importFile } from '../../../../electron/engine/import/import-file';
import { addDays, isWorkingDay, MAINLAND_CALENDAR } from '../../../../electron/engine/reconcile/calendar';
import { listMismatches, runReconcile } from '../../../../electron/engine/reconcile/cases';
import { addAttachment, createCase, setMismatchStatus } from '../../../../electron/engine/reconcile/workflow';
import { openDatabase } from '../../../../electron/engine/store/database';
import { fileStoreDir } from '../../../../electron/engine/store/paths';
import { localNow } from '../../../../electron/engine/time';
import { MISMATCH_KINDS, MISMATCH_LABELS } from '../../../../shared/mismatches';
import { yuan } from '../../../../shared/money';
import { reconciledDay } from '../../../helpers/day-db';
import { pdfFonts, pdfText, savePdfFirstPage } from '../../../helpers/pdf';
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
  const bundle = await buildBundle(db, fileStoreDir(dbPath), mismatches, {
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
        '申诉报告.pdf',
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
    const side = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets.对照!);
    expect(side.map((r) => [r.来源, r.文件, r.行号, r.参考号])).toEqual([
      ['终端交易', 'POS明细.csv', 2, '531000000002'],
      ['清算明细', '清算明细.csv', 2, '531000000002'],
      ['终端交易', 'POS明细.csv', 3, '531000000003'],
      ['清算明细', '清算明细.csv', 3, '531000000003'],
    ]);
    const raw = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets.原始行!, { header: 1, defval: null });
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
    expect(manifest.files).toHaveLength(5);
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

describe('a bundle for every mismatch kind, from a day of real-looking exports', () => {
  it('holds a PDF with embedded Chinese fonts and the HTML, each naming every identifier the desk asks for', async () => {
    const { db, dbPath } = await reconciledDay(tmp());
    const all = listMismatches(db);
    expect(new Set(all.map((m) => m.kind))).toEqual(new Set(MISMATCH_KINDS));
    for (const m of all) {
      const bundle = await buildBundle(db, fileStoreDir(dbPath), [m], {
        generatedBy: '王店长',
        appVersion: '0.1.0',
        lang: 'zh',
      });
      const files = unzipSync(bundle.zip);
      expect(Object.keys(files)).toContain('申诉报告.pdf');
      const pdf = files['申诉报告.pdf']!;
      const fonts = pdfFonts(pdf);
      expect(fonts).toMatch(/NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
      const text = pdfText(pdf);
      const html = new TextDecoder().decode(files['申诉报告.html']);
      const identifiers = m.records.flatMap((r) =>
        [r.merchantNo, r.terminalNo, r.txnTime, r.cardLast4, r.batch, r.trace, r.rrn, r.authCode].filter(
          (v): v is string => !!v,
        ),
      );
      expect(identifiers.length).toBeGreaterThan(0);
      // What was expected against what happened, every record's amount, the shop, and the reply-by
      // day seven working days out.
      const money = [m.expectedFen, m.actualFen, ...m.records.map((r) => r.amountFen)].flatMap((f) =>
        f === null ? [] : [yuan(f)],
      );
      let replyBy = localNow().slice(0, 10);
      for (let n = 0; n < 7; ) {
        replyBy = addDays(replyBy, 1);
        if (isWorkingDay(replyBy, MAINLAND_CALENDAR)) n++;
      }
      for (const id of [
        ...identifiers,
        ...money,
        m.id,
        MISMATCH_LABELS[m.kind].zh,
        '申诉请求',
        '王店长',
        '上海好邻居便利店',
        `请于 ${replyBy} 前`,
      ]) {
        expect(text, `${m.kind}: ${id} in the PDF`).toContain(id);
        expect(html, `${m.kind}: ${id} in the HTML`).toContain(id);
      }
      if (m.kind === 'duplicate_charge') expect(text).toContain('上海好邻居便利店');
      // Page 1 as a picture to look at, A4 upright (width / height = 210 / 297).
      const png = readFileSync(savePdfFirstPage(pdf, `bundle-${m.kind}`));
      expect(png.readUInt32BE(16) / png.readUInt32BE(20)).toBeCloseTo(210 / 297, 2);

      expect(verifyBundle(bundle.zip).ok).toBe(true);
      const tampered = new Uint8Array(pdf);
      tampered[tampered.length >> 1] = tampered[tampered.length >> 1]! ^ 1;
      expect(verifyBundle(zipSync({ ...files, '申诉报告.pdf': tampered }))).toMatchObject({
        ok: false,
        changed: ['申诉报告.pdf'],
      });
    }
  });

  it('for a case: attachments, the status history and ticket, only the relevant rows on request, and English', async () => {
    const dir = tmp();
    const { db, dbPath } = await reconciledDay(dir);
    const dup = listMismatches(db, { kind: 'duplicate_charge' })[0]!;
    const fee = listMismatches(db, { kind: 'fee_mismatch' })[0]!;
    const slip = join(dir, 'slip.jpg');
    writeFileSync(slip, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9]));
    addAttachment(db, fileStoreDir(dbPath), dup.id, slip, '王店长');
    setMismatchStatus(db, dup.id, { status: 'disputed', user: '王店长', ticketNo: 'GD20261107001' });
    const theCase = createCase(db, '11月5日争议', [dup.id, fee.id], '王店长');
    const mismatches = listMismatches(db, { ids: theCase.mismatchIds });

    const zh = await buildBundle(db, fileStoreDir(dbPath), mismatches, {
      generatedBy: '王店长',
      appVersion: '0.1.0',
      lang: 'zh',
      case: theCase,
      rowsOnly: true,
    });
    expect(zh.name).toMatch(/^案件\d+_/);
    const unzipped = unzipSync(zh.zip);
    expect(Buffer.from(unzipped['附件/slip.jpg']!).equals(readFileSync(slip))).toBe(true);
    const rows = new TextDecoder().decode(unzipped['原始文件/POS交易明细_20261105.csv_相关行.csv']);
    expect(rows.split('\r\n').filter(Boolean)).toHaveLength(1 + 3); // header + the three terminal rows
    expect(rows).toContain('531000000003');
    const manifest = JSON.parse(new TextDecoder().decode(unzipped['manifest.json']));
    expect(manifest).toMatchObject({ caseId: theCase.id, rowsOnly: true });
    // The whole originals are still identified, so the rows can be checked against the merchant's copy.
    expect(manifest.originals.map((o: { file: string }) => o.file).sort()).toEqual(
      ['POS交易明细_20261105.csv', '清算明细_20261105.csv'].sort(),
    );
    const text = pdfText(unzipped['申诉报告.pdf']!);
    for (const s of ['GD20261107001', '已申诉', 'slip.jpg', '11月5日争议', '¥59.00'])
      expect(text).toContain(s);

    const en = await buildBundle(db, fileStoreDir(dbPath), mismatches, {
      generatedBy: 'Manager Wang',
      appVersion: '0.1.0',
      lang: 'en',
      case: theCase,
    });
    const enText = pdfText(unzipSync(en.zip)['申诉报告.pdf']!);
    for (const s of [
      'Transaction dispute report',
      'Duplicate charge',
      'Our request',
      'GD20261107001',
      'Disputed',
    ]) {
      expect(enText).toContain(s);
    }
  });
});
