import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import * as XLSX from 'xlsx';
import { openWithSheetJS } from '../../../../../electron/engine/import/readers/sheetjs';
import {
  DEFAULT_LIMITS,
  type RawRow,
  type ReadLimits,
} from '../../../../../electron/engine/import/readers/types';
import { limitsWith, readErrorOf } from '../../../../helpers/errors';

function rowsOf(buf: Uint8Array, sheet: string, lim: ReadLimits = DEFAULT_LIMITS): RawRow[] {
  return [...openWithSheetJS(buf, lim).sheet(sheet).rows()];
}

/** A workbook with text, a 12-digit id, a date-formatted serial, a boolean, gaps and skipped rows. */
function sampleBook(date1904: boolean): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  const ws = XLSX.utils.aoa_to_sheet([['交易时间', '卡号', '金额', '已结算', '备注']]);
  ws.A2 = { t: 'n', v: 45000.5 - (date1904 ? 1462 : 0), z: 'yyyy-mm-dd hh:mm:ss' };
  ws.B2 = { t: 'n', v: 622588012345 };
  ws.C2 = { t: 'n', v: 99.95 };
  ws.D2 = { t: 'b', v: true };
  ws.A6 = { t: 'n', v: 45351 - (date1904 ? 1462 : 0), z: 'yyyy"年"m"月"d"日"' };
  ws.E6 = { t: 's', v: '隔行 & <tag>' };
  ws['!ref'] = 'A1:E6';
  XLSX.utils.book_append_sheet(wb, ws, '交易明细');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['only']]), 'Second');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[1, null, 3]]), '3rd');
  if (date1904) wb.Workbook = { WBProps: { date1904: true } };
  return wb;
}

const EXPECTED: RawRow[] = [
  { row: 1, cells: ['交易时间', '卡号', '金额', '已结算', '备注'] },
  { row: 2, cells: ['2023-03-15 12:00:00', 622588012345, 99.95, 'TRUE'] },
  { row: 6, cells: ['2024-02-29 00:00:00', null, null, null, '隔行 & <tag>'] },
];

describe('openWithSheetJS', () => {
  for (const bookType of ['biff8', 'xlsx', 'xlsb', 'ods'] as const) {
    it(`reads ${bookType}: names in order, values, dates in both date systems, gaps and skipped rows`, () => {
      for (const date1904 of [false, true]) {
        if (bookType === 'ods' && date1904) continue; // ODS has no 1904 flag: dates are stored as dates
        // SheetJS's ODS writer complains on the console about format characters it cannot map.
        const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
        const buf = XLSX.write(sampleBook(date1904), { type: 'buffer', bookType }) as Uint8Array;
        quiet.mockRestore();
        const book = openWithSheetJS(buf, DEFAULT_LIMITS);
        expect(book.sheetNames).toEqual(['交易明细', 'Second', '3rd']);
        expect(book.date1904).toBe(date1904);
        const table = book.sheet('交易明细');
        expect(table.name).toBe('交易明细');
        expect(table.date1904).toBe(date1904);
        expect([...table.rows()]).toEqual(EXPECTED);
        expect([...book.sheet('3rd').rows()]).toEqual([{ row: 1, cells: [1, null, 3] }]);
      }
    });
  }

  it('returns a fresh iterable on every rows() call', () => {
    const table = openWithSheetJS(
      XLSX.write(sampleBook(false), { type: 'buffer', bookType: 'biff8' }),
      DEFAULT_LIMITS,
    ).sheet('交易明细');
    const first = table.rows()[Symbol.iterator]().next().value;
    expect(first).toEqual(EXPECTED[0]);
    expect([...table.rows()]).toEqual(EXPECTED);
  });

  it('fails with too_many_rows past maxRows, also for a sparse row beyond it', () => {
    const buf = XLSX.write(sampleBook(false), { type: 'buffer', bookType: 'biff8' }) as Uint8Array;
    expect(rowsOf(buf, '交易明细', limitsWith({ maxRows: 6 }))).toEqual(EXPECTED);
    const err = readErrorOf(() => rowsOf(buf, '交易明细', limitsWith({ maxRows: 5 })));
    expect(err.code).toBe('too_many_rows');
    expect(err.zh).toContain('5');
    expect(err.en).toContain('5');
  });

  it('fails with too_many_columns for a value beyond maxColumns', () => {
    const buf = XLSX.write(sampleBook(false), { type: 'buffer', bookType: 'xlsx' }) as Uint8Array;
    expect(rowsOf(buf, '交易明细', limitsWith({ maxColumns: 5 }))).toEqual(EXPECTED);
    const err = readErrorOf(() => rowsOf(buf, '交易明细', limitsWith({ maxColumns: 4 })));
    expect(err.code).toBe('too_many_columns');
    expect(err.en).toContain('4');
  });

  it('does not allocate for a declared range of the whole grid', () => {
    const files = unzipSync(
      XLSX.write(sampleBook(false), { type: 'buffer', bookType: 'xlsx' }) as Uint8Array,
    );
    const path = 'xl/worksheets/sheet1.xml';
    files[path] = strToU8(
      strFromU8(files[path]!).replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>'),
    );
    expect(strFromU8(files[path]!)).toContain('A1:XFD1048576');
    const started = performance.now();
    expect(rowsOf(zipSync(files), '交易明细')).toEqual(EXPECTED);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('checks zips before SheetJS inflates them', () => {
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(20 * 1024 * 1024) }, { level: 9 });
    expect(readErrorOf(() => openWithSheetJS(bomb, DEFAULT_LIMITS)).code).toBe('zip_bomb');
  });

  it('reports an unknown sheet name and unreadable input', () => {
    const book = openWithSheetJS(
      XLSX.write(sampleBook(false), { type: 'buffer', bookType: 'biff8' }),
      DEFAULT_LIMITS,
    );
    expect(readErrorOf(() => book.sheet('__proto__')).code).toBe('sheet_not_found');
    const garbage = new Uint8Array(4096);
    garbage.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    for (let i = 8; i < garbage.length; i++) garbage[i] = (i * 31) & 0xff;
    const err = readErrorOf(() => openWithSheetJS(garbage, DEFAULT_LIMITS));
    expect(['unreadable_workbook', 'encrypted']).toContain(err.code);
  });
});
