import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HUGE_PAGES_TUNABLE, KEEP_FREED_TUNABLES } from '../../../electron/cli/launch';
import { openDatabase } from '../../../electron/engine/store/database';
import { posrecon, posreconAsync } from '../../helpers/cli';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();

function bigTerminalCsv(path: string, rows: number): void {
  const lines = [
    '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,手续费,结算金额,凭证号,批次号,参考号,授权码,交易状态',
  ];
  for (let i = 0; i < rows; i++) {
    const s = String(i % 60).padStart(2, '0');
    lines.push(
      `2026-11-05 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${s},898310058120001,12345678,622202******${String(i % 10000).padStart(4, '0')},借记卡,消费,${(i % 5000) + 1}.00,0.05,${i % 5000}.95,${String(i % 1000000).padStart(6, '0')},000001,${String(100000000000 + i)},123456,成功`,
    );
  }
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
}

describe('a killed import', () => {
  it('leaves no partial import behind, and the file imports cleanly afterwards', async () => {
    const dir = tmp();
    const db = join(dir, 'posrecon.sqlite');
    const file = join(dir, '交易明细.csv');
    bigTerminalCsv(file, 400_000);

    // Started as already relaunched (launch.ts), so that the process killed is the one importing.
    const child = posreconAsync(['import', file, '--db', db], {
      GLIBC_TUNABLES: `${HUGE_PAGES_TUNABLE}:${KEEP_FREED_TUNABLES}`,
    });
    // Kill it once the uncommitted transaction has started spilling pages into the database file
    // (imports write with a rollback journal, or into the WAL when another connection is open).
    const written = () => [db, `${db}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
    const bytesAtKill = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const size = written();
        if (size > 8 * 1024 * 1024) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve(size);
        }
      }, 5);
      child.on('exit', (code) => {
        clearInterval(timer);
        if (code !== null) reject(new Error(`import finished (exit ${code}) before it could be killed`));
      });
    });
    await new Promise((r) => child.once('close', r));
    expect(child.signalCode).toBe('SIGKILL');
    expect(bytesAtKill).toBeGreaterThan(8 * 1024 * 1024);
    expect(existsSync(`${db}-journal`) || existsSync(`${db}-wal`)).toBe(true);

    const reopened = openDatabase(db);
    expect(reopened.prepare('SELECT count(*) AS n FROM records').get()).toEqual({ n: 0 });
    expect(reopened.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 });
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.close();

    const again = posrecon(['import', file, '--db', db, '--json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)[0]).toMatchObject({ ok: true, stored: 400_000, rejected: 0 });
  });
});
