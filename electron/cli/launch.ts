import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { parse } from './args';

// The command line's first step, before the engine is loaded (bin/posrecon.cjs). On Linux it runs
// the command in a child process whose C library allocator backs its memory with huge pages:
// glibc's malloc (2.35 on) marks what it maps as eligible for transparent huge pages when the
// GLIBC_TUNABLES variable asks for it, and the variable is only read as a process starts. An import
// of the benchmark's two 1M-row files touches about half a gigabyte of fresh memory (the files as
// read, SQLite's page cache, the typed arrays and buffers of the parsing threads), each 4 KiB page
// faulting into the kernel on first touch; on the development machine, a virtual machine where
// such a fault costs about 10 µs, the import took 10.8–11.1 s with 124,000 faults and 7.0–7.4 s
// with 29,000 (three alternating runs by hand). Where transparent huge pages are switched off or
// the C library is not glibc, the variable changes nothing.
//
// A command that ends when its work does also keeps the memory it frees for its next allocations:
// buffers up to 32 MiB come from malloc's heap rather than mappings of their own, and the heap is
// not given back. A reconcile allocates and drops dozens of typed arrays of a few megabytes (one
// per filter, index and sort), each mapped and faulted in afresh otherwise: over the benchmark's
// two million records it took 3.50 s against 3.75 s, with 54,000 faults against 72,000, peak
// memory 585 MiB against 519 (means of three alternating runs, by hand).

/** The glibc tunable that asks malloc for transparent huge pages. */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';
/** The glibc tunables that keep freed memory in the process: 32 MiB is the largest threshold
 *  glibc takes for allocating from the heap. */
export const KEEP_FREED_TUNABLES =
  'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483647';

/** The commands that read whole files or every record (only these are worth a second process
 *  start, about 0.15 s, by hand), each with whether it ends when its work does and so keeps what it
 *  frees (KEEP_FREED_TUNABLES): not a server. */
const HEAVY = new Map([
  ['import', true],
  ['reconcile', true],
  ['bundle', true],
  ['serve', false],
]);

/** Signals a terminal or a supervisor sends the command: passed on to the child running it. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The environment to run the command in, or null when this process already has it: on Linux, the
 * process's own with the huge-page tunable added to any tunables already set, and KEEP_FREED_TUNABLES
 * for a command that ends when its work does (`keepFreed`; not a server, which should give back
 * what a large piece of work took once it is done). A tunable the environment sets already is left
 * as it is set.
 */
export function allocatorEnv(
  env: NodeJS.ProcessEnv,
  keepFreed: boolean,
  platform: NodeJS.Platform = process.platform,
): NodeJS.ProcessEnv | null {
  if (platform !== 'linux') return null;
  const tunables = env.GLIBC_TUNABLES ?? '';
  const set = new Set(tunables.split(':').map((t) => t.split('=')[0]));
  const wanted = (keepFreed ? `${HUGE_PAGES_TUNABLE}:${KEEP_FREED_TUNABLES}` : HUGE_PAGES_TUNABLE).split(':');
  const added = wanted.filter((t) => !set.has(t.split('=')[0]));
  if (added.length === 0) return null;
  return { ...env, GLIBC_TUNABLES: [...(tunables ? [tunables] : []), ...added].join(':') };
}

/** Set in the child's environment: it runs on behalf of a launching process. */
const LAUNCHED = 'POSRECON_LAUNCHED_BY';

/** The HEAVY command `argv` (the command line's arguments) names, or null for any other. */
export function heavyCommand(argv: string[]): string | null {
  try {
    const { command } = parse(argv);
    return command !== undefined && HEAVY.has(command) ? command : null;
  } catch {
    // A usage error: the command says so itself.
    return null;
  }
}

/**
 * Runs a HEAVY command of the command line `script` again in a child process with allocatorEnv,
 * and ends this one as the child ends (its exit code, or the signal that ended it). False, and
 * nothing started, for any other command or when this process already runs with that environment:
 * the caller then runs the command itself.
 */
export function relaunched(script: string): boolean {
  const command = heavyCommand(process.argv.slice(2));
  const env = command === null ? null : allocatorEnv(process.env, HEAVY.get(command)!);
  if (env === null) return false;
  const child = spawn(process.execPath, [...process.execArgv, script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...env, [LAUNCHED]: String(process.pid) },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  child.on('error', (err) => {
    process.stderr.write(`posrecon: cannot start ${process.execPath}: ${err.message}\n`);
    process.exitCode = 70;
  });
  child.on('exit', (code, signal) => {
    for (const s of FORWARDED) process.off(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 70;
  });
  return true;
}

/** How often a relaunched child looks whether its launcher is still there. */
const WATCH_MS = 100;

/**
 * In a relaunched child: ends it at once when the process that launched it is gone, however that
 * ended (a supervisor's SIGKILL cannot be passed on), so that a killed import is not finished and
 * committed behind the caller's back; its work is then undone as an interrupted transaction is. A
 * thread of its own watches: a reconcile reads, matches and saves without returning to its event
 * loop for seconds, so nothing the main thread listens for would be heard in time.
 */
export function followLauncher(): void {
  const launcher = Number(process.env[LAUNCHED]);
  if (!launcher) return;
  delete process.env[LAUNCHED];
  const watch = `const { workerData: launcher } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== launcher) process.kill(process.pid, 'SIGKILL'); }, ${WATCH_MS});`;
  new Worker(watch, { eval: true, workerData: launcher }).unref();
}
