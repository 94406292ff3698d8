import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { posrecon } from '../../helpers/cli';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();

describe('posrecon fees', () => {
  it('a dated rate change applies from its date, for that merchant', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const header =
      '清算日期,交易时间,商户号,终端号,参考号,凭证号,批次号,卡号,卡类型,交易类型,交易金额,手续费,结算金额';
    const line = (date: string, fee: string, rrn: string) =>
      `${date},${date} 10:00:00,898310058120001,12345678,${rrn},000001,000001,622202******1234,借记卡,消费,100.00,${fee},`;
    writeFileSync(
      join(dir, 'settle.csv'),
      [
        header,
        line('2026-11-05', '0.50', '531000000001'),
        line('2026-11-06', '0.60', '531000000002'),
        line('2026-11-07', '0.50', '531000000003'),
      ].join('\n'),
    );
    posrecon(['import', join(dir, 'settle.csv'), '--db', db]);
    const fees = () =>
      (
        JSON.parse(posrecon(['mismatches', '--db', db, '--json', '--status', 'open']).stdout) as Array<{
          kind: string;
          records: Array<{ time: string }>;
        }>
      )
        .filter((m) => m.kind === 'fee_mismatch')
        .map((m) => m.records.at(-1)!.time.slice(0, 10));
    expect(fees()).toEqual(['2026-11-06']);

    const set = posrecon([
      'fees',
      'set',
      '--card',
      'debit',
      '--rate',
      '0.60%',
      '--cap',
      '20',
      '--merchant',
      '898310058120001',
      '--from',
      '2026-11-06',
      '--db',
      db,
    ]);
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('0.60%, capped at ¥20.00');
    expect(fees()).toEqual(['2026-11-07']);

    const shown = JSON.parse(posrecon(['fees', 'show', '--json', '--db', db]).stdout);
    expect(shown.dated).toMatchObject([
      { merchantNo: '898310058120001', from: '2026-11-06', fees: { debit: { rateBp: 60, capFen: 2000 } } },
    ]);
    expect(posrecon(['fees', 'set', '--card', 'debit', '--rate', '0.555%', '--db', db]).status).toBe(2);
    expect(posrecon(['fees', 'set', '--card', 'gold', '--rate', '1%', '--db', db]).status).toBe(2);
  });
});

describe('posrecon calendar', () => {
  it('shows the shipped tables and lets a user add the announced holidays', () => {
    const db = join(tmp(), 'p.sqlite');
    const y2026 = JSON.parse(posrecon(['calendar', 'show', '--year', '2026', '--json', '--db', db]).stdout);
    expect(y2026.provisional).toBe(false);
    expect(y2026.holidays).toContain('2026-10-07');
    expect(y2026.workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    const y2027 = posrecon(['calendar', 'show', '--year', '2027', '--db', db]);
    expect(y2027.stdout).toContain('provisional');

    const set = posrecon([
      'calendar',
      'set',
      '--holiday',
      '2027-02-09',
      '--workday',
      '2027-02-20',
      '--db',
      db,
    ]);
    expect(set.stdout).toBe('2027-02-09: day off\n2027-02-20: working day\n');
    const after = JSON.parse(posrecon(['calendar', 'show', '--year', '2027', '--json', '--db', db]).stdout);
    expect(after.holidays).toContain('2027-02-09');
    expect(after.workdays).toEqual(['2027-02-20']);
    expect(posrecon(['calendar', 'set', '--remove', '2027-02-09', '--db', db]).stdout).toBe(
      '2027-02-09: working day\n',
    );
  });

  it('keeps D0 (same-day) merchants between runs', () => {
    const db = join(tmp(), 'p.sqlite');
    expect(posrecon(['calendar', 'set', '--d0', '898310058120001', '--db', db]).status).toBe(0);
    const shown = JSON.parse(posrecon(['calendar', 'show', '--json', '--db', db]).stdout);
    expect(shown.d0Merchants).toEqual(['898310058120001']);
    posrecon(['calendar', 'set', '--t1', '898310058120001', '--db', db]);
    expect(JSON.parse(posrecon(['calendar', 'show', '--json', '--db', db]).stdout).d0Merchants).toEqual([]);
  });
});
