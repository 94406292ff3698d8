import { describe, expect, it } from 'vitest';
import {
  counterpartOf,
  ensureReconciled,
  loadManualLinks,
  reconcileStored,
  runReconcile,
  saveReconcile,
} from '../../../../electron/engine/reconcile/cases';
import { loadRecords } from '../../../../electron/engine/reconcile/load';
import { loadSettings, saveSetting } from '../../../../electron/engine/reconcile/settings-store';
import { csvDb, SETTLEMENT, TERMINAL } from '../../../helpers/csv-db';
import { reconciledDay } from '../../../helpers/day-db';
import { reconcile } from '../../../helpers/reconcile';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

describe('stored reconcile results', () => {
  it('are reused until imports, manual links or settings change, and keep each match', async () => {
    const { db, importLines } = csvDb(tmp());
    await importLines('pos.csv', [
      TERMINAL,
      '2026-11-05 10:00:00,898310058120001,12345678,622202******1234,借记卡,消费,100.00,000001,000001,531000000001,成功',
    ]);
    const settle = await importLines('settle.csv', [
      SETTLEMENT,
      '2026-11-05,2026-11-05 10:00:00,898310058120001,12345678,531000000001,000001,000001,622202******1234,借记卡,消费,100.00,0.50,99.50',
    ]);
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

    // A change committed while a run reads is not taken as seen by that run.
    const reading = reconcileStored(db);
    await importLines('pos2.csv', [
      TERMINAL,
      '2026-11-06 10:00:00,898310058120001,12345678,622202******1234,借记卡,消费,80.00,000002,000001,531000000002,成功',
    ]);
    saveReconcile(db, reading);
    ensureReconciled(db, onStage);
    expect(runs).toHaveLength(9);
  });
  it('keeps every pair of a run, however many statements writing them takes', async () => {
    // 300 pairs: one full chunk of 256 and a tail written one by one.
    const { db, importLines } = csvDb(tmp());
    const pos = [TERMINAL];
    const settle = [SETTLEMENT];
    for (let i = 0; i < 300; i++) {
      const time = `2026-11-05 ${String(8 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
      const rrn = `5310${String(i).padStart(8, '0')}`;
      const trace = String(i + 1).padStart(6, '0');
      pos.push(
        `${time},898310058120001,12345678,622202******1234,借记卡,消费,100.00,${trace},000001,${rrn},成功`,
      );
      settle.push(
        `2026-11-05,${time},898310058120001,12345678,${rrn},${trace},000001,622202******1234,借记卡,消费,100.00,0.50,99.50`,
      );
    }
    await importLines('pos.csv', pos);
    await importLines('settle.csv', settle);
    expect(runReconcile(db).matched).toBe(300);
    // The terminal file's records are 1–300, the settlement file's 301–600, row for row.
    const ids = Array.from({ length: 600 }, (_, i) => i + 1);
    expect(ids.map((id) => counterpartOf(db, id))).toEqual(
      ids.map((id) => (id <= 300 ? id + 300 : id - 300)),
    );
    expect([0, 601, -1].map((id) => counterpartOf(db, id))).toEqual([undefined, undefined, undefined]);
  });

  it('over the stored rows, finds what a run over the same records held whole finds', async () => {
    // The day holds one of every kind: the loader that reads fields in place and fetches only the
    // records mismatches name must agree with records read whole, explanations included.
    const { db } = await reconciledDay(tmp());
    const reconciled = reconcileStored(db);
    const stored = reconciled.result;
    const whole = reconcile(loadRecords(db), loadSettings(db), loadManualLinks(db));
    const view = (m: (typeof whole.mismatches)[number]) => ({ ...m, records: m.records.map((r) => r.id) });
    expect(stored.mismatches.map(view)).toEqual(whole.mismatches.map(view));
    expect(new Set(stored.mismatches.map((m) => m.kind)).size).toBe(7);
    expect([stored.matched, stored.pending]).toEqual([whole.matched, whole.pending.map((r) => r.id)]);
    // The pairs, as record ids in the order they were made.
    const { table, run } = reconciled;
    const pairs = Array.from(run.pairOrder, (r) => [table.id[r], table.id[run.counterpart[r]!]]);
    expect(pairs.map(([t]) => t)).toEqual([...whole.terminalToSettlement.keys()]);
    expect(pairs.map(([, s]) => s)).toEqual([...whole.terminalToSettlement.values()]);
    db.close();
  });
});
