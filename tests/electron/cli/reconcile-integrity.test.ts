import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/engine/store/database';
import { importedDay, posrecon } from '../../helpers/cli';
import { addFillerAndClose, alterFillerIndexKeys } from '../../helpers/filler';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();

/** A database of the day's exports with a filler table and index at its end, checkpointed, so
 *  that its last pages can be damaged without touching the records a reconcile reads. */
function dayDatabase(dir: string): string {
  const db = importedDay(dir);
  addFillerAndClose(openDatabase(db), 3000);
  return db;
}

describe('posrecon reconcile checks the database on another thread while it reads', () => {
  it('reconciles a sound database as before', () => {
    // The built command line has the worker that runs the check.
    expect(existsSync(join(__dirname, '..', '..', '..', 'out', 'cli', 'integrity-worker.js'))).toBe(true);
    const db = dayDatabase(tmp());
    const res = posrecon(['reconcile', '--db', db, '--json']);
    expect(res.status, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as {
      opened: number;
      mismatches: Record<string, { count: number }>;
    };
    expect(summary.opened).toBe(7);
    expect(Object.values(summary.mismatches).every((k) => k.count === 1)).toBe(true);
    // Written after the check passed: the mismatches are there for the next command.
    const listed = JSON.parse(posrecon(['mismatches', '--db', db, '--json']).stdout) as unknown[];
    expect(listed).toHaveLength(7);
  });

  it('refuses a damaged database, having written nothing to it', () => {
    const db = dayDatabase(tmp());
    const { bytes, altered } = alterFillerIndexKeys(db);
    expect(altered).toBeGreaterThan(100);

    const res = posrecon(['reconcile', '--db', db]);
    expect(res.status).toBe(4);
    expect(res.stderr).toContain('damaged');
    expect(readFileSync(db).equals(bytes)).toBe(true);
    expect(readFileSync(`${db}-wal`, { flag: 'a+' }).length).toBe(0);
  });
});
