// npm run bench: import speed and peak memory of the command line on generated large files.
// Figures are printed, not asserted: targets are judged by reading them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './bench/generate.mjs';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const xlsxRows = Number(process.env.BENCH_XLSX_ROWS ?? 100_000);

console.log(
  `generating inputs in bench-data/ (${rows.toLocaleString()} CSV rows, ${xlsxRows.toLocaleString()} .xlsx rows; cached)…`,
);
const files = await generate('bench-data', { rows, xlsxRows });

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
  const rss = Number(/POSRECON_MAXRSS_KB=(\d+)/.exec(res.stderr)?.[1] ?? 0) / 1024;
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
