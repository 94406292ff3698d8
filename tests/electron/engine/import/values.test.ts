import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cardLast4,
  cleanText,
  normalizeCardType,
  normalizeStatus,
  normalizeTxnType,
  type ParseResult,
  parseAmountFen,
  parseDate,
  parseDateTime,
  parseIdentifier,
  parseTime,
} from '../../../../electron/engine/import/values';

function value<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason.en}`);
  return r.value;
}

function reasonOf<T>(r: ParseResult<T>): { zh: string; en: string } {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

describe('cleanText', () => {
  it('renders numbers without exponent form for integers', () => {
    expect(cleanText(123)).toBe('123');
    expect(cleanText(12.5)).toBe('12.5');
    expect(cleanText(-0)).toBe('0');
    expect(cleanText(123456789012345680000)).toBe('123456789012345680000');
    expect(cleanText(1e21)).toBe('1000000000000000000000');
    expect(cleanText(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(cleanText(null)).toBe('');
  });

  it('trims spaces, tabs, NBSP, full-width and zero-width spaces, BOM', () => {
    expect(cleanText('  12.30\t')).toBe('12.30');
    expect(cleanText('\r\n abc \n')).toBe('abc');
    expect(cleanText('\u00a0\u3000商户\u3000\u00a0')).toBe('商户');
    expect(cleanText('\ufeff\u200b2026-11-05\u200b')).toBe('2026-11-05');
    expect(cleanText('a b')).toBe('a b');
  });

  it('strips WeChat backtick, ="..." and a leading apostrophe', () => {
    expect(cleanText('`4200001234202611051234567890')).toBe('4200001234202611051234567890');
    expect(cleanText('` 2026-11-05 14:03:22 ')).toBe('2026-11-05 14:03:22');
    expect(cleanText('="000123"')).toBe('000123');
    expect(cleanText(' ="6222021234567890123" ')).toBe('6222021234567890123');
    expect(cleanText("'000123")).toBe('000123');
    expect(cleanText('``x')).toBe('`x');
  });

  it('treats placeholder cells as empty', () => {
    for (const s of ['-', '--', '*', '—', '/', 'N/A', 'null', 'NULL', ' - ', '`-', '\t*\t', '`', '=""']) {
      expect(cleanText(s), s).toBe('');
    }
    expect(cleanText('-1')).toBe('-1');
    expect(cleanText('nulls')).toBe('nulls');
  });
});

describe('parseAmountFen', () => {
  it('parses the text forms seen in exports', () => {
    const cases: [string, number][] = [
      ['1,234.56', 123456],
      ['¥1,234.56', 123456],
      ['￥1,234.56', 123456],
      ['RMB 12.30', 1230],
      ['rmb12.30', 1230],
      ['12.30元', 1230],
      ['CNY12.3', 1230],
      ['12.30 CNY', 1230],
      ['-12.30', -1230],
      ['+12.30', 1230],
      ['(12.30)', -1230],
      ['（12.30）', -1230],
      ['(¥1,234.50)', -123450],
      ['12.30-', -1230],
      ['-¥12.30', -1230],
      ['¥-12.30', -1230],
      ['１２３４．５６', 123456],
      ['１，２３４．５６', 123456],
      ['－１２．３', -1230],
      ['.5', 50],
      ['12.', 1200],
      ['0', 0],
      ['-0.00', 0],
      ['007.01', 701],
      ['12,34,5.6', 1234560],
      ['  12.30\t', 1230],
      ['`12.30', 1230],
      ['1.005', 101],
      ['-1.005', -101],
      ['1.0049999', 100],
      ['2.675', 268],
      ['0.125', 13],
      ['0.124999', 12],
      ['-0.004', 0],
      ['99.995', 10000],
    ];
    for (const [text, fen] of cases) expect(value(parseAmountFen(text)), text).toBe(fen);
  });

  it('never returns negative zero', () => {
    expect(Object.is(value(parseAmountFen('-0.001')), 0)).toBe(true);
    expect(Object.is(value(parseAmountFen(-0)), 0)).toBe(true);
  });

  it('treats empty cells as null', () => {
    for (const c of [null, '', '  ', '-', '--', '*', 'N/A']) expect(value(parseAmountFen(c))).toBeNull();
  });

  it('parses numeric cells through their shortest decimal text', () => {
    expect(value(parseAmountFen(1.005))).toBe(101);
    expect(value(parseAmountFen(0.1 + 0.2))).toBe(30);
    expect(value(parseAmountFen(1234.56))).toBe(123456);
    expect(value(parseAmountFen(-12.3))).toBe(-1230);
    expect(value(parseAmountFen(1e-7))).toBe(0);
    expect(value(parseAmountFen(0.005))).toBe(1);
    expect(value(parseAmountFen(5e-3))).toBe(1);
    expect(value(parseAmountFen(1e13))).toBe(1e15);
    expect(value(parseAmountFen(8.5e13))).toBe(8.5e15);
  });

  it('rejects values that are not amounts, with the value in both languages', () => {
    for (const bad of [
      'abc',
      '12.3.4',
      '12a',
      '1e5',
      '--5',
      '(12.30',
      '12.30)',
      '-(12.30)',
      '¥¥1',
      '.',
      ',5',
      '1,2.3,4',
      '12 34',
      '元',
      'RMB',
    ]) {
      const r = reasonOf(parseAmountFen(bad));
      expect(r.en, bad).toContain(bad);
      expect(r.zh, bad).toContain(bad);
      expect(r.zh).toMatch(/金额/);
    }
  });

  it('rejects magnitudes beyond MAX_SAFE_INTEGER fen', () => {
    expect(value(parseAmountFen('90071992547409.91'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(value(parseAmountFen('-90071992547409.91'))).toBe(-Number.MAX_SAFE_INTEGER);
    expect(reasonOf(parseAmountFen('90071992547409.92')).en).toMatch(/too large/);
    expect(reasonOf(parseAmountFen('90071992547410')).en).toMatch(/too large/);
    expect(reasonOf(parseAmountFen('123456789012345678901234567890')).en).toMatch(/too large/);
    expect(reasonOf(parseAmountFen(1.5e21)).en).toMatch(/too large/);
    expect(parseAmountFen(Number.NaN).ok).toBe(false);
    expect(parseAmountFen(Number.POSITIVE_INFINITY).ok).toBe(false);
  });

  it("unit 'fen' takes whole numbers as fen", () => {
    expect(value(parseAmountFen('1230', 'fen'))).toBe(1230);
    expect(value(parseAmountFen('1230.00', 'fen'))).toBe(1230);
    expect(value(parseAmountFen('1230.0', 'fen'))).toBe(1230);
    expect(value(parseAmountFen('-1,230', 'fen'))).toBe(-1230);
    expect(value(parseAmountFen(1230, 'fen'))).toBe(1230);
    expect(value(parseAmountFen('000000001230', 'fen'))).toBe(1230);
    expect(value(parseAmountFen(String(Number.MAX_SAFE_INTEGER), 'fen'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(reasonOf(parseAmountFen('12.30', 'fen')).en).toMatch(/whole number/);
    expect(parseAmountFen(12.5, 'fen').ok).toBe(false);
    expect(parseAmountFen('9007199254740993', 'fen').ok).toBe(false);
  });

  it('property: integer fen formatted as yuan text in any supported style round-trips', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.boolean(),
        fc.constantFrom('', '¥', '￥', 'RMB ', 'CNY'),
        fc.constantFrom('', '元', ' 元'),
        fc.constantFrom('-', '()', '（）', 'trailing'),
        fc.constantFrom(0, 1, 2),
        (fen, grouping, prefix, suffix, negStyle, dropZeros) => {
          const abs = Math.abs(fen);
          let intText = String(Math.floor(abs / 100));
          if (grouping) intText = intText.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
          let fracText = pad2(abs % 100);
          // Optionally drop trailing zeros of the fraction ('12.30' → '12.3', '12.00' → '12').
          for (let k = 0; k < dropZeros && fracText.endsWith('0'); k++) fracText = fracText.slice(0, -1);
          let text = `${prefix}${intText}${fracText === '' ? '' : `.${fracText}`}${suffix}`;
          if (fen < 0) {
            if (negStyle === '-') text = `-${text}`;
            else if (negStyle === '()') text = `(${text})`;
            else if (negStyle === '（）') text = `（${text}）`;
            else text = `${text}-`;
          }
          expect(value(parseAmountFen(text))).toBe(fen);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: a JS number with at most 2 decimals gives the exact fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), (fen) => {
        expect(value(parseAmountFen(fen / 100))).toBe(fen);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: decimal text with extra decimals rounds half away from zero (BigInt reference)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.integer({ min: 0, max: 6 }),
        (scaled, decimals) => {
          const neg = scaled < 0n;
          const abs = neg ? -scaled : scaled;
          const digits = abs.toString().padStart(decimals + 1, '0');
          const text = `${neg ? '-' : ''}${digits.slice(0, digits.length - decimals)}${decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : ''}`;
          // Reference: abs / 10^decimals yuan, in fen, half away from zero.
          let refAbs: bigint;
          if (decimals <= 2) refAbs = abs * 10n ** BigInt(2 - decimals);
          else {
            const div = 10n ** BigInt(decimals - 2);
            refAbs = abs / div + ((abs % div) * 2n >= div ? 1n : 0n);
          }
          const ref = neg ? -refAbs : refAbs;
          const r = parseAmountFen(text);
          if (refAbs > BigInt(Number.MAX_SAFE_INTEGER)) expect(r.ok).toBe(false);
          else expect(value(r)).toBe(ref === 0n ? 0 : Number(ref));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('parseDate', () => {
  it('parses the text forms seen in exports', () => {
    const cases: [string, string][] = [
      ['2026-11-05', '2026-11-05'],
      ['2026/11/5', '2026-11-05'],
      ['2026/1/5', '2026-01-05'],
      ['2026.11.05', '2026-11-05'],
      ['2026年11月5日', '2026-11-05'],
      ['2026年1月05日', '2026-01-05'],
      ['2026年11月5', '2026-11-05'],
      ['20261105', '2026-11-05'],
      ['2026-11-05 14:03:22', '2026-11-05'],
      ['2026/11/5 14:03', '2026-11-05'],
      ['2026-11-05T14:03:22', '2026-11-05'],
      ['2026年11月5日 14:03:22', '2026-11-05'],
      ['2026年11月5日14时03分', '2026-11-05'],
      ['20261105 143115', '2026-11-05'],
      ['20261105143115', '2026-11-05'],
      ['`2026-11-05 ', '2026-11-05'],
      ['2024-02-29', '2024-02-29'],
      ['2000-02-29', '2000-02-29'],
    ];
    for (const [text, d] of cases) expect(value(parseDate(text, false)), text).toBe(d);
  });

  it('validates the calendar', () => {
    for (const bad of [
      '2026-02-30',
      '2026-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '20261132',
    ]) {
      const r = reasonOf(parseDate(bad, false));
      expect(r.en, bad).toMatch(/No such calendar date/);
      expect(r.zh).toContain(bad);
    }
  });

  it('rejects text that is not a date', () => {
    for (const bad of [
      'abc',
      '2026-11',
      '2026-11-05x',
      '2026-11/05',
      '26-11-05',
      '2026--11-05',
      '123456',
      '2026-111-05',
      '2026-11-05T',
    ]) {
      const r = reasonOf(parseDate(bad, false));
      expect(r.en, bad).toContain(bad);
    }
  });

  it('treats empty and all-zero dates as null', () => {
    for (const c of [null, '', ' ', '-', '0000-00-00', '00000000'])
      expect(value(parseDate(c, false))).toBeNull();
  });

  it('reads Excel serials in the 1900 system, with the Lotus leap-year bug', () => {
    expect(value(parseDate(1, false))).toBe('1900-01-01');
    expect(value(parseDate(59, false))).toBe('1900-02-28');
    expect(reasonOf(parseDate(60, false)).en).toMatch(/1900-02-29/);
    expect(value(parseDate(61, false))).toBe('1900-03-01');
    expect(value(parseDate(45000, false))).toBe('2023-03-15');
    expect(value(parseDate(46331, false))).toBe('2026-11-05');
    expect(value(parseDate(46331.75, false))).toBe('2026-11-05');
    expect(value(parseDate(2958465, false))).toBe('9999-12-31');
    expect(value(parseDate('46331', false))).toBe('2026-11-05');
    expect(value(parseDate('46331.5', false))).toBe('2026-11-05');
    expect(parseDate(0, false).ok).toBe(false);
    expect(parseDate(-1, false).ok).toBe(false);
    expect(parseDate(2958466, false).ok).toBe(false);
    expect(parseDate('0', false).ok).toBe(false);
  });

  it('reads Excel serials in the 1904 system', () => {
    expect(value(parseDate(0, true))).toBe('1904-01-01');
    expect(value(parseDate(1, true))).toBe('1904-01-02');
    expect(value(parseDate(44869, true))).toBe('2026-11-05');
    expect(value(parseDate('44869', true))).toBe('2026-11-05');
    expect(parseDate(-1, true).ok).toBe(false);
  });

  it('reads 8-digit numeric cells as YYYYMMDD', () => {
    expect(value(parseDate(20261105, false))).toBe('2026-11-05');
    expect(value(parseDate(20261105143115, false))).toBe('2026-11-05');
    expect(parseDate(20260230, false).ok).toBe(false);
  });

  it('rolls a serial whose fraction rounds up to midnight over to the next day', () => {
    expect(value(parseDate(46331.999999999, false))).toBe('2026-11-06');
  });
});

describe('parseTime', () => {
  it('parses the text forms seen in exports', () => {
    const cases: [string, string][] = [
      ['14:03:22', '14:03:22'],
      ['14:03', '14:03:00'],
      ['8:05:09', '08:05:09'],
      ['08:05:09.123', '08:05:09'],
      ['14：03：22', '14:03:22'],
      ['140322', '14:03:22'],
      ['143115', '14:31:15'],
      ['83533', '08:35:33'],
      ['5', '00:00:05'],
      ['0', '00:00:00'],
      ['1234', '00:12:34'],
      ['14时03分22秒', '14:03:22'],
      ['14时03分', '14:03:00'],
      ['8点5分9秒', '08:05:09'],
      ['2:03:22 PM', '14:03:22'],
      ['12:00:01 AM', '00:00:01'],
      ['12:30 pm', '12:30:00'],
      ['下午2:03:22', '14:03:22'],
      ['上午 9:15', '09:15:00'],
      ['2026-11-05 14:03:22', '14:03:22'],
      ['2026/11/5 14:03', '14:03:00'],
      ['2026-11-05T14:03:22', '14:03:22'],
      ['20261105143115', '14:31:15'],
      ['20261105 83533', '08:35:33'],
      ['2026年11月5日14时03分22秒', '14:03:22'],
      ['0.5', '12:00:00'],
      ['46331.25', '06:00:00'],
    ];
    for (const [text, t] of cases) expect(value(parseTime(text, false)), text).toBe(t);
  });

  it('reads numeric cells: day fractions and HHMMSS integers', () => {
    expect(value(parseTime(0.5, false))).toBe('12:00:00');
    expect(value(parseTime(0.25, true))).toBe('06:00:00');
    expect(value(parseTime(14 / 24 + 3 / 1440 + 22 / 86400, false))).toBe('14:03:22');
    expect(value(parseTime(46331.585671296, false))).toBe('14:03:22');
    expect(value(parseTime(0.99999, false))).toBe('23:59:59');
    // 86399.9 s rounds to the next midnight.
    expect(value(parseTime(0.999999, false))).toBe('00:00:00');
    expect(value(parseTime(0, false))).toBe('00:00:00');
    expect(value(parseTime(143115, false))).toBe('14:31:15');
    expect(value(parseTime(83533, false))).toBe('08:35:33');
    expect(parseTime(-0.5, false).ok).toBe(false);
  });

  it('validates ranges', () => {
    for (const bad of [
      '24:00:00',
      '12:60:00',
      '12:00:60',
      '246000',
      '99999',
      '13:00 PM',
      '1234567',
      'ab:cd',
      '14:03:',
      '14时60分',
      '14:03:22 XM',
    ]) {
      const r = reasonOf(parseTime(bad, false));
      expect(r.en, bad).toContain(bad);
      expect(r.zh).toMatch(/时间/);
    }
  });

  it('gives null for empty cells and date-only text', () => {
    for (const c of [null, '', '-', '2026-11-05', '20261105']) expect(value(parseTime(c, false))).toBeNull();
  });
});

describe('parseDateTime', () => {
  it('reads the DB2 timestamps some bank systems export (ICBC)', () => {
    expect(parseDateTime('2026-11-06-09.12.33.123456', false)).toEqual({
      ok: true,
      value: '2026-11-06 09:12:33',
    });
    expect(parseDateTime('2026-11-06-09.12.33', false)).toEqual({ ok: true, value: '2026-11-06 09:12:33' });
    expect(parseDate('2026-11-06-09.12.33.123456', false)).toEqual({ ok: true, value: '2026-11-06' });
    expect(parseDateTime('2026-11-06-25.12.33', false).ok).toBe(false);
    expect(parseDateTime('2026-11-06-09.12', false).ok).toBe(false);
  });

  it('parses the text forms seen in exports', () => {
    const cases: [string, string][] = [
      ['2026-11-05 14:03:22', '2026-11-05 14:03:22'],
      ['2026/11/5 14:03', '2026-11-05 14:03:00'],
      ['2026-11-05T14:03:22', '2026-11-05 14:03:22'],
      ['2026-11-05T14:03:22.500', '2026-11-05 14:03:22'],
      ['2026-11-05  8:05:09', '2026-11-05 08:05:09'],
      ['2026.11.05 14:03:22', '2026-11-05 14:03:22'],
      ['2026年11月5日 14:03:22', '2026-11-05 14:03:22'],
      ['2026年11月5日14时03分22秒', '2026-11-05 14:03:22'],
      ['20261105143115', '2026-11-05 14:31:15'],
      ['202611051431', '2026-11-05 14:31:00'],
      ['20261105 143115', '2026-11-05 14:31:15'],
      ['20261105 83533', '2026-11-05 08:35:33'],
      ['2026-11-05', '2026-11-05 00:00:00'],
      ['20261105', '2026-11-05 00:00:00'],
      ['2026/11/5 2:03:22 PM', '2026-11-05 14:03:22'],
      ['`2026-11-05 14:03:22\t', '2026-11-05 14:03:22'],
      ['46331.5', '2026-11-05 12:00:00'],
    ];
    for (const [text, dt] of cases) expect(value(parseDateTime(text, false)), text).toBe(dt);
  });

  it('reads serials and compact numbers', () => {
    expect(value(parseDateTime(46331.585671296, false))).toBe('2026-11-05 14:03:22');
    expect(value(parseDateTime(44869.585671296, true))).toBe('2026-11-05 14:03:22');
    expect(value(parseDateTime(46331, false))).toBe('2026-11-05 00:00:00');
    expect(value(parseDateTime(46331.999999999, false))).toBe('2026-11-06 00:00:00');
    expect(value(parseDateTime(61.5, false))).toBe('1900-03-01 12:00:00');
    expect(value(parseDateTime(20261105143115, false))).toBe('2026-11-05 14:31:15');
    expect(value(parseDateTime(20261105, false))).toBe('2026-11-05 00:00:00');
    expect(parseDateTime(60.5, false).ok).toBe(false);
    expect(parseDateTime(0.5, false).ok).toBe(false);
    expect(value(parseDateTime(0.5, true))).toBe('1904-01-01 12:00:00');
  });

  it('rejects bad dates and times', () => {
    for (const bad of [
      '2026-02-30 10:00:00',
      '2026-11-05 25:00:00',
      '2026-11-05 14:61',
      '20261105256000',
      '2026-11-05x14:03',
      'yesterday',
      '14:03:22',
    ]) {
      expect(parseDateTime(bad, false).ok, bad).toBe(false);
    }
  });

  it('gives null for empty cells', () => {
    for (const c of [null, '', '--', '0000-00-00 00:00:00'])
      expect(value(parseDateTime(c, false))).toBeNull();
  });

  it('property: any date and time in any supported text format and as a serial parses back', () => {
    const DAY = 86_400_000;
    const first = Date.UTC(1901, 0, 1) / DAY;
    const last = Date.UTC(2099, 11, 31) / DAY;
    const epoch1900 = Date.UTC(1899, 11, 30) / DAY;
    const epoch1904 = Date.UTC(1904, 0, 1) / DAY;
    fc.assert(
      fc.property(
        fc.integer({ min: first, max: last }),
        fc.integer({ min: 0, max: 86399 }),
        (day, secOfDay) => {
          const d = new Date(day * DAY);
          const y = d.getUTCFullYear();
          const m = d.getUTCMonth() + 1;
          const dd = d.getUTCDate();
          const h = Math.floor(secOfDay / 3600);
          const mi = Math.floor(secOfDay / 60) % 60;
          const s = secOfDay % 60;
          const date = `${y}-${pad2(m)}-${pad2(dd)}`;
          const time = `${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
          const dateTexts = [
            date,
            `${y}/${m}/${dd}`,
            `${y}/${pad2(m)}/${pad2(dd)}`,
            `${y}.${pad2(m)}.${pad2(dd)}`,
            `${y}年${m}月${dd}日`,
            `${y}${pad2(m)}${pad2(dd)}`,
          ];
          const timeTexts = [
            time,
            `${h}:${pad2(mi)}:${pad2(s)}`,
            `${h}时${pad2(mi)}分${pad2(s)}秒`,
            `${h * 10000 + mi * 100 + s}`,
          ];
          for (const dt of dateTexts) {
            expect(value(parseDate(dt, false)), dt).toBe(date);
            expect(value(parseDateTime(dt, false)), dt).toBe(`${date} 00:00:00`);
            for (const tt of timeTexts) {
              for (const sep of [' ', 'T']) {
                const text = `${dt}${sep}${tt}`;
                expect(value(parseDate(text, false)), text).toBe(date);
                expect(value(parseDateTime(text, false)), text).toBe(`${date} ${time}`);
                expect(value(parseTime(text, false)), text).toBe(time);
              }
            }
          }
          for (const tt of timeTexts) expect(value(parseTime(tt, false)), tt).toBe(time);
          const compact = `${y}${pad2(m)}${pad2(dd)}${pad2(h)}${pad2(mi)}${pad2(s)}`;
          expect(value(parseDateTime(compact, false))).toBe(`${date} ${time}`);
          expect(value(parseDateTime(Number(compact), false))).toBe(`${date} ${time}`);

          // Excel serials, computed independently from Date.UTC. Dates from 1901 on are past the
          // fake 1900-02-29, so the 1900 serial is simply days since 1899-12-30.
          const serial1900 = day - epoch1900;
          const frac = secOfDay / 86400;
          expect(value(parseDate(serial1900, false))).toBe(date);
          expect(value(parseDate(String(serial1900), false))).toBe(date);
          expect(value(parseDateTime(serial1900 + frac, false))).toBe(`${date} ${time}`);
          // An integer number in a time column is read as HHMMSS digits, so only serials with a
          // fraction are checked here.
          if (secOfDay > 0) expect(value(parseTime(serial1900 + frac, false))).toBe(time);
          if (day >= epoch1904) {
            const serial1904 = day - epoch1904;
            expect(value(parseDate(serial1904, true))).toBe(date);
            expect(value(parseDateTime(serial1904 + frac, true))).toBe(`${date} ${time}`);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseIdentifier', () => {
  it('keeps text identifiers and restores leading zeros of digit strings', () => {
    expect(value(parseIdentifier('123', 6))).toEqual({ value: '000123', truncated: false });
    expect(value(parseIdentifier('000123', 6))).toEqual({ value: '000123', truncated: false });
    expect(value(parseIdentifier('`000123'))).toEqual({ value: '000123', truncated: false });
    expect(value(parseIdentifier('="000123"', 6))).toEqual({ value: '000123', truncated: false });
    expect(value(parseIdentifier('A1B2', 6))).toEqual({ value: 'A1B2', truncated: false });
    expect(value(parseIdentifier('12E456', 6))).toEqual({ value: '12E456', truncated: false });
    expect(value(parseIdentifier('1234567', 6))).toEqual({ value: '1234567', truncated: false });
    expect(value(parseIdentifier('123'))).toEqual({ value: '123', truncated: false });
    const long = '4200001234202611051234567890';
    expect(value(parseIdentifier(long))).toEqual({ value: long, truncated: false });
  });

  it('gives null for empty cells', () => {
    for (const c of [null, '', '  ', '-', '`']) expect(value(parseIdentifier(c, 6))).toBeNull();
  });

  it('turns numeric cells into digits', () => {
    expect(value(parseIdentifier(123, 6))).toEqual({ value: '000123', truncated: false });
    expect(value(parseIdentifier(0, 6))).toEqual({ value: '000000', truncated: false });
    expect(value(parseIdentifier(123.0, 6))).toEqual({ value: '000123', truncated: false });
    expect(value(parseIdentifier(612345678901, 12))).toEqual({ value: '612345678901', truncated: false });
    expect(value(parseIdentifier(12345678901, 12))).toEqual({ value: '012345678901', truncated: false });
    expect(value(parseIdentifier(999999999999999))).toEqual({ value: '999999999999999', truncated: false });
  });

  it('marks numbers Excel cannot hold exactly as truncated', () => {
    expect(value(parseIdentifier(1e15))).toEqual({ value: '1000000000000000', truncated: true });
    expect(value(parseIdentifier(6222021234567890))).toEqual({ value: '6222021234567890', truncated: true });
    expect(value(parseIdentifier(6222021234567891000))).toEqual({
      value: '6222021234567890000',
      truncated: true,
    });
    expect(value(parseIdentifier(1.5e22))).toEqual({ value: `15${'0'.repeat(21)}`, truncated: true });
  });

  it('expands Excel scientific display text as truncated', () => {
    expect(value(parseIdentifier('1.23457E+11', 12))).toEqual({ value: '123457000000', truncated: true });
    expect(value(parseIdentifier('1.23457e+11', 12))).toEqual({ value: '123457000000', truncated: true });
    expect(value(parseIdentifier('6.22202E+18'))).toEqual({ value: '6222020000000000000', truncated: true });
    expect(value(parseIdentifier('1.2E+10', 12))).toEqual({ value: '012000000000', truncated: true });
    expect(value(parseIdentifier('5E+05', 6))).toEqual({ value: '500000', truncated: true });
    expect(parseIdentifier('1.23457E+2').ok).toBe(false);
  });

  it('rejects numbers with a fractional part or a sign', () => {
    for (const bad of [123.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = reasonOf(parseIdentifier(bad, 6));
      expect(r.en).toContain(String(bad));
    }
  });

  it('property: leading zeros are restored for width 6 and 12 numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => {
        const expected = String(n).padStart(6, '0');
        expect(value(parseIdentifier(n, 6))).toEqual({ value: expected, truncated: false });
        expect(value(parseIdentifier(String(n), 6))).toEqual({ value: expected, truncated: false });
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => {
        const expected = String(n).padStart(12, '0');
        expect(value(parseIdentifier(n, 12))).toEqual({ value: expected, truncated: false });
      }),
      { numRuns: 2000 },
    );
  });

  it('property: any digit string of width 6 or 12 survives being stored as a number', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(6, 12),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }),
        (width, ds) => {
          const digits = ds.slice(0, width).join('');
          expect(value(parseIdentifier(Number(digits), width))?.value).toBe(digits);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('cardLast4', () => {
  it('takes the last 4 digits of masked card numbers', () => {
    expect(cardLast4('622202******1234')).toBe('1234');
    expect(cardLast4('6222 02** **** 1234')).toBe('1234');
    expect(cardLast4('************1234')).toBe('1234');
    expect(cardLast4('1234')).toBe('1234');
    expect(cardLast4('6222021234567890 ')).toBe('7890');
  });

  it('gives null without 4 trailing digits', () => {
    expect(cardLast4(null)).toBeNull();
    expect(cardLast4('')).toBeNull();
    expect(cardLast4('123')).toBeNull();
    expect(cardLast4('6222********123*')).toBeNull();
    expect(cardLast4('622202******12 34')).toBeNull();
  });
});

describe('normalizeCardType', () => {
  it('maps labels and codes', () => {
    const cases: [string, string][] = [
      ['借记卡', 'debit'],
      ['借记', 'debit'],
      ['DC', 'debit'],
      ['d', 'debit'],
      ['储蓄卡', 'debit'],
      ['Debit', 'debit'],
      ['00', 'debit'],
      ['境内借记卡', 'debit'],
      ['CMB_DEBIT', 'debit'],
      ['贷记卡', 'credit'],
      ['贷记', 'credit'],
      ['信用卡', 'credit'],
      ['cc', 'credit'],
      ['C', 'credit'],
      ['CREDIT', 'credit'],
      ['01', 'credit'],
      ['银联贷记卡', 'credit'],
      ['准贷记卡', 'quasi_credit'],
      ['准贷记', 'quasi_credit'],
      ['SCC', 'quasi_credit'],
      ['02', 'quasi_credit'],
      ['预付费卡', 'prepaid'],
      ['预付卡', 'prepaid'],
      ['PC', 'prepaid'],
      ['prepaid', 'prepaid'],
      ['03', 'prepaid'],
      ['微信', 'qr'],
      ['支付宝', 'qr'],
      ['云闪付', 'qr'],
      ['银联二维码', 'qr'],
      ['扫码', 'qr'],
      ['二维码', 'qr'],
      ['QR', 'qr'],
      ['WeChat', 'qr'],
      ['Alipay', 'qr'],
      ['', 'unknown'],
      ['-', 'unknown'],
      ['外卡', 'unknown'],
      ['04', 'unknown'],
      ['` 借记卡 ', 'debit'],
    ];
    for (const [text, t] of cases) expect(normalizeCardType(text), text).toBe(t);
  });
});

describe('normalizeTxnType', () => {
  it('maps labels, checking the specific ones first', () => {
    const cases: [string, string][] = [
      ['消费', 'sale'],
      ['刷卡消费', 'sale'],
      ['扫码消费', 'sale'],
      ['支付', 'sale'],
      ['SUCCESS', 'sale'],
      ['交易', 'sale'],
      ['收款', 'sale'],
      ['付款码支付', 'sale'],
      ['消费撤销', 'void'],
      ['消费撤消', 'void'],
      ['撤销', 'void'],
      ['撤消', 'void'],
      ['REVOKED', 'void'],
      ['void', 'void'],
      ['预授权完成撤销', 'void'],
      ['退货', 'refund'],
      ['联机退货', 'refund'],
      ['脱机退货', 'refund'],
      ['退款', 'refund'],
      ['REFUND', 'refund'],
      ['预授权完成', 'preauth_complete'],
      ['预授权完成(请求)', 'preauth_complete'],
      ['冲正', 'reversal'],
      ['自动冲正', 'reversal'],
      ['消费冲正', 'reversal'],
      ['来账', 'credit'],
      ['贷', 'credit'],
      ['贷方', 'credit'],
      ['收入', 'credit'],
      ['入账', 'credit'],
      ['C', 'credit'],
      ['cr', 'credit'],
      ['往账', 'debit'],
      ['借', 'debit'],
      ['借方', 'debit'],
      ['支出', 'debit'],
      ['出账', 'debit'],
      ['D', 'debit'],
      ['DR', 'debit'],
      ['', 'unknown'],
      ['余额查询', 'unknown'],
      ['`消费', 'sale'],
    ];
    for (const [text, t] of cases) expect(normalizeTxnType(text), text).toBe(t);
  });
});

describe('normalizeStatus', () => {
  it('maps labels and response codes', () => {
    const cases: [string, string][] = [
      ['成功', 'success'],
      ['交易成功', 'success'],
      ['支付成功', 'success'],
      ['已成功', 'success'],
      ['SUCCESS', 'success'],
      ['success', 'success'],
      ['00', 'success'],
      ['承兑或交易成功', 'success'],
      ['正常', 'success'],
      ['已清算', 'success'],
      ['已结算', 'success'],
      ['失败', 'failed'],
      ['交易失败', 'failed'],
      ['FAIL', 'failed'],
      ['FAILED', 'failed'],
      ['拒绝', 'failed'],
      ['CLOSED', 'failed'],
      ['已关闭', 'failed'],
      ['PAYERROR', 'failed'],
      ['A0', 'failed'],
      ['96', 'failed'],
      ['51', 'failed'],
      ['超时', 'timeout'],
      ['交易超时', 'timeout'],
      ['TIMEOUT', 'timeout'],
      ['无应答', 'timeout'],
      ['98', 'timeout'],
      ['处理中', 'pending'],
      ['未知', 'pending'],
      ['NOTPAY', 'pending'],
      ['USERPAYING', 'pending'],
      ['PENDING', 'pending'],
      ['', 'unknown'],
      ['-', 'unknown'],
      ['已退款', 'unknown'],
      ['0', 'unknown'],
      ['`SUCCESS', 'success'],
    ];
    for (const [text, t] of cases) expect(normalizeStatus(text), text).toBe(t);
  });
});
