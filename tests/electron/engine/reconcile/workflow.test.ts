import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMismatches, runReconcile } from '../../../../electron/engine/reconcile/cases';
import {
  addAttachment,
  addNote,
  attachmentsOf,
  caseById,
  createCase,
  historyOf,
  setMismatchStatus,
  WorkflowError,
} from '../../../../electron/engine/reconcile/workflow';
import { fileStoreDir } from '../../../../electron/engine/store/paths';
import { reconciledDay } from '../../../helpers/day-db';
import { thrown } from '../../../helpers/errors';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

async function day() {
  const dir = tmp();
  const { db, dbPath } = await reconciledDay(dir);
  const byKind = (kind: string) => listMismatches(db).find((m) => m.kind === kind)!.id;
  return { dir, dbPath, db, byKind };
}

describe('case work on a mismatch', () => {
  it('each step asks for what it needs, and every change is in the history with time and user', async () => {
    const { db, byKind } = await day();
    const id = byKind('duplicate_charge');
    setMismatchStatus(db, id, { status: 'investigating', user: '王店长', note: '顾客来电' });

    const noTicket = thrown(
      () => setMismatchStatus(db, id, { status: 'disputed', user: '王店长' }),
      WorkflowError,
    );
    expect(noTicket.zh).toContain('工单号');
    thrown(() => setMismatchStatus(db, id, { status: 'resolved', user: 'x' }), WorkflowError);
    thrown(() => setMismatchStatus(db, id, { status: 'dismissed', user: 'x', reason: ' ' }), WorkflowError);
    const badDate = { status: 'disputed', user: 'x', ticketNo: 'T1', ticketDate: '07/11/2026' } as const;
    thrown(() => setMismatchStatus(db, id, badDate), WorkflowError);
    thrown(() => addNote(db, 'no-such-id', '备注', 'x'), WorkflowError);

    setMismatchStatus(db, id, {
      status: 'disputed',
      user: '王店长',
      ticketNo: 'GD001',
      ticketDate: '2026-11-07',
    });
    addNote(db, id, '已将签购单发给客服', '李会计');
    setMismatchStatus(db, id, { status: 'resolved', user: '李会计', recoveredFen: 5_800 });

    const [m] = listMismatches(db, { ids: [id] });
    expect(m).toMatchObject({
      status: 'resolved',
      ticketNo: 'GD001',
      ticketDate: '2026-11-07',
      recoveredFen: 5_800,
      note: '已将签购单发给客服',
    });
    const history = historyOf(db, id);
    expect(history.map((h) => [h.user, h.action, h.status])).toEqual([
      ['王店长', 'status', 'investigating'],
      ['王店长', 'status', 'disputed'],
      ['李会计', 'note', null],
      ['李会计', 'status', 'resolved'],
    ]);
    expect(history[1]!.detail).toEqual({ ticketNo: 'GD001', ticketDate: '2026-11-07' });
    for (const h of history) expect(h.at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    // A re-run keeps the decision and its details: the data still shows the duplicate.
    runReconcile(db);
    expect(listMismatches(db, { ids: [id] })[0]).toMatchObject({ status: 'resolved', recoveredFen: 5_800 });
  });

  it('attachments are kept by hash beside the database, and cases group mismatches', async () => {
    const { dir, dbPath, db, byKind } = await day();
    const id = byKind('charged_not_recorded');
    const slip = join(dir, '签购单.jpg');
    writeFileSync(slip, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    const a = addAttachment(db, fileStoreDir(dbPath), id, slip, '王店长');
    expect(a).toMatchObject({ fileName: '签购单.jpg', size: 7, addedBy: '王店长' });
    expect(readFileSync(join(fileStoreDir(dbPath), a.storedName)).equals(readFileSync(slip))).toBe(true);
    expect(attachmentsOf(db, [id])).toEqual([a]);
    expect(historyOf(db, id).at(-1)).toMatchObject({
      action: 'attachment',
      detail: { fileName: '签购单.jpg' },
    });

    const other = byKind('fee_mismatch');
    const c = createCase(db, '11月5日争议', [id, other, id], '王店长');
    expect(caseById(db, c.id)).toMatchObject({ title: '11月5日争议', mismatchIds: [id, other] });
    thrown(() => createCase(db, 'x', ['no-such'], 'x'), WorkflowError);
    thrown(() => createCase(db, 'x', [], 'x'), WorkflowError);
  });
});
