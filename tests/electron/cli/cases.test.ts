import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { posrecon } from '../../helpers/cli';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();
const TERMINAL =
  '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,手续费,结算金额,凭证号,批次号,参考号,交易状态';
const SETTLEMENT =
  '清算日期,交易时间,商户号,终端号,参考号,凭证号,批次号,卡号,卡类型,交易类型,交易金额,手续费,结算金额';
const t = (time: string, card: string, amount: string, trace: string, rrn: string) =>
  `${time},898310058120001,12345678,622202******${card},借记卡,消费,${amount},,,${trace},000001,${rrn},成功`;
const s = (time: string, card: string, amount: string, fee: string, trace: string, rrn: string) =>
  `${time.slice(0, 10)},${time},898310058120001,12345678,${rrn},${trace},000001,622202******${card},借记卡,消费,${amount},${fee},`;

interface Json {
  id: string;
  kind: string;
  status: string;
  note: string | null;
  closedReason: { zh: string; en: string } | null;
  records: Array<{ id: number; source: string }>;
}
const list = (db: string, ...args: string[]) =>
  JSON.parse(posrecon(['mismatches', '--db', db, '--json', ...args]).stdout) as Json[];

describe('re-running keeps user work and closes what new data explains', () => {
  it('a late settlement closes "not settled" visibly; a case under investigation keeps its status and note', () => {
    const dir = tmp();
    const db = join(dir, 'p.sqlite');
    const write = (name: string, lines: string[]) => {
      writeFileSync(join(dir, name), lines.join('\n'));
      return join(dir, name);
    };
    const terminal = write('pos.csv', [
      TERMINAL,
      t('2026-11-05 10:00:00', '1111', '100.00', '000001', '531000000001'),
      t('2026-11-05 10:01:00', '1111', '100.00', '000002', '531000000002'),
      t('2026-11-05 15:00:00', '2222', '300.00', '000003', '531000000003'),
    ]);
    const first = write('清算1.csv', [
      SETTLEMENT,
      s('2026-11-05 10:00:00', '1111', '100.00', '0.50', '000001', '531000000001'),
      s('2026-11-05 10:01:00', '1111', '100.00', '0.50', '000002', '531000000002'),
    ]);
    expect(posrecon(['import', terminal, first, '--db', db]).status).toBe(0);
    const before = list(db);
    expect(before.map((m) => [m.kind, m.status]).sort()).toEqual([
      ['duplicate_charge', 'open'],
      ['not_settled', 'open'],
    ]);
    const dup = before.find((m) => m.kind === 'duplicate_charge')!;
    const status = posrecon([
      'status',
      dup.id,
      'investigating',
      '--note',
      '已联系顾客，等待退款',
      '--db',
      db,
    ]);
    expect(status.status).toBe(0);

    // The missing settlement arrives in a later file.
    const late = write('清算2.csv', [
      SETTLEMENT,
      s('2026-11-05 15:00:00', '2222', '300.00', '1.50', '000003', '531000000003'),
    ]);
    expect(posrecon(['import', late, '--db', db]).status).toBe(0);
    const run = JSON.parse(posrecon(['reconcile', '--db', db, '--json']).stdout);
    expect(run).toMatchObject({ opened: 0, closed: 1 });

    const after = list(db);
    expect(after.find((m) => m.id === dup.id)).toMatchObject({
      status: 'investigating',
      note: '已联系顾客，等待退款',
    });
    const closed = after.find((m) => m.kind === 'not_settled')!;
    expect(closed.status).toBe('closed');
    expect(closed.closedReason?.zh).toContain('自动关闭');
    expect(list(db, '--status', 'open')).toEqual([]);
    expect(posrecon(['mismatches', '--db', db, '--status', 'bogus']).status).toBe(2);
  });

  /** A sale and its settlement line that no rule pairs, as two files in a new folder. */
  function unpairedFiles() {
    const dir = tmp();
    const pos = join(dir, 'pos.csv');
    const settle = join(dir, 'settle.csv');
    writeFileSync(
      pos,
      [TERMINAL, t('2026-11-05 10:00:00', '1111', '100.00', '000001', '531000000001')].join('\n'),
    );
    // Settled with another reference number and trace, an hour later: no rule pairs them.
    writeFileSync(
      settle,
      [SETTLEMENT, s('2026-11-05 11:00:00', '1111', '100.00', '0.50', '000099', '531000000099')].join('\n'),
    );
    return { db: join(dir, 'p.sqlite'), pos, settle };
  }

  it('manual matches win over the rules on every run, and can be undone', () => {
    const { db, pos, settle } = unpairedFiles();
    posrecon(['import', pos, settle, '--db', db]);
    const before = list(db);
    expect(before.map((m) => m.kind).sort()).toEqual(['charged_not_recorded', 'not_settled']);
    const terminalId = before.flatMap((m) => m.records).find((r) => r.source === 'terminal')!.id;
    const settlementId = before.flatMap((m) => m.records).find((r) => r.source === 'settlement')!.id;

    expect(posrecon(['match', String(terminalId), String(settlementId), '--db', db]).status).toBe(0);
    expect(list(db, '--status', 'open')).toEqual([]);
    expect(JSON.parse(posrecon(['reconcile', '--db', db, '--json']).stdout).matched).toBe(1);

    expect(posrecon(['unmatch', String(terminalId), '--db', db]).status).toBe(0);
    expect(
      list(db, '--status', 'open')
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['charged_not_recorded', 'not_settled']);
    expect(posrecon(['match', String(settlementId), String(terminalId), '--db', db]).status).toBe(2);
  });

  it('a manual match holds for the same records imported again under new ids', () => {
    const { db, pos, settle } = unpairedFiles();
    // The settlement file first, so that its record's id is not the last one, which SQLite would
    // give again.
    posrecon(['import', settle, pos, '--db', db]);
    const records = list(db).flatMap((m) => m.records);
    const terminalId = records.find((r) => r.source === 'terminal')!.id;
    const settlementId = records.find((r) => r.source === 'settlement')!.id;
    expect(posrecon(['match', String(terminalId), String(settlementId), '--db', db]).status).toBe(0);

    // The settlement file undone and imported again: its record comes back under a new id, with
    // the same content and so the same fingerprint, which the manual match is kept by.
    const imports = JSON.parse(posrecon(['imports', '--db', db, '--json']).stdout) as Array<{
      id: number;
      fileName: string;
    }>;
    const settleImport = imports.find((i) => i.fileName === 'settle.csv')!.id;
    expect(posrecon(['undo-import', String(settleImport), '--db', db]).status).toBe(0);
    expect(posrecon(['import', settle, '--db', db]).status).toBe(0);
    const run = JSON.parse(posrecon(['reconcile', '--db', db, '--json']).stdout) as { matched: number };
    expect(run.matched).toBe(1);
    expect(list(db, '--status', 'open')).toEqual([]);
    const [again] = JSON.parse(
      posrecon(['search', '--rrn', '531000000099', '--db', db, '--json']).stdout,
    ) as Array<{
      record: { id: number };
      matchedWith: { id: number } | null;
    }>;
    expect(again!.record.id).not.toBe(settlementId);
    expect(again!.matchedWith?.id).toBe(terminalId);
  });
});
