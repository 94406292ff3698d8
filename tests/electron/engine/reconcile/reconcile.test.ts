import { describe, expect, it } from 'vitest';
import { clearingDate } from '../../../../electron/engine/reconcile/rules';
import { DEFAULT_SETTINGS, expectedFee } from '../../../../electron/engine/reconcile/settings';
import { reconcile } from '../../../helpers/reconcile';
import { rec, settledSale } from './builder';

const kinds = (records: Parameters<typeof reconcile>[0]) =>
  reconcile(records).mismatches.map((m) => [m.kind, m.subkind ?? null]);

describe('expectedFee', () => {
  it('rounds half up to the fen and applies caps and surcharges', () => {
    expect(expectedFee(DEFAULT_SETTINGS.fees.debit, 10_000)).toBe(50);
    expect(expectedFee(DEFAULT_SETTINGS.fees.debit, 10_100)).toBe(51); // 50.5 → 51
    expect(expectedFee(DEFAULT_SETTINGS.fees.debit, 1_000_000)).toBe(2000); // capped at 20 元
    expect(expectedFee(DEFAULT_SETTINGS.fees.credit, 1_000_000)).toBe(6000);
    expect(expectedFee(DEFAULT_SETTINGS.fees.qr, 12_800)).toBe(49); // 48.64 → 49
    expect(expectedFee({ rateBp: 60, capFen: null, fixedFen: 100 }, 10_000)).toBe(160);
  });
});

describe('clearingDate', () => {
  it('is the trade date, or the next day after the 23:00 cut-off, across month ends', () => {
    const at = (txnTime: string) => clearingDate(rec({ source: 'terminal', txnTime }), '23:00:00');
    expect(at('2026-11-05 22:59:59')).toBe('2026-11-05');
    expect(at('2026-11-05 23:40:00')).toBe('2026-11-06');
    expect(at('2026-11-30 23:00:00')).toBe('2026-12-01');
  });
});

describe('reconcile: clean data reports nothing', () => {
  it('matches by RRN, by batch + trace, and by amount + card + time', () => {
    const [t1, s1] = settledSale('2026-11-05 10:00:00', 10_000, '000000000001');
    const t2 = rec({ source: 'terminal', txnTime: '2026-11-05 11:00:00', trace: '000777', amountFen: 2_000 });
    const s2 = rec({
      source: 'settlement',
      txnTime: '2026-11-05 11:00:05',
      trace: '000777',
      amountFen: 2_000,
      feeFen: 10,
    });
    const t3 = rec({ source: 'terminal', txnTime: '2026-11-05 12:00:00', batch: null, amountFen: 3_000 });
    const s3 = rec({
      source: 'settlement',
      txnTime: '2026-11-05 12:02:00',
      batch: null,
      amountFen: 3_000,
      feeFen: 15,
    });
    // A QR sale: the WeChat bill knows it by merchant order number, with another device id.
    const t4 = rec({
      source: 'terminal',
      txnTime: '2026-11-05 13:00:00',
      cardType: 'qr',
      cardNo: null,
      orderNo: 'PO-778',
    });
    const s4 = rec({
      source: 'settlement',
      txnTime: '2026-11-05 13:09:00',
      cardType: 'qr',
      cardNo: null,
      terminalNo: 'WX-DEVICE-1',
      orderNo: 'PO-778',
      feeFen: 38,
    });
    // …and its later refund, which keeps the SUCCESS row and adds a REFUND row: not a duplicate.
    const r4 = rec({
      ...s4,
      txnTime: '2026-11-06 09:00:00',
      txnType: 'refund',
      amountFen: 10_000,
      feeFen: null,
    });
    const result = reconcile([t1, s1, t2, s2, t3, s3, t4, s4, r4]);
    expect(result.mismatches).toEqual([]);
    expect(result.matched).toBe(4);
  });
});

describe('reconcile: each mismatch kind', () => {
  it('duplicate_charge: the operator swiped twice; the first sale is the genuine one', () => {
    const [t1, s1] = settledSale('2026-11-05 10:00:00', 5_800, '000000000011');
    const [t2, s2] = settledSale('2026-11-05 10:03:00', 5_800, '000000000012');
    const [m] = reconcile([t1, s1, t2, s2]).mismatches;
    expect(m).toMatchObject({
      kind: 'duplicate_charge',
      expectedFen: 5_800,
      actualFen: 11_600,
      differenceFen: 5_800,
    });
    expect(m!.records.map((r) => r.id)).toEqual([t1.id, s1.id, t2.id, s2.id]);
    expect(m!.explanation.zh).toContain('重复');
    expect(m!.explanation.zh).toContain('¥58.00');
    expect(m!.explanation.en).toContain('Refund the extra charge');
  });

  it('duplicate_charge: the same RRN settled twice', () => {
    const [t, s] = settledSale('2026-11-05 10:00:00', 5_800, '000000000013');
    const again = { ...s, id: 9_999_001, fp: 1, row: 99 };
    expect(kinds([t, s, again])).toContainEqual(['duplicate_charge', 'rrn_settled_twice']);
  });

  it('charged_not_recorded: settled although the terminal says failed, or never recorded', () => {
    const [t, s] = settledSale('2026-11-05 10:00:00', 8_800, '000000000021', {});
    t.status = 'timeout';
    const orphan = rec({
      source: 'settlement',
      txnTime: '2026-11-05 15:00:00',
      amountFen: 1_200,
      rrn: '000000000099',
      feeFen: 6,
    });
    const [okT, okS] = settledSale('2026-11-05 16:00:00', 100, '000000000022');
    expect(kinds([t, s, orphan, okT, okS])).toEqual([
      ['charged_not_recorded', 'terminal_timeout'],
      ['charged_not_recorded', 'no_terminal_record'],
    ]);
  });

  it('not_settled: missing from settlement files that cover its clearing date; pending otherwise', () => {
    const lost = rec({ source: 'terminal', txnTime: '2026-11-05 10:00:00', rrn: '000000000031' });
    const [okT, okS] = settledSale('2026-11-05 12:00:00', 100, '000000000032');
    const tomorrow = rec({ source: 'terminal', txnTime: '2026-11-06 09:00:00', rrn: '000000000033' });
    const result = reconcile([lost, okT, okS, tomorrow]);
    expect(result.mismatches.map((m) => [m.kind, m.records[0]!.id, m.differenceFen])).toEqual([
      ['not_settled', lost.id, -10_000],
    ]);
    expect(result.pending.map((r) => r.id)).toEqual([tomorrow.id]);
  });

  it('not_settled: a sale refunded later still had to be settled', () => {
    const lost = rec({ source: 'terminal', txnTime: '2026-11-05 10:00:00', rrn: '000000000034' });
    const refund = rec({
      source: 'terminal',
      txnTime: '2026-11-06 09:00:00',
      txnType: 'refund',
      amountFen: 1_000,
      origRrn: '000000000034',
    });
    const [okT, okS] = settledSale('2026-11-05 12:00:00', 100, '000000000035');
    const unsettled = reconcile([lost, refund, okT, okS]).mismatches.filter((m) => m.kind === 'not_settled');
    // The whole sale is missing from settlement, not the part left after the refund.
    expect(unsettled.map((m) => [m.records[0]!.id, m.differenceFen])).toEqual([[lost.id, -10_000]]);
  });

  it('amount_mismatch: same RRN, different amounts', () => {
    const [t, s] = settledSale('2026-11-05 10:00:00', 10_000, '000000000041');
    s.amountFen = 1_000;
    s.feeFen = 5;
    const [m] = reconcile([t, s]).mismatches;
    expect(m).toMatchObject({
      kind: 'amount_mismatch',
      expectedFen: 10_000,
      actualFen: 1_000,
      differenceFen: -9_000,
    });
  });

  it('fee_mismatch: a debit card charged the credit rate is named as such; over the cap too', () => {
    const [t1, s1] = settledSale('2026-11-05 10:00:00', 100_000, '000000000051', { feeFen: 600 });
    const [t2, s2] = settledSale('2026-11-05 11:00:00', 1_000_000, '000000000052', { feeFen: 2_500 });
    const [t3, s3] = settledSale('2026-11-05 12:00:00', 10_000, '000000000053', {
      cardType: 'credit',
      feeFen: 61,
    });
    expect(kinds([t1, s1, t2, s2, t3, s3])).toEqual([
      ['fee_mismatch', 'debit_charged_as_credit'],
      ['fee_mismatch', 'debit_over_cap'],
      ['fee_mismatch', null],
    ]);
    const [m] = reconcile([t1, s1]).mismatches;
    expect(m).toMatchObject({ expectedFen: 500, actualFen: 600, differenceFen: 100 });
  });

  it('void_not_reflected: voided on the terminal, settled in full anyway', () => {
    const [t, s] = settledSale('2026-11-05 10:00:00', 10_000, '000000000061');
    const voided = rec({
      source: 'terminal',
      txnTime: '2026-11-05 10:05:00',
      txnType: 'void',
      origRrn: '000000000061',
    });
    const [m] = reconcile([t, s, voided]).mismatches;
    expect(m).toMatchObject({
      kind: 'void_not_reflected',
      subkind: 'void',
      expectedFen: 0,
      actualFen: 10_000,
    });
    expect(m!.records.map((r) => r.id)).toEqual([t.id, voided.id, s.id]);
  });

  it('void_not_reflected: a refund never deducted in settlement', () => {
    const [t, s] = settledSale('2026-11-05 10:00:00', 10_000, '000000000062');
    const refund = rec({
      source: 'terminal',
      txnTime: '2026-11-06 09:00:00',
      txnType: 'refund',
      amountFen: 4_000,
    });
    const [okT, okS] = settledSale('2026-11-06 12:00:00', 100, '000000000063');
    expect(reconcile([t, s, refund, okT, okS]).mismatches).toMatchObject([
      { kind: 'void_not_reflected', subkind: 'refund', expectedFen: 6_000, actualFen: 10_000 },
    ]);
  });
});

describe('reconcile: reversals (冲正)', () => {
  it('a timed-out sale reversed automatically and absent from settlement is fine', () => {
    const sale = rec({
      source: 'terminal',
      txnTime: '2026-11-05 10:00:00',
      rrn: '000000000201',
      status: 'timeout',
    });
    const reversal = rec({
      source: 'terminal',
      txnTime: '2026-11-05 10:00:40',
      txnType: 'reversal',
      origRrn: '000000000201',
    });
    const [okT, okS] = settledSale('2026-11-05 12:00:00', 100, '000000000202');
    expect(reconcile([sale, reversal, okT, okS]).mismatches).toEqual([]);
  });

  it('a reversal that never reached the acquirer is reported once, as charged but not recorded', () => {
    const [t, s] = settledSale('2026-11-05 10:00:00', 10_000, '000000000203', { status: 'timeout' });
    s.status = 'unknown';
    const reversal = rec({
      source: 'terminal',
      txnTime: '2026-11-05 10:00:40',
      txnType: 'reversal',
      origRrn: '000000000203',
    });
    expect(kinds([t, s, reversal])).toEqual([['charged_not_recorded', 'terminal_timeout']]);
  });
});

describe('reconcile: look-alikes that must not be reported', () => {
  it('the same card buying the same thing twice two hours apart', () => {
    const [t1, s1] = settledSale('2026-11-05 10:00:00', 5_800, '000000000071');
    const [t2, s2] = settledSale('2026-11-05 12:00:00', 5_800, '000000000072');
    expect(reconcile([t1, s1, t2, s2]).mismatches).toEqual([]);
  });

  it('a sale voided the same day and absent from settlement', () => {
    const sale = rec({ source: 'terminal', txnTime: '2026-11-05 10:00:00', rrn: '000000000081' });
    const voided = rec({ source: 'terminal', txnTime: '2026-11-05 10:01:00', txnType: 'void' });
    const [okT, okS] = settledSale('2026-11-05 12:00:00', 100, '000000000082');
    expect(reconcile([sale, voided, okT, okS]).mismatches).toEqual([]);
  });

  it('a partial refund the next day, deducted as a negative settlement line', () => {
    const [t, s] = settledSale('2026-11-05 10:00:00', 10_000, '000000000131');
    const refund = rec({
      source: 'terminal',
      txnTime: '2026-11-06 09:00:00',
      txnType: 'refund',
      amountFen: 4_000,
      rrn: '000000000132',
      origRrn: '000000000131',
    });
    const deducted = rec({
      source: 'settlement',
      txnTime: '2026-11-06 09:00:00',
      clearDate: '2026-11-06',
      txnType: 'refund',
      amountFen: 4_000,
      rrn: '000000000132',
    });
    const [okT, okS] = settledSale('2026-11-06 12:00:00', 100, '000000000133');
    expect(reconcile([t, s, refund, deducted, okT, okS]).mismatches).toEqual([]);
  });

  it('a debit sale whose fee is correctly capped', () => {
    const [t, s] = settledSale('2026-11-05 10:00:00', 1_000_000, '000000000091', { feeFen: 2_000 });
    expect(reconcile([t, s]).mismatches).toEqual([]);
  });

  it('a late-night sale settled under the next day', () => {
    const [t, s] = settledSale('2026-11-05 23:40:00', 10_000, '000000000101', {});
    s.clearDate = '2026-11-06';
    expect(reconcile([t, s]).mismatches).toEqual([]);
  });

  it('a late-night sale not yet covered is pending, not missing', () => {
    const late = rec({ source: 'terminal', txnTime: '2026-11-05 23:40:00', rrn: '000000000102' });
    const [okT, okS] = settledSale('2026-11-05 12:00:00', 100, '000000000103');
    const result = reconcile([late, okT, okS]);
    expect(result.mismatches).toEqual([]);
    expect(result.pending.map((r) => r.id)).toEqual([late.id]);
  });

  it('a duplicate-looking pair whose second charge was voided', () => {
    const [t1, s1] = settledSale('2026-11-05 10:00:00', 5_800, '000000000111');
    const second = rec({
      source: 'terminal',
      txnTime: '2026-11-05 10:02:00',
      amountFen: 5_800,
      rrn: '000000000112',
    });
    const voided = rec({
      source: 'terminal',
      txnTime: '2026-11-05 10:03:00',
      txnType: 'void',
      amountFen: 5_800,
      origRrn: '000000000112',
    });
    expect(reconcile([t1, s1, second, voided]).mismatches).toEqual([]);
  });
});

describe('mismatch ids', () => {
  it('are the same on every run for the same records', () => {
    const [t, s] = settledSale('2026-11-05 10:00:00', 10_000, '000000000121');
    s.amountFen = 9_000;
    s.feeFen = 45;
    const a = reconcile([t, s]).mismatches[0]!.id;
    const b = reconcile([{ ...t }, { ...s }]).mismatches[0]!.id;
    expect(a).toBe(b);
    expect(a).toMatch(/^amount_mismatch-[0-9a-z]+$/);
  });
});

describe('reconcile: manual links and records without identifiers', () => {
  /** A sale and a settlement line that no rule pairs: other RRN and trace, an hour apart. */
  const unpairable = () => {
    const t = rec({
      source: 'terminal',
      txnTime: '2026-11-05 10:00:00',
      rrn: '000000000131',
      amountFen: 5_000,
    });
    const s = rec({
      source: 'settlement',
      txnTime: '2026-11-05 11:00:00',
      clearDate: '2026-11-05',
      rrn: '000000000199',
      trace: '000199',
      amountFen: 5_000,
      feeFen: 25,
    });
    return [t, s] as const;
  };

  it('a manual match pairs what no rule does; one naming the records the wrong way round is ignored', () => {
    const [t, s] = unpairable();
    expect(reconcile([t, s]).matched).toBe(0);
    const matched = reconcile([t, s], DEFAULT_SETTINGS, { matched: [[t.id, s.id]], unmatched: [] });
    expect(matched.matched).toBe(1);
    expect(matched.mismatches).toEqual([]);
    // The terminal side must be a terminal record and the settlement side a settlement line.
    const reversed = reconcile([t, s], DEFAULT_SETTINGS, { matched: [[s.id, t.id]], unmatched: [] });
    expect(reversed.matched).toBe(0);
  });

  it('records with no RRN, trace, batch, card or order number are never paired or linked by them', () => {
    const none = { rrn: null, trace: null, batch: null, cardNo: null, cardLast4: null, orderNo: null };
    const t = rec({ source: 'terminal', txnTime: '2026-11-05 10:00:00', amountFen: 5_000, ...none });
    const s = rec({
      source: 'settlement',
      txnTime: '2026-11-05 12:00:00',
      clearDate: '2026-11-05',
      amountFen: 7_000,
      feeFen: 35,
      ...none,
    });
    const refund = rec({
      source: 'terminal',
      txnTime: '2026-11-05 13:00:00',
      txnType: 'refund',
      amountFen: 5_000,
      ...none,
    });
    const result = reconcile([t, s, refund]);
    expect(result.matched).toBe(0);
    expect(result.mismatches.map((m) => m.kind).sort()).toEqual(['charged_not_recorded', 'not_settled']);
  });
});
