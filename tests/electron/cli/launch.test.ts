import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allocatorEnv,
  HUGE_PAGES_TUNABLE,
  heavyCommand,
  KEEP_FREED_TUNABLES,
} from '../../../electron/cli/launch';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();
const BIN = join(__dirname, '..', '..', '..', 'bin', 'posrecon.cjs');

describe('allocatorEnv', () => {
  it('adds the huge-page tunable on Linux, after any tunables already set', () => {
    expect(allocatorEnv({ A: '1' }, false, 'linux')).toEqual({ A: '1', GLIBC_TUNABLES: HUGE_PAGES_TUNABLE });
    expect(allocatorEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, false, 'linux')).toEqual({
      GLIBC_TUNABLES: `glibc.malloc.arena_max=2:${HUGE_PAGES_TUNABLE}`,
    });
  });

  it('adds the tunables that keep freed memory for a command that ends with its work', () => {
    expect(allocatorEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, true, 'linux')).toEqual({
      GLIBC_TUNABLES: `glibc.malloc.arena_max=2:${HUGE_PAGES_TUNABLE}:${KEEP_FREED_TUNABLES}`,
    });
    // A tunable already set keeps its value; only the others are added.
    expect(
      allocatorEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0:glibc.malloc.trim_threshold=1' }, true, 'linux'),
    ).toEqual({
      GLIBC_TUNABLES:
        'glibc.malloc.hugetlb=0:glibc.malloc.trim_threshold=1:glibc.malloc.mmap_threshold=33554432',
    });
  });

  it('changes nothing where the setting is already made, or on other systems', () => {
    expect(allocatorEnv({ GLIBC_TUNABLES: HUGE_PAGES_TUNABLE }, false, 'linux')).toBeNull();
    expect(
      allocatorEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0' }, false, 'linux'),
    ).toBeNull();
    expect(
      allocatorEnv({ GLIBC_TUNABLES: `${HUGE_PAGES_TUNABLE}:${KEEP_FREED_TUNABLES}` }, true, 'linux'),
    ).toBeNull();
    expect(allocatorEnv({}, true, 'win32')).toBeNull();
    expect(allocatorEnv({}, true, 'darwin')).toBeNull();
  });
});

describe('heavyCommand', () => {
  it('names the commands that read whole files or every record, wherever the options stand', () => {
    expect(heavyCommand(['import', 'a.csv', '--db', 'p.sqlite'])).toBe('import');
    expect(heavyCommand(['--db', 'p.sqlite', 'reconcile', '--json'])).toBe('reconcile');
    expect(heavyCommand(['serve', '--port', '0'])).toBe('serve');
    expect(heavyCommand(['note', 'M1', 'import'])).toBeNull();
    expect(heavyCommand(['imports', '--db', 'import'])).toBeNull();
    expect(heavyCommand(['import', '--no-such-option'])).toBeNull();
    expect(heavyCommand([])).toBeNull();
  });
});

/** The command line started with a preload that reports, from the main thread of every process
 *  that runs it, its pid and its tunables (one JSON line on stderr each). */
function startWithReport(dir: string, args: string[]) {
  const preload = join(dir, 'report.cjs');
  writeFileSync(
    preload,
    `if (require('node:worker_threads').isMainThread)
      process.stderr.write(JSON.stringify({ pid: process.pid, tunables: process.env.GLIBC_TUNABLES ?? null }) + '\\n');`,
  );
  const child = spawn(process.execPath, ['--require', preload, BIN, ...args], {
    env: { ...process.env, POSRECON_LANG: 'en', GLIBC_TUNABLES: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const reports = () =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('{"pid"'))
      .map((l) => JSON.parse(l) as { pid: number; tunables: string | null });
  return { child, ended, reports, out: () => stdout, err: () => stderr };
}

/** Whether the process still runs: gone, or ended and waiting to be reaped (state Z), is not. */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}

describe.runIf(process.platform === 'linux')('the command line on Linux', () => {
  it('runs a heavy command in a child started with the allocator tunables, with its exit code', async () => {
    const dir = tmp();
    const run = startWithReport(dir, ['reconcile', '--db', join(dir, 'p.sqlite')]);
    expect(await run.ended).toEqual({ code: 0, signal: null });
    expect(run.out()).toContain('0 matched');
    const [launcher, command] = run.reports();
    expect(launcher!.tunables).toBe('');
    expect(command!.tunables).toBe(`${HUGE_PAGES_TUNABLE}:${KEEP_FREED_TUNABLES}`);
    expect(command!.pid).not.toBe(launcher!.pid);
    expect(run.reports()).toHaveLength(2);

    const failing = startWithReport(dir, ['import', join(dir, 'missing.csv'), '--db', join(dir, 'p.sqlite')]);
    expect((await failing.ended).code).toBe(3);
    expect(failing.reports()).toHaveLength(2);
  });

  it('runs any other command in its own process', async () => {
    const dir = tmp();
    const run = startWithReport(dir, ['imports', '--db', join(dir, 'p.sqlite')]);
    expect(await run.ended).toEqual({ code: 0, signal: null });
    expect(run.out()).toContain('No imports yet.');
    expect(run.reports()).toEqual([{ pid: run.child.pid, tunables: '' }]);
  });

  it('passes a SIGTERM on to the command (serve stops cleanly), and both processes end', async () => {
    const dir = tmp();
    const run = startWithReport(dir, ['serve', '--db', join(dir, 'p.sqlite'), '--port', '0']);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (run.out().startsWith('http://127.0.0.1:')) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
      run.ended.then(() => reject(new Error(`serve ended early: ${run.err()}`)));
    });
    const [, command] = run.reports();
    // A server gives back what it frees: huge pages only.
    expect(command!.tunables).toBe(HUGE_PAGES_TUNABLE);
    run.child.kill('SIGTERM');
    expect(await run.ended).toEqual({ code: 0, signal: null });
    expect(running(command!.pid)).toBe(false);
  });

  it('ends the command when the launching process is killed outright', async () => {
    const dir = tmp();
    const run = startWithReport(dir, ['serve', '--db', join(dir, 'p.sqlite'), '--port', '0']);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (run.out().startsWith('http://')) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    const [, command] = run.reports();
    run.child.kill('SIGKILL');
    await run.ended;
    const started = Date.now();
    while (running(command!.pid) && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(running(command!.pid)).toBe(false);
  });
});
