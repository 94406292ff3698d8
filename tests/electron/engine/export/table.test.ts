import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { type ExportTable, neutralize, writeCsv, writeXlsx } from '../../../../electron/engine/export/table';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();
const MALICIOUS = ['=HYPERLINK("http://x","点我")', '+1+1', '-2+3', '@SUM(1)', '\tcmd', '\rdata', '普通文本'];

const table: ExportTable = {
  sheet: '差异',
  headers: ['说明', '金额'],
  rows: [
    ...MALICIOUS.map((t, i) => [{ text: t }, { fen: -1230 - i }]),
    [{ text: '含"引号",逗号\n换行' }, { fen: null }],
  ],
};

describe('export tables', () => {
  it('neutralises every formula-looking start, and nothing else', () => {
    expect(MALICIOUS.map(neutralize)).toEqual([
      '\'=HYPERLINK("http://x","点我")',
      "'+1+1",
      "'-2+3",
      "'@SUM(1)",
      "'\tcmd",
      "'\rdata",
      '普通文本',
    ]);
  });

  it('writes UTF-8 CSV with a BOM and RFC 4180 quoting; money stays a plain negative number', () => {
    const path = join(tmp(), 'm.csv');
    writeCsv(path, table);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('说明,金额');
    expect(text).toContain('"\'=HYPERLINK(""http://x"",""点我"")",-12.30');
    expect(text).toContain("'+1+1,-12.31");
    expect(text).toContain('"含""引号"",逗号\n换行",');
    // Read back as a spreadsheet would: no cell is a formula.
    const wb = XLSX.read(text, { type: 'string' });
    const cells = Object.values(wb.Sheets[wb.SheetNames[0]!]!).filter(
      (c) => typeof c === 'object' && c && 't' in c,
    );
    expect(cells.some((c) => (c as XLSX.CellObject).f !== undefined)).toBe(false);
  });

  it('writes GBK on request', () => {
    const path = join(tmp(), 'm.csv');
    writeCsv(path, table, 'gbk');
    expect(iconv.decode(readFileSync(path), 'gbk').startsWith('说明,金额')).toBe(true);
  });

  it('writes .xlsx with untrusted text as text cells and money as numbers', () => {
    const path = join(tmp(), 'm.xlsx');
    writeXlsx(path, [table]);
    const wb = XLSX.read(readFileSync(path), { cellFormula: true });
    const ws = wb.Sheets.差异!;
    expect(ws.A2).toMatchObject({ t: 's', v: '=HYPERLINK("http://x","点我")' });
    expect(ws.A2?.f).toBeUndefined();
    expect(ws.B2).toMatchObject({ t: 'n', v: -12.3 });
    expect(ws.A9).toMatchObject({ t: 's', v: '含"引号",逗号\n换行' });
  });
});
