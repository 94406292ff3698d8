import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { posrecon } from '../../helpers/cli';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();

const TERMINAL =
  '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,手续费,结算金额,凭证号,批次号,参考号,原参考号,授权码,交易状态';
const SETTLEMENT =
  '清算日期,交易时间,商户号,终端号,参考号,凭证号,批次号,卡号,卡类型,交易类型,交易金额,手续费,结算金额';
const M = '898310058120001';
const T = '12345678';

/** One terminal line; amounts in yuan text as the portal prints them. */
const term = (
  time: string,
  card: string,
  type: string,
  kind: string,
  amount: string,
  trace: string,
  rrn: string,
  status = '成功',
  orig = '',
) =>
  `${time},${M},${T},622202******${card},${type},${kind},${amount},,,${trace},000001,${rrn},${orig},123456,${status}`;
const settle = (
  clear: string,
  time: string,
  card: string,
  type: string,
  amount: string,
  fee: string,
  trace: string,
  rrn: string,
) => `${clear},${time},${M},${T},${rrn},${trace},000001,622202******${card},${type},消费,${amount},${fee},,`;

describe('posrecon reconcile and mismatches, from files', () => {
  it('finds every kind of problem in a day of real-looking exports, and nothing in the look-alikes', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const terminal = [
      TERMINAL,
      term('2026-11-05 09:00:00', '1111', '借记卡', '消费', '100.00', '000001', '531000000001'), // clean
      term('2026-11-05 10:00:00', '2222', '借记卡', '消费', '58.00', '000002', '531000000002'), // genuine
      term('2026-11-05 10:03:00', '2222', '借记卡', '消费', '58.00', '000003', '531000000003'), // duplicate
      term('2026-11-05 11:00:00', '3333', '贷记卡', '消费', '88.00', '000004', '531000000004', '超时'), // charged anyway
      term('2026-11-05 12:00:00', '4444', '借记卡', '消费', '260.00', '000005', '531000000005'), // never settled
      term('2026-11-05 13:00:00', '5555', '借记卡', '消费', '1000.00', '000006', '531000000006'), // amount differs
      term('2026-11-05 14:00:00', '6666', '借记卡', '消费', '1000.00', '000007', '531000000007'), // credit rate
      term('2026-11-05 15:00:00', '7777', '贷记卡', '消费', '300.00', '000008', '531000000008'), // voided, settled
      term(
        '2026-11-05 15:05:00',
        '7777',
        '贷记卡',
        '消费撤销',
        '300.00',
        '000009',
        '531000000009',
        '成功',
        '531000000008',
      ),
      // Look-alikes: same card and amount two hours apart; voided same day and absent; capped debit fee; 23:40 sale.
      term('2026-11-05 16:00:00', '8888', '借记卡', '消费', '20.00', '000010', '531000000010'),
      term('2026-11-05 18:00:00', '8888', '借记卡', '消费', '20.00', '000011', '531000000011'),
      term('2026-11-05 19:00:00', '9999', '借记卡', '消费', '66.00', '000012', '531000000012'),
      term(
        '2026-11-05 19:01:00',
        '9999',
        '借记卡',
        '消费撤销',
        '66.00',
        '000013',
        '531000000013',
        '成功',
        '531000000012',
      ),
      term('2026-11-05 20:00:00', '1212', '借记卡', '消费', '10000.00', '000014', '531000000014'),
      term('2026-11-05 23:40:00', '1313', '贷记卡', '消费', '45.00', '000015', '531000000015'),
    ];
    const settlement = [
      SETTLEMENT,
      settle(
        '2026-11-05',
        '2026-11-05 09:00:00',
        '1111',
        '借记卡',
        '100.00',
        '0.50',
        '000001',
        '531000000001',
      ),
      settle(
        '2026-11-05',
        '2026-11-05 10:00:00',
        '2222',
        '借记卡',
        '58.00',
        '0.29',
        '000002',
        '531000000002',
      ),
      settle(
        '2026-11-05',
        '2026-11-05 10:03:00',
        '2222',
        '借记卡',
        '58.00',
        '0.29',
        '000003',
        '531000000003',
      ),
      settle(
        '2026-11-05',
        '2026-11-05 11:00:00',
        '3333',
        '贷记卡',
        '88.00',
        '0.53',
        '000004',
        '531000000004',
      ),
      settle(
        '2026-11-05',
        '2026-11-05 13:00:00',
        '5555',
        '借记卡',
        '100.00',
        '0.50',
        '000006',
        '531000000006',
      ),
      settle(
        '2026-11-05',
        '2026-11-05 14:00:00',
        '6666',
        '借记卡',
        '1000.00',
        '6.00',
        '000007',
        '531000000007',
      ),
      settle(
        '2026-11-05',
        '2026-11-05 15:00:00',
        '7777',
        '贷记卡',
        '300.00',
        '1.80',
        '000008',
        '531000000008',
      ),
      settle(
        '2026-11-05',
        '2026-11-05 16:00:00',
        '8888',
        '借记卡',
        '20.00',
        '0.10',
        '000010',
        '531000000010',
      ),
      settle(
        '2026-11-05',
        '2026-11-05 18:00:00',
        '8888',
        '借记卡',
        '20.00',
        '0.10',
        '000011',
        '531000000011',
      ),
      settle(
        '2026-11-05',
        '2026-11-05 20:00:00',
        '1212',
        '借记卡',
        '10000.00',
        '20.00',
        '000014',
        '531000000014',
      ),
      settle(
        '2026-11-06',
        '2026-11-05 23:40:00',
        '1313',
        '贷记卡',
        '45.00',
        '0.27',
        '000015',
        '531000000015',
      ),
    ];
    writeFileSync(join(dir, 'POS交易明细_20261105.csv'), terminal.join('\r\n'));
    writeFileSync(join(dir, '清算明细_20261105.csv'), iconv.encode(settlement.join('\r\n'), 'gbk'));
    const imported = posrecon([
      'import',
      join(dir, 'POS交易明细_20261105.csv'),
      join(dir, '清算明细_20261105.csv'),
      '--db',
      db,
    ]);
    expect(imported.status).toBe(0);

    const res = posrecon(['mismatches', '--db', db, '--json']);
    expect(res.status).toBe(0);
    const list = JSON.parse(res.stdout) as Array<{
      id: string;
      kind: string;
      subkind: string | null;
      status: string;
      differenceFen: number;
      records: Array<{
        source: string;
        file: string;
        sheet: string | null;
        row: number;
        rrn: string;
        amountFen: number;
        time: string;
      }>;
      explanation: { zh: string; en: string };
    }>;
    expect(list.map((m) => [m.kind, m.subkind, m.differenceFen]).sort()).toEqual(
      [
        ['duplicate_charge', null, 5_800],
        ['charged_not_recorded', 'terminal_timeout', 8_800],
        ['not_settled', null, -26_000],
        ['amount_mismatch', null, -90_000],
        ['fee_mismatch', 'debit_charged_as_credit', 100],
        ['void_not_reflected', 'void', 30_000],
      ].sort(),
    );
    const dup = list.find((m) => m.kind === 'duplicate_charge')!;
    expect(dup.status).toBe('open');
    expect(dup.records[0]).toMatchObject({
      source: 'terminal',
      file: 'POS交易明细_20261105.csv',
      sheet: null,
      row: 3,
      rrn: '531000000002',
      amountFen: 5_800,
      time: '2026-11-05 10:00:00',
    });
    expect(dup.records.map((r) => [r.source, r.row])).toEqual([
      ['terminal', 3],
      ['settlement', 3],
      ['terminal', 4],
      ['settlement', 4],
    ]);
    for (const m of list) {
      expect(m.explanation.zh.length).toBeGreaterThan(20);
      expect(m.explanation.en.length).toBeGreaterThan(20);
    }

    const only = JSON.parse(posrecon(['mismatches', '--db', db, '--json', '--kind', 'fee_mismatch']).stdout);
    expect(only).toHaveLength(1);
    expect(posrecon(['mismatches', '--db', db, '--kind', 'nonsense']).status).toBe(2);

    // The counter question: card ending 2222, ¥58, that morning.
    const found = JSON.parse(
      posrecon([
        'search',
        '--card',
        '2222',
        '--amount',
        '58',
        '--from',
        '2026-11-05 09:30',
        '--to',
        '2026-11-05',
        '--db',
        db,
        '--json',
      ]).stdout,
    ) as Array<{
      record: { source: string; row: number };
      matchedWith: { source: string; row: number } | null;
      mismatches: Array<{ kind: string }>;
    }>;
    expect(
      found.map((f) => [f.record.source, f.record.row, f.matchedWith?.row, f.mismatches.map((m) => m.kind)]),
    ).toEqual([
      ['terminal', 3, 3, ['duplicate_charge']],
      ['settlement', 3, 3, ['duplicate_charge']],
      ['terminal', 4, 4, ['duplicate_charge']],
      ['settlement', 4, 4, ['duplicate_charge']],
    ]);
    expect(posrecon(['search', '--db', db]).status).toBe(2);
    expect(posrecon(['search', '--amount', 'abc', '--db', db]).status).toBe(2);

    // The same list as a spreadsheet, for the boss or the acquirer.
    const xlsx = join(dir, '差异.xlsx');
    const csv = join(dir, '差异.csv');
    expect(
      posrecon(['mismatches', '--db', db, '--xlsx', xlsx, '--csv', csv], { POSRECON_LANG: 'zh' }).status,
    ).toBe(0);
    const sheet = XLSX.read(readFileSync(xlsx)).Sheets['差异']!;
    const table = XLSX.utils.sheet_to_json<Record<string, unknown>>(sheet);
    expect(table).toHaveLength(6);
    expect(table.find((r) => r['类型'] === '重复扣费')?.['差额(元)']).toBe(58);
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toBe(
      '\ufeff编号,类型,子类型,状态,交易时间,终端号,卡号后四位,参考号,应为(元),实际(元),差额(元),说明,记录(文件:行),备注',
    );

    // The evidence bundle for the duplicate charge, and its check.
    const zip = join(dir, 'case.zip');
    const made = posrecon(['bundle', dup.id, '--out', zip, '--db', db]);
    expect(made.status).toBe(0);
    expect(made.stdout).toContain('重复扣费_终端12345678_20261105_参考号531000000002.zip');
    expect(posrecon(['verify-bundle', zip]).stdout).toContain('every file matches its manifest');
    const bytes = readFileSync(zip);
    writeFileSync(zip, bytes.subarray(0, bytes.length - 40)); // a truncated download
    const broken = posrecon(['verify-bundle', zip]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('not a readable bundle');
    expect(posrecon(['bundle', 'no-such-id', '--out', zip, '--db', db]).status).toBe(2);

    const summary = JSON.parse(posrecon(['reconcile', '--db', db, '--json']).stdout);
    expect(summary.matched).toBe(11);
    expect(summary.mismatches.duplicate_charge).toEqual({ count: 1, differenceFen: 5_800 });
    const human = posrecon(['reconcile', '--db', db], { POSRECON_LANG: 'zh' });
    expect(human.stdout).toContain('已匹配 11 笔');
    expect(human.stdout).toMatch(/重复扣费\s+1\s+¥58\.00/);
  });
});
