// npm run bench: import speed and peak memory of the command line on generated large files.
// Figures are printed, not asserted: targets are judged by reading them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './bench/generate.mjs';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const xlsxRows = Number(process.env.BENCH_XLSX_ROWS ?? 100_000);

console.log(
  `generating inputs in bench-data/ (${rows.toLocaleString()} CSV rows, ${xlsxRows.toLocaleString()} .xlsx rows; cached)…`,
);
const files = await generate('bench-data', { rows, xlsxRows });

// The review table is timed through `posrecon serve`, which serves the built screens: a checkout that
// has only been installed builds them first, before anything is timed.
if (!existsSync('out/renderer/index.html')) {
  console.log('building the screens for posrecon serve (electron-vite build)…');
  const built = spawnSync('npx', ['electron-vite', 'build'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (built.status !== 0) throw new Error('electron-vite build failed');
}

function runCli(args) {
  const started = process.hrtime.bigint();
  const res = spawnSync(
    process.execPath,
    ['--require', './scripts/bench/max-rss.cjs', 'bin/posrecon.cjs', ...args],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Worker threads load the preload too and print as they end: the process's peak is the last
  // and largest figure.
  const rss =
    Math.max(0, ...[...res.stderr.matchAll(/POSRECON_MAXRSS_KB=(\d+)/g)].map((m) => Number(m[1]))) / 1024;
  if (res.status !== 0) throw new Error(`posrecon ${args.join(' ')} failed (${res.status}):\n${res.stderr}`);
  return { seconds, rssMiB: rss, stdout: res.stdout };
}

const results = [];
for (const [label, path, target] of [
  ['terminal CSV (UTF-8)', files.terminal, '≥ 250,000 rows/s'],
  ['settlement CSV (GBK)', files.settlement, '≥ 250,000 rows/s'],
  ['terminal .xlsx', files.xlsx, '< 6 s'],
]) {
  const dir = mkdtempSync(join(tmpdir(), 'posrecon-bench-'));
  try {
    const { seconds, rssMiB, stdout } = runCli(['import', path, '--db', join(dir, 'bench.sqlite'), '--json']);
    const [report] = JSON.parse(stdout);
    if (!report.ok) throw new Error(`${label}: ${report.error.en}`);
    results.push({
      file: label,
      MiB: +(statSync(path).size / 2 ** 20).toFixed(1),
      rows: report.stored,
      seconds: +seconds.toFixed(2),
      'rows/s': Math.round(report.stored / seconds),
      'peak MiB': Math.round(rssMiB),
      target,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.table(results);

// Reconcile: both CSVs imported into one database, then matched, with every injected anomaly
// expected among the mismatches.
const dir = mkdtempSync(join(tmpdir(), 'posrecon-bench-'));
try {
  const db = join(dir, 'bench.sqlite');
  const load = runCli(['import', files.terminal, files.settlement, '--db', db, '--json']);
  const rec = runCli(['reconcile', '--db', db, '--json']);
  const { stdout } = runCli(['mismatches', '--db', db, '--json']);
  const mismatches = JSON.parse(stdout);
  const found = new Set();
  for (const m of mismatches) for (const r of m.records) found.add(`${m.kind}|${r.rrn}`);
  const answers = JSON.parse(readFileSync(files.answers, 'utf8'));
  const byKind = {};
  for (const a of answers) {
    byKind[a.kind] ??= { injected: 0, found: 0, reported: 0 };
    byKind[a.kind].injected++;
    if (found.has(`${a.kind}|${a.rrn}`)) byKind[a.kind].found++;
  }
  for (const m of mismatches) {
    byKind[m.kind] ??= { injected: 0, found: 0, reported: 0 };
    byKind[m.kind].reported++;
  }
  console.log(
    `\nimport both CSVs: ${load.seconds.toFixed(2)} s (peak ${Math.round(load.rssMiB)} MiB); ` +
      `reconcile: ${rec.seconds.toFixed(2)} s (peak ${Math.round(rec.rssMiB)} MiB); ` +
      `total ${(load.seconds + rec.seconds).toFixed(2)} s (target < 12 s, < 1 GiB)`,
  );
  console.table(byKind);
  const missed = Object.entries(byKind).filter(([, v]) => v.found < v.injected);
  console.log(
    missed.length === 0
      ? 'every injected anomaly was found'
      : `MISSED: ${missed.map(([k, v]) => `${k} ${v.injected - v.found}`).join(', ')}`,
  );
  await reviewFirstPage(db);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The review table's first page on the 2M-record database, as the UI asks for it through
 *  `posrecon serve` (target: under 200 ms). */
async function reviewFirstPage(db) {
  const server = spawn(process.execPath, ['bin/posrecon.cjs', 'serve', '--db', db, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (c) => {
        out += c;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      server.on('exit', reject);
    });
    const { origin, searchParams } = new URL(url);
    const page = async (query) => {
      const started = performance.now();
      const res = await fetch(`${origin}/api/review.page`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-PosRecon-Token': searchParams.get('token') },
        body: JSON.stringify({ offset: 0, limit: 100, ...query }),
      });
      const body = await res.json();
      if (!body.ok) throw new Error(body.error.en);
      return { ms: performance.now() - started, total: body.value.total };
    };
    const rows = [];
    for (const [name, query] of [
      ['all groups, by time', {}],
      ['mismatches only', { problemsOnly: true }],
      ['one card, last 4', { cardLast4: '1234' }],
    ]) {
      const times = [];
      let total = 0;
      for (let i = 0; i < 3; i++) {
        const r = await page(query);
        times.push(r.ms);
        total = r.total;
      }
      rows.push({
        'review table': name,
        groups: total,
        'first call ms': Math.round(times[0]),
        'best ms': Math.round(Math.min(...times)),
      });
    }
    console.log('\nreview table, first page of 100 (target < 200 ms):');
    console.table(rows);
  } finally {
    server.kill('SIGTERM');
  }
}
