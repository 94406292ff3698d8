import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseFile, textParts } from '../../../../electron/engine/import/parse';
import type { ParseBatch } from '../../../../electron/engine/store/imports';
import { allFixtures } from '../../../fixtures/files';
import { readErrorOf } from '../../../helpers/errors';

function readAll(batches: Iterable<ParseBatch>) {
  const out = {
    records: [] as ParseBatch['records'],
    rejects: [] as ParseBatch['rejects'],
    rowsRead: 0,
    footer: 0,
  };
  for (const b of batches) {
    out.records.push(...b.records);
    out.rejects.push(...b.rejects);
    out.rowsRead += b.rowsRead;
    out.footer += b.footerRows;
  }
  return out;
}

describe('parseFile on every preset fixture', () => {
  for (const fx of allFixtures()) {
    it(`${fx.presetId}: ${fx.name}`, () => {
      const parsed = parseFile(fx.bytes, fx.name);
      expect(parsed.layout.preset?.id).toBe(fx.presetId);
      expect(parsed.layout.source).toBe(fx.source);
      expect(parsed.layout.headerRow).toBe(fx.headerRow);
      if (fx.sheet) expect(parsed.layout.sheet).toBe(fx.sheet);
      const got = readAll(parsed.batches());
      expect(got.rejects).toEqual([]);
      expect(got.records).toHaveLength(fx.dataRows);
      expect(fx.expected).toHaveLength(fx.dataRows); // every row has its expectation
      expect(got.footer).toBe(fx.footerRows);
      expect(got.rowsRead).toBe(fx.dataRows + fx.footerRows);
      got.records.forEach((r, i) => {
        expect(r.record, `row ${r.row}`).toMatchObject(fx.expected[i] ?? {});
        expect(r.row).toBeGreaterThan(fx.headerRow);
        expect(r.raw.length).toBeGreaterThan(3);
      });
      // Row numbers point at the data rows as Excel or an editor shows them.
      expect(got.records[0]?.row).toBeGreaterThan(fx.headerRow);
    });
  }
});

describe('parseFile errors', () => {
  it('names the file when the layout is unknown', () => {
    const e = readErrorOf(() => parseFile(Buffer.from('名称,数量,备注\n苹果,3,好\n梨,4,\n'), '水果.csv'));
    expect(e.code).toBe('unknown_layout');
    expect(e.en).toMatch(/^水果\.csv: /);
    expect(e.zh).toContain('--mapping');
  });

  it('refuses an empty file and a binary one', () => {
    expect(readErrorOf(() => parseFile(Buffer.alloc(0), 'empty.csv')).code).toBe('empty');
    const binary = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256));
    expect(readErrorOf(() => parseFile(binary, 'photo.csv')).code).toBe('not_a_table');
  });

  it('rejects bad rows with file, row, column, value and reason in both languages', () => {
    const csv = [
      '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,手续费,结算金额,凭证号,批次号,参考号,授权码,交易状态',
      '2026-11-05 10:00:00,898310058120001,12345678,622202******1234,借记卡,消费,100.00,0.50,99.50,000001,000001,000000000001,123456,成功',
      '2026-13-05 10:00:00,898310058120001,12345678,622202******1234,借记卡,消费,100.00,0.50,99.50,000002,000001,000000000002,123456,成功',
      '2026-11-05 10:02:00,898310058120001,12345678,622202******1234,借记卡,消费,一百元,0.50,99.50,000003,000001,000000000003,123456,成功',
    ].join('\n');
    const got = readAll(parseFile(Buffer.from(csv), 'pos.csv').batches());
    expect(got.records).toHaveLength(1);
    expect(got.rejects.map((r) => [r.row, r.column, r.value])).toEqual([
      [3, '交易时间', '2026-13-05 10:00:00'],
      [4, '交易金额', '一百元'],
    ]);
    expect(got.rejects[1]?.reasonEn).toMatch(/^pos\.csv row 4, column "交易金额": .+ \(value: 一百元\)$/);
    expect(got.rejects[1]?.reasonZh).toMatch(/^pos\.csv 第 4 行「交易金额」列：/);
  });
});

describe('textParts', () => {
  // A little over 4 MB of card lines: large enough to be read in parts.
  const lines = (delimiter: string, newline: string) =>
    ['交易时间,终端号,参考号,交易金额'.replaceAll(',', delimiter)]
      .concat(
        Array.from({ length: 90_000 }, (_, i) =>
          ['2026-11-05 10:00:00', '12345678', String(531000000000 + i), '示例便利店 12.30'].join(delimiter),
        ),
      )
      .join(newline);

  it('cuts a large UTF-8 or GBK file with line-feed line ends into parts', () => {
    const utf8 = Buffer.from(lines(',', '\r\n'));
    expect(utf8.length).toBeGreaterThan(4 << 20);
    expect(textParts(utf8, 'a.csv')!.ranges.length).toBeGreaterThan(1);
    const gbk = textParts(iconv.encode(lines(',', '\n'), 'gbk'), 'a.csv')!;
    expect(gbk.encoding).toBe('gb18030');
    expect(gbk.ranges.length).toBeGreaterThan(1);
    expect(textParts(Buffer.from(lines('|', '\n')), 'a.txt')!.ranges.length).toBeGreaterThan(1);
  });

  it('reads whole a file whose lines end in CR alone, and a pipe-separated one in GBK', () => {
    expect(textParts(Buffer.from(lines(',', '\r')), 'a.csv')).toBeNull();
    expect(textParts(iconv.encode(lines('|', '\n'), 'gbk'), 'a.txt')).toBeNull();
  });
});
