import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../../electron/engine/import/import-file';
import { counterpartOf, ensureReconciled, runReconcile } from '../../../../electron/engine/reconcile/cases';
import { saveSetting } from '../../../../electron/engine/reconcile/settings-store';
import { openDatabase } from '../../../../electron/engine/store/database';
import { fileStoreDir } from '../../../../electron/engine/store/paths';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();
const TERMINAL = '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,凭证号,批次号,参考号,交易状态';
const SETTLEMENT =
  '清算日期,交易时间,商户号,终端号,参考号,凭证号,批次号,卡号,卡类型,交易类型,交易金额,手续费,结算金额';

describe('stored reconcile results', () => {
  it('are reused until imports, manual links or settings change, and keep each match', async () => {
    const dir = tmp();
    const dbPath = join(dir, 'p.sqlite');
    const db = openDatabase(dbPath);
    const write = (name: string, lines: string[]) => {
      writeFileSync(join(dir, name), lines.join('\n'));
      return join(dir, name);
    };
    await importFile(db, fileStoreDir(dbPath), {
      path: write('pos.csv', [
        TERMINAL,
        '2026-11-05 10:00:00,898310058120001,12345678,622202******1234,借记卡,消费,100.00,000001,000001,531000000001,成功',
      ]),
    });
    const settle = await importFile(db, fileStoreDir(dbPath), {
      path: write('settle.csv', [
        SETTLEMENT,
        '2026-11-05,2026-11-05 10:00:00,898310058120001,12345678,531000000001,000001,000001,622202******1234,借记卡,消费,100.00,0.50,99.50',
      ]),
    });
    const runs: string[] = [];
    const onStage = (stage: string) => runs.push(stage);
    ensureReconciled(db, onStage);
    expect(runs).toEqual(['loading', 'matching', 'saving']);
    ensureReconciled(db, onStage);
    expect(runs).toHaveLength(3);

    expect(settle.ok).toBe(true);
    expect(counterpartOf(db, 1)).toBe(2);
    expect(counterpartOf(db, 2)).toBe(1);

    saveSetting(db, 'd0Merchants', ['898310058120001']);
    ensureReconciled(db, onStage);
    expect(runs).toHaveLength(6);
    runReconcile(db);
    ensureReconciled(db, onStage);
    expect(runs).toHaveLength(6);
  });
});
