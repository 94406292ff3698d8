import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { writeDayFiles } from '../../fixtures/day';
import { importedDay, posrecon } from '../../helpers/cli';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();

describe('posrecon reconcile and mismatches, from files', () => {
  it('searches bank lines by a negative amount: a debit', () => {
    const dir = tmp();
    const db = importedDay(dir);
    // The water bill paid on the 6th.
    const debit = JSON.parse(posrecon(['search', '--amount=-200', '--db', db, '--json']).stdout) as Array<{
      record: { source: string; amountFen: number };
    }>;
    expect(debit.map((f) => [f.record.source, f.record.amountFen])).toEqual([['statement', -20_000]]);
  });

  it('finds every kind of problem in a day of real-looking exports, and nothing in the look-alikes', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const files = writeDayFiles(dir);
    const imported = posrecon(['import', files.terminal, files.settlement, '--db', db]);
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
    const sheet = XLSX.read(readFileSync(xlsx)).Sheets.差异!;
    const table = XLSX.utils.sheet_to_json<Record<string, unknown>>(sheet);
    expect(table).toHaveLength(6);
    expect(table.find((r) => r.类型 === '重复扣费')?.['差额(元)']).toBe(58);
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
    // One byte of one original changed: the check names that file.
    const inside = unzipSync(bytes);
    const settled = inside['原始文件/清算明细_20261105.csv']!;
    settled[settled.length - 1] = settled[settled.length - 1]! ^ 1;
    const altered = join(dir, 'altered.zip');
    writeFileSync(altered, zipSync(inside));
    const changed = posrecon(['verify-bundle', altered]);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain('changed: 原始文件/清算明细_20261105.csv');
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
