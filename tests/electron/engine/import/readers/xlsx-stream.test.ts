import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import {
  excelSerialToText,
  isBuiltinDateFormat,
  isDateFormat,
  isoDateToText,
} from '../../../../../electron/engine/import/readers/excel-dates';
import { openWithSheetJS } from '../../../../../electron/engine/import/readers/sheetjs';
import { DEFAULT_LIMITS, type RawRow } from '../../../../../electron/engine/import/readers/types';
import { openXlsx } from '../../../../../electron/engine/import/readers/xlsx-stream';
import { limitsWith, readErrorOf } from '../../../../helpers/errors';
import { handXlsx, NS, patchDeclaredSize, sheetXml } from '../../../../helpers/xlsx';

const STYLES = `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${NS}"><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd hh:mm:ss"/><numFmt numFmtId="165" formatCode="[Red]0.00;[Blue]\\-0.00"/><numFmt numFmtId="166" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"><alignment horizontal="left"/></xf><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs></styleSheet>`;

const SST = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}" count="4" uniqueCount="4"><si><t>商户名称</t></si><si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve">文本 </t></r><rPh sb="0" eb="1"><t>フ</t></rPh><phoneticPr fontId="1"/></si><si><t>A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos; &#20013;&#x6587; line_x000D_
two _x005F_x000D_</t></si><si><t/></si></sst>`;

function collect(rows: Iterable<RawRow>): RawRow[] {
  return [...rows];
}

describe('excel dates', () => {
  it('converts 1900 serials with the Lotus leap-year bug', () => {
    expect(excelSerialToText(1, false)).toBe('1900-01-01 00:00:00');
    expect(excelSerialToText(59, false)).toBe('1900-02-28 00:00:00');
    expect(excelSerialToText(60, false)).toBe('1900-02-29 00:00:00');
    expect(excelSerialToText(61, false)).toBe('1900-03-01 00:00:00');
    expect(excelSerialToText(45000.5, false)).toBe('2023-03-15 12:00:00');
    expect(excelSerialToText(45351, false)).toBe('2024-02-29 00:00:00');
    expect(excelSerialToText(2958465.99999, false)).toBe('9999-12-31 23:59:59');
  });

  it('converts 1904 serials and rounds to the nearest second', () => {
    expect(excelSerialToText(0, true)).toBe('1904-01-01 00:00:00');
    expect(excelSerialToText(45000.5 - 1462, true)).toBe('2023-03-15 12:00:00');
    // 23:59:59.6 rounds into the next day.
    expect(excelSerialToText(45000 + 86_399.6 / 86_400, false)).toBe('2023-03-16 00:00:00');
    expect(excelSerialToText(45000 + (13 * 3600 + 5 * 60 + 7.4) / 86_400, false)).toBe('2023-03-15 13:05:07');
  });

  it('refuses serials no date can show', () => {
    expect(excelSerialToText(-1, false)).toBeNull();
    expect(excelSerialToText(3e6, false)).toBeNull();
    expect(excelSerialToText(Number.NaN, false)).toBeNull();
  });

  it('recognises date formats', () => {
    for (const f of [
      'yyyy-mm-dd',
      'm/d/yy',
      'yyyy"年"m"月"d"日"',
      '[$-F800]dddd, mmmm dd, yyyy',
      'h:mm AM/PM',
      '[h]:mm:ss',
    ])
      expect(isDateFormat(f), f).toBe(true);
    for (const f of [
      'General',
      '0.00',
      '#,##0.00;[Red]-#,##0.00',
      '0.00E+00',
      '@',
      '"day"0',
      '0.00\\d',
      '[Red]0',
    ])
      expect(isDateFormat(f), f).toBe(false);
    expect(isBuiltinDateFormat(14)).toBe(true);
    expect(isBuiltinDateFormat(31)).toBe(true);
    expect(isBuiltinDateFormat(4)).toBe(false);
    expect(isBuiltinDateFormat(49)).toBe(false);
  });

  it('reads ISO dates from t="d" cells', () => {
    expect(isoDateToText('2024-02-29T13:45:30Z')).toBe('2024-02-29 13:45:30');
    expect(isoDateToText('2024-02-29')).toBe('2024-02-29 00:00:00');
    expect(isoDateToText('not a date')).toBe('not a date');
  });
});

describe('openXlsx', () => {
  it('reads shared, inline and rich strings, entities, numbers, dates, booleans, errors and gaps', () => {
    const xml = sheetXml(
      [
        '<row r="1" spans="1:5"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>inline &amp; &lt;x&gt;</t></is></c><c r="D1" t="s"><v>1</v></c><c r="E1" t="s"><v>3</v></c></row>',
        '<row r="5"><c r="A5" s="1"><v>45000.5</v></c><c r="C5"><v>123456789012</v></c><c r="E5" t="b"><v>1</v></c><c r="F5" s="3"><v>-1.5</v></c></row>',
        '<row><c t="str"><f>A1&amp;""</f><v>formula text</v></c><c t="e"><v>#N/A</v></c><c/><c t="d"><v>2024-02-29T13:45:30</v></c><c r="G6" s="2"><v>45351.75</v></c><c r="H6" s="4"><v>45351</v></c></row>',
        '<row r="8"/>',
        '<row r="9"><c r="A9" s="3"/><c r="B9" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c></row>',
        '<row r="10"><c r="A10" t="s"><v>2</v></c></row>',
      ].join('\n'),
      '<dimension ref="A1:H10"/>',
    );
    const book = openXlsx(
      handXlsx({ sheets: [{ name: '明细', xml }], sst: SST, styles: STYLES }),
      DEFAULT_LIMITS,
    );
    expect(book.sheetNames).toEqual(['明细']);
    expect(book.date1904).toBe(false);
    const table = book.sheet('明细');
    expect(table.name).toBe('明细');
    expect(collect(table.rows())).toEqual([
      { row: 1, cells: ['商户名称', 'inline & <x>', null, '富文本 '] },
      { row: 5, cells: ['2023-03-15 12:00:00', null, 123456789012, null, 'TRUE', -1.5] },
      {
        row: 6,
        cells: [
          'formula text',
          '#N/A',
          null,
          '2024-02-29 13:45:30',
          null,
          null,
          '2024-02-29 18:00:00',
          '2024-02-29 00:00:00',
        ],
      },
      { row: 9, cells: [null, '富文本'] },
      { row: 10, cells: [`A & B <c> "d" 'e' 中文 line\ntwo _x000D_`] },
    ]);
  });

  it('keeps a 12-digit identifier exact', () => {
    const xml = sheetXml(
      '<row r="1"><c r="A1"><v>622588012345</v></c><c r="B1"><v>6.22588012345E+11</v></c></row>',
    );
    const [row] = collect(
      openXlsx(handXlsx({ sheets: [{ name: 'S', xml }] }), DEFAULT_LIMITS)
        .sheet('S')
        .rows(),
    );
    expect(row!.cells).toEqual([622588012345, 622588012345]);
  });

  it('reads a SheetJS workbook with several sheets in order, 1900 and 1904 dates alike', () => {
    for (const date1904 of [false, true]) {
      const wb = XLSX.utils.book_new();
      const first = XLSX.utils.aoa_to_sheet([
        ['交易时间', '金额', '终端号'],
        [null, 12.5, '00123'],
      ]);
      first.A2 = { t: 'n', v: 45000.5 - (date1904 ? 1462 : 0), z: 'yyyy-mm-dd hh:mm:ss' };
      XLSX.utils.book_append_sheet(wb, first, '第一页');
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['x'], [], [], [1, null, 3]]), 'Zweite');
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[true]]), 'Sheet 3');
      if (date1904) wb.Workbook = { WBProps: { date1904: true } };
      const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST: true }) as Uint8Array;
      const book = openXlsx(buf, DEFAULT_LIMITS);
      expect(book.sheetNames).toEqual(['第一页', 'Zweite', 'Sheet 3']);
      expect(book.date1904).toBe(date1904);
      expect(collect(book.sheet('第一页').rows())).toEqual([
        { row: 1, cells: ['交易时间', '金额', '终端号'] },
        { row: 2, cells: ['2023-03-15 12:00:00', 12.5, '00123'] },
      ]);
      expect(collect(book.sheet('Zweite').rows())).toEqual([
        { row: 1, cells: ['x'] },
        { row: 4, cells: [1, null, 3] },
      ]);
      expect(collect(book.sheet('Sheet 3').rows())).toEqual([{ row: 1, cells: ['TRUE'] }]);
    }
  });

  it('gives the same rows as the SheetJS reader', () => {
    const wb = XLSX.utils.book_new();
    const aoa: unknown[][] = [['订单号', '商户', '金额', '日期', '备注']];
    for (let i = 0; i < 300; i++) {
      aoa.push([
        100000000000 + i * 7,
        `商户${i % 17}`,
        i % 5 === 0 ? null : Math.round(i * 13.37 * 100) / 100,
        null,
        i % 3 === 0 ? 'A & <B>' : i % 7 === 0 ? true : null,
      ]);
    }
    const ws = XLSX.utils.aoa_to_sheet(aoa);
    for (let i = 1; i <= 300; i += 2) ws[`D${i + 1}`] = { t: 'n', v: 44927 + i / 7, z: 'yyyy/m/d h:mm' };
    ws['!ref'] = 'A1:E301';
    XLSX.utils.book_append_sheet(wb, ws, 'Data');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[], ['gap', null, null, 'far']]), 'Two');
    for (const bookSST of [true, false]) {
      const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST }) as Uint8Array;
      const a = openXlsx(buf, DEFAULT_LIMITS);
      const b = openWithSheetJS(buf, DEFAULT_LIMITS);
      expect(a.sheetNames).toEqual(b.sheetNames);
      for (const name of a.sheetNames) {
        const mine = collect(a.sheet(name).rows());
        expect(mine.length).toBeGreaterThan(0);
        expect(mine).toEqual(collect(b.sheet(name).rows()));
      }
    }

    const hand = handXlsx({
      sheets: [
        {
          name: 'Hand',
          xml: sheetXml(
            '<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="s"><v>2</v></c></row><row r="7"><c r="A7" s="1"><v>45000.25</v></c><c r="B7" s="2"><v>45000.75</v></c><c r="C7" s="3"><v>3.5</v></c><c r="E7" t="inlineStr"><is><t>行内</t></is></c></row>',
          ),
        },
      ],
      sst: SST,
      styles: STYLES,
    });
    expect(collect(openXlsx(hand, DEFAULT_LIMITS).sheet('Hand').rows())).toEqual(
      collect(openWithSheetJS(hand, DEFAULT_LIMITS).sheet('Hand').rows()),
    );
  });

  it('handles namespace prefixes, absolute targets, missing r attributes and row numbers that skip', () => {
    const xml = `<?xml version="1.0"?><x:worksheet xmlns:x="${NS}"><x:sheetData><x:row r="1"><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row><x:row r="5"><x:c r="C5"><x:v>3</x:v></x:c><x:c><x:v>4</x:v></x:c></x:row><x:row><x:c><x:v>5</x:v></x:c></x:row></x:sheetData></x:worksheet>`;
    const book = openXlsx(
      handXlsx({ sheets: [{ name: 'P', xml, target: '/xl/worksheets/sheet1.xml' }] }),
      DEFAULT_LIMITS,
    );
    expect(collect(book.sheet('P').rows())).toEqual([
      { row: 1, cells: ['a', 2] },
      { row: 5, cells: [null, null, 3, 4] },
      { row: 6, cells: [5] },
    ]);
  });

  it('re-reads the sheet on every rows() call, also after stopping early', () => {
    let body = '';
    for (let r = 1; r <= 100; r++) body += `<row r="${r}"><c r="A${r}"><v>${r}</v></c></row>`;
    const table = openXlsx(handXlsx({ sheets: [{ name: 'S', xml: sheetXml(body) }] }), DEFAULT_LIMITS).sheet(
      'S',
    );
    const peek: RawRow[] = [];
    for (const row of table.rows()) {
      peek.push(row);
      if (peek.length === 30) break;
    }
    expect(peek.map((r) => r.row)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const all = collect(table.rows());
    expect(all).toHaveLength(100);
    expect(all[99]).toEqual({ row: 100, cells: [100] });
  });

  it('ignores a <dimension> claiming the whole grid', () => {
    const xml = sheetXml(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>',
      '<dimension ref="A1:XFD1048576"/>',
    );
    const started = performance.now();
    const rows = collect(
      openXlsx(handXlsx({ sheets: [{ name: 'S', xml }] }), DEFAULT_LIMITS)
        .sheet('S')
        .rows(),
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(rows).toEqual([
      { row: 1, cells: ['h'] },
      { row: 2, cells: [1] },
    ]);
  });

  it('reads rows across inflate chunks, including a row far longer than one chunk', () => {
    const big = 'x'.repeat(3_000_000);
    let body = `<row r="1"><c r="A1" t="inlineStr"><is><t>${big}</t></is></c><c r="B1"><v>7</v></c></row>`;
    for (let r = 2; r <= 20_000; r++)
      body += `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>第${r}行</t></is></c><c r="B${r}"><v>${r}</v></c></row>`;
    const rows = collect(
      openXlsx(handXlsx({ sheets: [{ name: 'S', xml: sheetXml(body) }] }), DEFAULT_LIMITS)
        .sheet('S')
        .rows(),
    );
    expect(rows).toHaveLength(20_000);
    expect((rows[0]!.cells[0] as string).length).toBe(3_000_000);
    expect(rows[0]!.cells[1]).toBe(7);
    expect(rows[12_345]).toEqual({ row: 12_346, cells: ['第12346行', 12_346] });
  });

  it('fails with too_many_columns for a value beyond maxColumns, not for an empty styled cell there', () => {
    const ok = sheetXml('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="0"/></row>');
    expect(
      collect(
        openXlsx(handXlsx({ sheets: [{ name: 'S', xml: ok }] }), limitsWith({ maxColumns: 10 }))
          .sheet('S')
          .rows(),
      ),
    ).toEqual([{ row: 1, cells: [1] }]);
    const bad = sheetXml('<row r="1"><c r="A1"><v>1</v></c><c r="K1"><v>2</v></c></row>');
    const table = openXlsx(
      handXlsx({ sheets: [{ name: 'S', xml: bad }] }),
      limitsWith({ maxColumns: 10 }),
    ).sheet('S');
    const err = readErrorOf(() => collect(table.rows()));
    expect(err.code).toBe('too_many_columns');
    expect(err.en).toContain('10');
    expect(err.zh).toContain('10');
  });

  it('fails with too_many_rows past maxRows', () => {
    let body = '';
    for (let r = 1; r <= 4; r++) body += `<row r="${r}"><c r="A${r}"><v>${r}</v></c></row>`;
    const buf = handXlsx({ sheets: [{ name: 'S', xml: sheetXml(body) }] });
    expect(
      collect(
        openXlsx(buf, limitsWith({ maxRows: 4 }))
          .sheet('S')
          .rows(),
      ),
    ).toHaveLength(4);
    const err = readErrorOf(() =>
      collect(
        openXlsx(buf, limitsWith({ maxRows: 3 }))
          .sheet('S')
          .rows(),
      ),
    );
    expect(err.code).toBe('too_many_rows');
    expect(err.en).toContain('3');
  });

  it('reports non-OOXML zips as unsupported so the caller can fall back', () => {
    const ods = zipSync({
      mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'),
      'content.xml': strToU8('<x/>'),
    });
    expect(readErrorOf(() => openXlsx(ods, DEFAULT_LIMITS)).code).toBe('unsupported');
  });

  it('refuses a zip bomb before reading, and stops inflating a sheet whose directory lies', () => {
    // Real high-ratio entry: 30 MB of one repeated row deflates to far below 1/200 of that.
    const row = '<row><c><v>0</v></c></row>';
    const huge = sheetXml(row.repeat(Math.ceil(30_000_000 / row.length)));
    const bomb = handXlsx({ sheets: [{ name: 'S', xml: huge }] });
    expect(readErrorOf(() => openXlsx(bomb, DEFAULT_LIMITS)).code).toBe('zip_bomb');

    // The directory claims 2,000 bytes for a sheet that inflates to ~1 MB.
    const body = Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 1}"><c><v>${i}</v></c></row>`).join(
      '',
    );
    const liar = handXlsx({ sheets: [{ name: 'S', xml: sheetXml(body) }] });
    patchDeclaredSize(liar, 'xl/worksheets/sheet1.xml', 2000);
    const book = openXlsx(liar, DEFAULT_LIMITS);
    let seen = 0;
    const err = readErrorOf(() => {
      for (const _ of book.sheet('S').rows()) seen++;
    });
    expect(err.code).toBe('zip_bomb');
    expect(seen).toBeLessThan(20_000);
  });
});
