import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFixtures } from '../../fixtures/files';
import { posrecon } from '../../helpers/cli';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();

function writeFixtures(dir: string): string[] {
  return allFixtures().map((fx) => {
    const path = join(dir, fx.name);
    writeFileSync(path, fx.bytes);
    return path;
  });
}

const TERMINAL_HEADER =
  '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,手续费,结算金额,凭证号,批次号,参考号,授权码,交易状态';
const row = (time: string, amount: string, trace: string) =>
  `${time},898310058120001,12345678,622202******1234,借记卡,消费,${amount},0.50,99.50,${trace},000001,0000000${trace}0,123456,成功`;

describe('posrecon import', () => {
  it('imports every kind of export in one go, detecting source and layout', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const files = writeFixtures(dir);
    const res = posrecon(['import', ...files, '--db', db, '--json']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as Array<{
      ok: boolean;
      preset: string;
      source: string;
      stored: number;
    }>;
    expect(out.map((o) => [o.ok, o.preset, o.source])).toEqual(
      allFixtures().map((fx) => [true, fx.presetId, fx.source]),
    );
    expect(out.map((o) => o.stored)).toEqual(allFixtures().map((fx) => fx.dataRows));

    const list = JSON.parse(posrecon(['imports', '--db', db, '--json']).stdout) as Array<{ records: number }>;
    expect(list).toHaveLength(files.length);
  });

  it('prints what it recognised, in Chinese by default for Chinese users', () => {
    const dir = tmp();
    const file = join(dir, 'pos.csv');
    writeFileSync(file, [TERMINAL_HEADER, row('2026-11-05 10:00:00', '100.00', '00001')].join('\n'));
    const res = posrecon(['import', file, '--db', join(dir, 'p.sqlite')], { POSRECON_LANG: 'zh_CN.UTF-8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(
      '✓ pos.csv → 导入 #1：终端交易，通用 终端交易明细（编码 utf-8, 表头在第 1 行）',
    );
    expect(res.stdout).toContain('读取 1 行：入库 1');
  });

  it('refuses the same file twice with exit code 3 and says when it was imported', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const file = join(dir, 'pos.csv');
    writeFileSync(file, [TERMINAL_HEADER, row('2026-11-05 10:00:00', '100.00', '00001')].join('\n'));
    expect(posrecon(['import', file, '--db', db]).status).toBe(0);
    const again = posrecon(['import', file, '--db', db]);
    expect(again.status).toBe(3);
    expect(again.stdout).toMatch(
      /pos\.csv was already imported on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(import #1/,
    );
  });

  it('exits 1 and lists rejected rows when some rows are bad; rejects shows all of them', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const file = join(dir, 'pos.csv');
    writeFileSync(
      file,
      [
        TERMINAL_HEADER,
        row('2026-11-05 10:00:00', '100.00', '00001'),
        row('2026-11-05 10:01:00', '12..5', '00002'),
      ].join('\n'),
    );
    const res = posrecon(['import', file, '--db', db]);
    expect(res.status).toBe(1);
    expect(res.stdout).toContain('1 stored');
    expect(res.stdout).toContain('! pos.csv row 3, column "交易金额"');
    const rejects = JSON.parse(posrecon(['rejects', '1', '--db', db, '--json']).stdout);
    expect(rejects).toMatchObject([{ row: 3, column: '交易金额', value: '12..5' }]);
  });

  it('stores rows whose RRN Excel had already cut short, and says which rows to check', () => {
    const dir = tmp();
    const file = join(dir, 'pos.csv');
    writeFileSync(
      file,
      [
        TERMINAL_HEADER,
        '2026-11-05 10:00:00,898310058120001,12345678,622202******1234,借记卡,消费,100.00,0.50,99.50,000001,000001,1.23457E+11,123456,成功',
      ].join('\n'),
    );
    const res = posrecon(['import', file, '--db', join(dir, 'p.sqlite')]);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(
      '! 1 rows have an RRN, trace, order or card number that Excel had already cut short',
    );
    expect(res.stdout).toContain('(rows 2)');
    const again = posrecon(['import', file, '--db', join(dir, 'q.sqlite'), '--json']);
    expect(JSON.parse(again.stdout)[0]).toMatchObject({
      flagged: 1,
      flaggedRows: [{ row: 2, flags: ['rrn_truncated'] }],
    });
  });

  it('explains an unknown layout and accepts a column mapping, saved as a preset for next time', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const first = join(dir, '流水1.csv');
    const second = join(dir, '流水2.csv');
    writeFileSync(first, '记账日,进账,出账,来往户名\n2026-11-06,1234.50,,银联商务股份有限公司客户备付金\n');
    writeFileSync(second, '记账日,进账,出账,来往户名\n2026-11-07,,20.00,电费\n');
    const unknown = posrecon(['import', first, '--db', db]);
    expect(unknown.status).toBe(3);
    expect(unknown.stdout).toContain('流水1.csv: No recognisable header row');

    const mapping = join(dir, 'mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        source: 'statement',
        columns: { txnDate: '记账日', credit: '进账', debit: '出账', counterparty: '来往户名' },
      }),
    );
    const mapped = posrecon([
      'import',
      first,
      '--db',
      db,
      '--mapping',
      mapping,
      '--save-preset',
      '我的银行',
      '--json',
    ]);
    expect(mapped.status).toBe(0);
    expect(JSON.parse(mapped.stdout)[0]).toMatchObject({ ok: true, source: 'statement', stored: 1 });

    const presets = posrecon(['presets', '--db', db]);
    expect(presets.stdout).toMatch(/我的银行 +bank statement +我的银行 \(saved mapping\)/);
    const reused = posrecon(['import', second, '--db', db, '--preset', '我的银行', '--json']);
    expect(JSON.parse(reused.stdout)[0]).toMatchObject({ ok: true, stored: 1 });
  });

  it('rejects a malformed mapping with a message naming the file and the problem', () => {
    const dir = tmp();
    const mapping = join(dir, 'm.json');
    writeFileSync(mapping, JSON.stringify({ source: 'statement', columns: { amont: '金额' } }));
    const res = posrecon(['import', mapping, '--db', join(dir, 'p.sqlite'), '--mapping', mapping]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('m.json: unknown field "amont"');
  });

  it('undo-import removes an import and its records', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const file = join(dir, 'pos.csv');
    writeFileSync(file, [TERMINAL_HEADER, row('2026-11-05 10:00:00', '100.00', '00001')].join('\n'));
    posrecon(['import', file, '--db', db]);
    const undo = posrecon(['undo-import', '1', '--db', db, '--json']);
    expect(JSON.parse(undo.stdout)).toEqual({ importId: 1, removed: 1, handedOver: 0 });
    expect(JSON.parse(posrecon(['imports', '--db', db, '--json']).stdout)).toEqual([]);
    expect(posrecon(['undo-import', '1', '--db', db]).status).toBe(2);
  });

  it('exits 4 when the database is not a database, and 2 on usage errors', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    writeFileSync(db, 'not a database '.repeat(100));
    const res = posrecon(['imports', '--db', db]);
    expect(res.status).toBe(4);
    expect(res.stderr).toContain('Not a valid PosRecon database');
    expect(posrecon(['import', '--db', join(dir, 'q.sqlite')]).status).toBe(2);
    expect(posrecon(['frobnicate', '--db', join(dir, 'q.sqlite')]).status).toBe(2);
    expect(posrecon(['import', 'x.csv', '--as', 'bank', '--db', join(dir, 'q.sqlite')]).status).toBe(2);
  });

  it('honours POSRECON_DB', () => {
    const dir = tmp();
    const file = join(dir, 'pos.csv');
    writeFileSync(file, [TERMINAL_HEADER, row('2026-11-05 10:00:00', '100.00', '00001')].join('\n'));
    expect(posrecon(['import', file], { POSRECON_DB: join(dir, 'env.sqlite') }).status).toBe(0);
    expect(
      JSON.parse(posrecon(['imports', '--json'], { POSRECON_DB: join(dir, 'env.sqlite') }).stdout),
    ).toHaveLength(1);
  });
});
