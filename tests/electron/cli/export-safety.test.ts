import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { posrecon } from '../../helpers/cli';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();

// Cell values built to run as formulas when a clerk opens an export in Excel or WPS.
const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?x","点我退款")',
  '+1+1',
  '@SUM(1)',
  '-2+3',
  '\r=1+1',
  '\t=1',
];
const DANGEROUS = /^[=+\-@\t\r]/;

const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;

/** RFC 4180 fields of a CSV text (quoted fields may hold commas, quotes, CR and LF). */
function csvFields(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let v = '';
      i++;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else v += text[i++];
      }
      fields.push(v);
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      fields.push(end < 0 ? text.slice(i) : text.slice(i, i + end));
      i = end < 0 ? text.length : i + end;
    }
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) i += 2;
  }
  return fields;
}

function expectCsvSafe(bytes: Uint8Array, what: string, encoding: 'utf-8' | 'gbk' = 'utf-8') {
  const text = encoding === 'gbk' ? iconv.decode(Buffer.from(bytes), 'gbk') : new TextDecoder().decode(bytes);
  const fields = csvFields(text.replace(/^\ufeff/, ''));
  expect(fields.length, what).toBeGreaterThan(5);
  for (const f of fields) expect(DANGEROUS.test(f), `${what}: ${JSON.stringify(f)}`).toBe(false);
  return fields;
}

function expectXlsxSafe(bytes: Uint8Array, what: string): string[] {
  const book = XLSX.read(bytes, { cellFormula: true });
  const texts: string[] = [];
  for (const name of book.SheetNames) {
    for (const [ref, cell] of Object.entries(book.Sheets[name]!)) {
      if (ref.startsWith('!')) continue;
      const c = cell as XLSX.CellObject;
      expect(c.f, `${what} ${name}!${ref} is a formula`).toBeUndefined();
      if (typeof c.v === 'string') texts.push(c.v);
    }
  }
  return texts;
}

describe('cells built to run as formulas come out as inert text in every export', () => {
  it('mismatch lists, evidence bundles and reports', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const header =
      '交易时间,商户号,商户名称,终端号,卡号,卡类型,交易类型,交易金额,凭证号,批次号,参考号,授权码,交易状态,备注';
    const line = (time: string, trace: string, payload: string) =>
      [
        time,
        '898310058120001',
        quote(payload),
        '12345678',
        '622202******2222',
        '借记卡',
        '消费',
        '58.00',
        trace,
        '000001',
        `531000${trace}`,
        'A1B2C3',
        '成功',
        quote(payload),
      ].join(',');
    const terminal = join(dir, 'pos.csv');
    writeFileSync(
      terminal,
      [header, ...PAYLOADS.map((p, i) => line(`2026-11-05 10:0${i}:00`, `00000${i + 1}`, p))].join('\r\n'),
    );
    expect(posrecon(['import', terminal, '--db', db]).status).toBe(0);
    const list = JSON.parse(posrecon(['mismatches', '--db', db, '--json']).stdout) as Array<{
      id: string;
      kind: string;
    }>;
    expect(list.length).toBeGreaterThan(0);
    const id = list[0]!.id;
    expect(posrecon(['note', id, '=cmd|" /C calc"!A0', '--db', db]).status).toBe(0);

    const csv = join(dir, 'm.csv');
    const gbk = join(dir, 'm-gbk.csv');
    const xlsx = join(dir, 'm.xlsx');
    expect(posrecon(['mismatches', '--db', db, '--csv', csv, '--xlsx', xlsx]).status).toBe(0);
    expect(posrecon(['mismatches', '--db', db, '--csv', gbk, '--encoding', 'gbk']).status).toBe(0);
    expect(expectCsvSafe(readFileSync(csv), 'mismatches.csv')).toContain(`'=cmd|" /C calc"!A0`);
    expect(expectCsvSafe(readFileSync(gbk), 'mismatches (GBK).csv', 'gbk')).toContain(`'=cmd|" /C calc"!A0`);
    expect(expectXlsxSafe(readFileSync(xlsx), 'mismatches.xlsx')).toContain('=cmd|" /C calc"!A0');

    const zip = join(dir, 'b.zip');
    const rowsZip = join(dir, 'rows.zip');
    const ids = list.map((m) => m.id);
    expect(posrecon(['bundle', ...ids, '--out', zip, '--db', db]).status).toBe(0);
    expect(posrecon(['bundle', ...ids, '--out', rowsZip, '--rows-only', '--db', db]).status).toBe(0);
    const files = unzipSync(readFileSync(zip));
    const texts = expectXlsxSafe(files['交易明细.xlsx']!, '交易明细.xlsx');
    for (const p of PAYLOADS) expect(texts).toContain(p); // kept exactly, as text
    const html = new TextDecoder().decode(files['申诉报告.html']);
    expect(html).not.toContain('<a ');
    expect(html).toContain('=HYPERLINK(&#34;http://evil.example/?x&#34;,&#34;点我退款&#34;)');
    const rows = unzipSync(readFileSync(rowsZip));
    const relevant = Object.keys(rows).find((n) => n.endsWith('_相关行.csv'))!;
    expect(expectCsvSafe(rows[relevant]!, relevant)).toContain(`'@SUM(1)`);

    const close = join(dir, 'close.xlsx');
    const rec = join(dir, 'rec.xlsx');
    // The reports' untrusted text is the user's name: it goes in as text too.
    const user = '=HYPERLINK("http://evil.example","x")';
    expect(
      posrecon(['close-report', '--from', '2026-11-05', '--out', close, '--user', user, '--db', db]).status,
    ).toBe(0);
    expect(
      posrecon([
        'bank-rec',
        '--from',
        '2026-11-05',
        '--to',
        '2026-11-06',
        '--out',
        rec,
        '--user',
        user,
        '--db',
        db,
      ]).status,
    ).toBe(0);
    for (const [file, what] of [
      [close, 'close report'],
      [rec, 'bank reconciliation'],
    ] as const) {
      expect(expectXlsxSafe(readFileSync(file), what).some((t) => t.includes(user))).toBe(true);
    }
  });
});
