import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../../electron/engine/import/parse';
import { detectDelimiter } from '../../../../electron/engine/import/readers/delimited';
import { detectEncoding } from '../../../../electron/engine/import/readers/encoding';

const HEADER =
  '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,手续费,结算金额,凭证号,批次号,参考号,授权码,交易状态';
const LINE =
  '2026-11-05 14:03:22,898310058120001,12345678,622202******1234,借记卡,消费,"1,234.56",6.17,1228.39,123,1,1.23457E+11,A1B2C3,成功';
const TEXT = `${HEADER}\r\n${LINE}\r\n`;

function records(bytes: Uint8Array, name = 'pos.csv', encoding?: string) {
  const parsed = parseFile(bytes, name, encoding ? { encoding } : {});
  const out = [];
  for (const b of parsed.batches()) out.push(...b.records);
  return { layout: parsed.layout, out };
}

describe('text encodings', () => {
  const encodings: Array<[string, Uint8Array, string]> = [
    ['UTF-8', Buffer.from(TEXT, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 'utf-8'],
    ['GBK', iconv.encode(TEXT, 'gbk'), 'gb18030'],
    ['UTF-16LE with BOM', iconv.encode(TEXT, 'utf-16le', { addBOM: true }), 'utf-16le'],
    ['UTF-16BE with BOM', iconv.encode(TEXT, 'utf-16be', { addBOM: true }), 'utf-16be'],
    ['UTF-16LE without BOM', iconv.encode(TEXT, 'utf-16le'), 'utf-16le'],
  ];
  for (const [label, bytes, expected] of encodings) {
    it(`detects ${label} and reads the same record`, () => {
      expect(detectEncoding(bytes)).toBe(expected);
      const { layout, out } = records(bytes);
      expect(layout.encoding).toBe(expected);
      expect(out).toHaveLength(1);
      expect(out[0]?.record).toMatchObject({
        txnTime: '2026-11-05 14:03:22',
        cardType: 'debit',
        txnType: 'sale',
        status: 'success',
        amountFen: 123456,
        feeFen: 617,
        trace: '000123',
        batch: '000001',
      });
    });
  }

  it('obeys an explicit encoding over detection', () => {
    const gbk = iconv.encode(TEXT, 'gbk');
    // Read as UTF-8 the Chinese headers are garbage, so the layout cannot be recognised.
    expect(() => records(gbk, 'pos.csv', 'utf-8')).toThrow(/No recognisable header row/);
    expect(records(gbk, 'pos.csv', 'gbk').out).toHaveLength(1);
  });

  it('flags an RRN that Excel already turned into scientific notation instead of keeping it silently', () => {
    const { out } = records(Buffer.from(TEXT));
    expect(out[0]?.record.rrn).toBe('123457000000');
    expect(out[0]?.record.flags).toEqual(['rrn_truncated']);
  });

  it('flags a full card number that Excel turned into scientific notation; a masked one is fine', () => {
    const sci = TEXT.replace('622202******1234', '6.22202E+15');
    expect(records(Buffer.from(sci)).out[0]?.record.flags.sort()).toEqual([
      'card_truncated',
      'rrn_truncated',
    ]);
  });

  it('reads tab and pipe separated text, and comma files whose cells carry trailing tabs', () => {
    expect(detectDelimiter(`${HEADER.replaceAll(',', '\t')}\n`)).toBe('\t');
    expect(detectDelimiter(`${HEADER.replaceAll(',', '|')}\n`)).toBe('|');
    expect(detectDelimiter(`${HEADER.replaceAll(',', '\t,')}\t\n`)).toBe(',');
    const tabbed = `${HEADER.replaceAll(',', '\t')}\n${LINE.replace('"1,234.56"', '1234.56').replaceAll(',', '\t')}\n`;
    expect(records(Buffer.from(tabbed), 'pos.txt').out[0]?.record.amountFen).toBe(123456);
  });
});
