import { describe, expect, it } from 'vitest';
import { creditDate, isWorkingDay, MAINLAND_CALENDAR } from '../../../../electron/engine/reconcile/calendar';
import { DEFAULT_SETTINGS } from '../../../../electron/engine/reconcile/settings';
import { reconcile } from '../../../helpers/reconcile';
import { rec } from './builder';

const cal = MAINLAND_CALENDAR;

describe('settlement calendar', () => {
  it('credits T+1 working day: Friday–Sunday arrive on Monday, holidays roll, make-up Saturdays count', () => {
    expect(creditDate('2026-11-05', cal)).toBe('2026-11-06'); // Thu → Fri
    expect(creditDate('2026-11-06', cal)).toBe('2026-11-09'); // Fri → Mon
    expect(creditDate('2026-11-07', cal)).toBe('2026-11-09'); // Sat → Mon
    expect(creditDate('2026-11-08', cal)).toBe('2026-11-09'); // Sun → Mon
    expect(creditDate('2026-09-30', cal)).toBe('2026-10-08'); // National Day week
    expect(creditDate('2026-10-09', cal)).toBe('2026-10-10'); // Saturday make-up working day
    expect(creditDate('2026-11-05', cal, 'D0')).toBe('2026-11-05');
    expect(isWorkingDay('2026-02-14', cal)).toBe(true); // Saturday before the Spring Festival
    expect(isWorkingDay('2026-02-16', cal)).toBe(false);
  });
});

const settled = (clearDate: string, amountFen: number, feeFen: number) =>
  rec({
    source: 'settlement',
    txnTime: `${clearDate} 12:00:00`,
    clearDate,
    amountFen,
    feeFen,
    netFen: amountFen - feeFen,
    rrn: `${clearDate.replaceAll('-', '')}${String(amountFen).padStart(4, '0')}`,
    cardNo: null,
    cardType: 'unknown',
  });
const credit = (date: string, amountFen: number, summary: string | null = '银联商务清算款') =>
  rec({
    source: 'statement',
    txnTime: `${date} 00:00:00`,
    clearDate: date,
    txnType: 'credit',
    amountFen,
    counterparty: '银联商务股份有限公司客户备付金',
    summary,
    cardNo: null,
    terminalNo: null,
  });
const otherLine = (date: string) =>
  rec({
    source: 'statement',
    txnTime: `${date} 00:00:00`,
    clearDate: date,
    txnType: 'debit',
    amountFen: -5_000,
    counterparty: '电费',
    cardNo: null,
    terminalNo: null,
  });

describe('settlement_shortfall', () => {
  const weekend = () => [
    settled('2026-11-06', 100_000, 500),
    settled('2026-11-07', 50_000, 250),
    settled('2026-11-08', 20_000, 100),
  ];

  it("a weekend's sales arriving together as Monday's credit are not a mismatch", () => {
    const records = [
      ...weekend(),
      otherLine('2026-11-06'),
      credit('2026-11-09', 169_150),
      otherLine('2026-11-10'),
    ];
    expect(reconcile(records).mismatches).toEqual([]);
  });

  it('fees charged separately: a credit equal to the gross is recognised', () => {
    const records = [
      ...weekend(),
      otherLine('2026-11-06'),
      credit('2026-11-09', 170_000),
      otherLine('2026-11-10'),
    ];
    expect(reconcile(records).mismatches).toEqual([]);
  });

  it('a short credit names the transaction that explains the gap', () => {
    const sales = weekend();
    const records = [
      ...sales,
      otherLine('2026-11-06'),
      credit('2026-11-09', 169_150 - 49_750),
      otherLine('2026-11-10'),
    ];
    const [m] = reconcile(records).mismatches;
    expect(m).toMatchObject({
      kind: 'settlement_shortfall',
      subkind: 'explained',
      expectedFen: 169_150,
      actualFen: 119_400,
      differenceFen: -49_750,
    });
    expect(m!.records.map((r) => r.id)).toContain(sales[1]!.id);
    expect(m!.explanation.zh).toContain('短款 ¥497.50');
  });

  it('a credit that never arrived, within the period the statement covers', () => {
    const records = [settled('2026-11-05', 10_000, 50), otherLine('2026-11-05'), otherLine('2026-11-09')];
    expect(reconcile(records).mismatches).toMatchObject([
      { kind: 'settlement_shortfall', subkind: 'credit_missing', expectedFen: 9_950, actualFen: 0 },
    ]);
  });

  it('an unexplained gap is reported as such', () => {
    const records = [
      ...weekend(),
      otherLine('2026-11-06'),
      credit('2026-11-09', 169_000),
      otherLine('2026-11-10'),
    ];
    expect(reconcile(records).mismatches).toMatchObject([{ subkind: 'unexplained', differenceFen: -150 }]);
  });

  it("uses the days a credit's remark names (1106-1108) instead of the calendar", () => {
    const records = [
      ...weekend(),
      otherLine('2026-11-06'),
      credit('2026-11-10', 169_150, '1106-1108 费8.50元'),
      otherLine('2026-11-11'),
    ];
    expect(reconcile(records).mismatches).toEqual([]);
  });

  it('credits a D0 merchant the same day', () => {
    const sale = settled('2026-11-05', 10_000, 50);
    const records = [sale, otherLine('2026-11-04'), credit('2026-11-05', 9_950), otherLine('2026-11-06')];
    expect(reconcile(records).mismatches).toMatchObject([
      { subkind: 'unexplained' },
      { subkind: 'credit_missing' },
    ]);
    const d0 = { ...DEFAULT_SETTINGS, d0Merchants: [sale.merchantNo!] };
    expect(reconcile(records, d0).mismatches).toEqual([]);
  });

  it('without settlement detail, expects terminal sales less contracted fees and refunds; voided sales not at all', () => {
    const sale = rec({ source: 'terminal', txnTime: '2026-11-05 10:00:00', amountFen: 10_000, rrn: '1' });
    const refund = rec({
      source: 'terminal',
      txnTime: '2026-11-05 15:00:00',
      txnType: 'refund',
      amountFen: 2_000,
      rrn: '2',
      origRrn: '1',
    });
    const voided = rec({ source: 'terminal', txnTime: '2026-11-05 16:00:00', amountFen: 3_000, rrn: '3' });
    const voiding = rec({
      source: 'terminal',
      txnTime: '2026-11-05 16:01:00',
      txnType: 'void',
      amountFen: 3_000,
      origRrn: '3',
    });
    const records = [
      sale,
      refund,
      voided,
      voiding,
      otherLine('2026-11-05'),
      credit('2026-11-06', 7_950),
      otherLine('2026-11-07'),
    ];
    expect(reconcile(records).mismatches).toEqual([]);
    const short = [...records.slice(0, 5), credit('2026-11-06', 5_950), otherLine('2026-11-07')];
    expect(reconcile(short).mismatches).toMatchObject([
      { kind: 'settlement_shortfall', differenceFen: -2_000 },
    ]);
  });

  it('ignores credits that are not from an acquirer', () => {
    const salary = rec({
      source: 'statement',
      txnTime: '2026-11-09 00:00:00',
      txnType: 'credit',
      amountFen: 99_999,
      counterparty: '张三',
      cardNo: null,
    });
    const records = [
      ...weekend(),
      otherLine('2026-11-06'),
      credit('2026-11-09', 169_150),
      salary,
      otherLine('2026-11-10'),
    ];
    expect(reconcile(records).mismatches).toEqual([]);
  });
});
