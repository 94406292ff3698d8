import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../../electron/engine/import/parse';
import { readErrorOf } from '../../../helpers/errors';
import { handXlsx, sheetXml } from '../../../helpers/xlsx';

function rowsOf(bytes: Uint8Array, name: string) {
  const parsed = parseFile(bytes, name);
  const records = [];
  for (const b of parsed.batches()) records.push(...b.records);
  return { layout: parsed.layout, records };
}

const HEADER = ['交易时间', '终端号', '卡号', '卡类型', '交易金额', '凭证号', '批次号', '参考号', '交易状态'];
const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const row = (n: number, values: string[]) =>
  `<row r="${n}">${values.map((v, i) => cell(`${String.fromCharCode(65 + i)}${n}`, v)).join('')}</row>`;
const DATA = [
  '2026-11-05 10:00:00',
  '12345678',
  '622202******1234',
  '借记卡',
  '100.00',
  '000001',
  '000001',
  '000000000001',
  '成功',
];

describe('hostile files fail fast with a clear error, or read normally', () => {
  it('refuses a zip bomb dressed as a workbook before inflating it', () => {
    const zeros = new Uint8Array(300 * 1024 * 1024);
    const bomb = zipSync(
      { 'xl/worksheets/sheet1.xml': zeros, '[Content_Types].xml': strToU8('<Types/>') },
      { level: 9 },
    );
    expect(bomb.byteLength).toBeLessThan(2 * 1024 * 1024);
    const err = readErrorOf(() => parseFile(bomb, '对账单.xlsx'));
    expect(err.code).toBe('zip_bomb');
    expect(err.en).toMatch(/^对账单\.xlsx: /);
  });

  it('reads a sheet that claims A1:XFD1048576 without allocating for the claim', () => {
    const xml = sheetXml(`${row(1, HEADER)}${row(2, DATA)}`, '<dimension ref="A1:XFD1048576"/>');
    const { layout, records } = rowsOf(handXlsx({ sheets: [{ name: '明细', xml }] }), 'claims.xlsx');
    expect(layout.preset?.id).toBe('generic-terminal');
    expect(records).toHaveLength(1);
    expect(records[0]?.record.amountFen).toBe(10000);
  });

  it('gets through XML built to make a backtracking tag parser spin', () => {
    // Long runs of unclosed attributes and '<' inside a text node: the shapes that sent SheetJS's
    // old tag regex (CVE-2024-22363) into catastrophic backtracking.
    const soup = `<c r="A3" t="inlineStr" ${'x="1" '.repeat(50_000)}><is><t>${'&lt;'.repeat(100_000)}</t></is></c>`;
    const xml = sheetXml(`${row(1, HEADER)}${row(2, DATA)}<row r="3">${soup}</row>`);
    const started = Date.now();
    const outcome: ReturnType<typeof rowsOf> | unknown = (() => {
      try {
        return rowsOf(handXlsx({ sheets: [{ name: '明细', xml }] }), 'soup.xlsx');
      } catch (e) {
        return e;
      }
    })();
    // Prompt, not a hang; and the reader keeps the good row and leaves out the built one.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome).not.toBeInstanceOf(Error);
    expect((outcome as ReturnType<typeof rowsOf>).records.map((r) => r.row)).toEqual([2]);
  });

  it('keeps header texts like __proto__ from touching object prototypes', () => {
    const csv = `__proto__,constructor,${HEADER.join(',')}\nx,y,${DATA.join(',')}\n`;
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const { records } = rowsOf(Buffer.from(csv), 'proto.csv');
    expect(records).toHaveLength(1);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(records[0]!.record.rrn).toBe(DATA[7]);
  });
});
