// Generates the benchmark's input files: a terminal export and the acquirer's settlement file of
// the same sales (UTF-8 CSV and GBK CSV, as the portals give them), with about 0.1% anomalies of
// each per-transaction mismatch kind injected and listed in an answer file, and an .xlsx terminal
// export. Deterministic (seeded), so runs compare.
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';

const TERMINAL_HEADER = [
  '交易时间',
  '商户号',
  '商户名称',
  '终端号',
  '卡号',
  '卡类型',
  '发卡行',
  '交易类型',
  '交易金额',
  '手续费',
  '结算金额',
  '凭证号',
  '批次号',
  '参考号',
  '原参考号',
  '授权码',
  '交易状态',
];
const SETTLEMENT_HEADER = [
  '清算日期',
  '交易时间',
  '商户号',
  '终端号',
  '参考号',
  '凭证号',
  '批次号',
  '卡号',
  '卡类型',
  '交易类型',
  '交易金额',
  '手续费',
  '结算金额',
];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
const yuan = (fen) => `${Math.trunc(fen / 100)}.${pad(fen % 100)}`;
// The contracted fee, rounded half up in integers as the engine computes it.
const fee = (amount, bp, cap) =>
  Math.min(Math.floor((amount * bp + 5000) / 10000), cap ?? Number.MAX_SAFE_INTEGER);
const stamp = (ms) => {
  const t = new Date(ms);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
};

/** The i-th sale of the synthetic store chain: 50 terminals, sales spread over 30 days. */
function* sales(count, seed) {
  const rand = rng(seed);
  const start = Date.UTC(2026, 9, 1);
  const span = 30 * 86400;
  for (let i = 0; i < count; i++) {
    const ms = start + Math.floor((i / count) * span) * 1000;
    const debit = rand() < 0.6;
    // Debit sales stay under 4,000 元 so the 20 元 cap never hides a wrong rate.
    const amount = 100 + Math.floor(rand() * (debit ? 390000 : 500000));
    yield {
      i,
      ms,
      merchant: '898310058120001',
      terminal: String(10000000 + (i % 50)),
      card: `62${pad(Math.floor(rand() * 10000), 4)}******${pad(Math.floor(rand() * 10000), 4)}`,
      debit,
      amount,
      fee: debit ? fee(amount, 50, 2000) : fee(amount, 60),
      trace: pad(i % 1000000, 6),
      batch: pad(Math.floor(i / 20000) + 1, 6),
      rrn: pad(100000000000 + i * 2, 12),
      auth: pad(Math.floor(rand() * 1000000), 6),
    };
  }
}

const ANOMALIES = [
  'duplicate_charge',
  'charged_not_recorded',
  'not_settled',
  'amount_mismatch',
  'fee_mismatch',
  'void_not_reflected',
];

/** Terminal lines, settlement lines and the injected anomaly (if any) of one sale. */
function linesOf(s) {
  const time = stamp(s.ms);
  const hour = Number(time.slice(11, 13));
  const clearing = hour >= 23 ? stamp(s.ms + 86400_000).slice(0, 10) : time.slice(0, 10);
  const type = s.debit ? '借记卡' : '贷记卡';
  const slot = s.i % 1000;
  let anomaly = slot < ANOMALIES.length ? ANOMALIES[slot] : null;
  // Keep injected anomalies unambiguous: no not-settled sale whose clearing day the files don't cover.
  if (anomaly === 'not_settled' && hour >= 23) anomaly = null;
  // A wrong rate must change the fee to be visible: not on credit cards, nor on tiny amounts.
  if (anomaly === 'fee_mismatch' && (!s.debit || fee(s.amount, 60) === s.fee)) anomaly = null;
  const term = (t, kind, amount, trace, rrn, orig, status) => [
    t,
    s.merchant,
    '示例便利店',
    s.terminal,
    s.card,
    type,
    '工商银行',
    kind,
    yuan(amount),
    yuan(s.fee),
    yuan(amount - s.fee),
    trace,
    s.batch,
    rrn,
    orig,
    s.auth,
    status,
  ];
  const settle = (t, amount, feeFen, trace, rrn) => [
    clearing,
    t,
    s.merchant,
    s.terminal,
    rrn,
    trace,
    s.batch,
    s.card,
    type,
    '消费',
    yuan(amount),
    yuan(feeFen),
    yuan(amount - feeFen),
  ];
  const terminal = [
    term(time, '消费', s.amount, s.trace, s.rrn, '', anomaly === 'charged_not_recorded' ? '失败' : '成功'),
  ];
  const settlement = [];
  const rrn2 = pad(Number(s.rrn) + 1, 12);
  if (anomaly !== 'not_settled') {
    const amount = anomaly === 'amount_mismatch' ? s.amount + 100 : s.amount;
    const feeFen =
      anomaly === 'fee_mismatch' ? fee(amount, 60) : s.debit ? fee(amount, 50, 2000) : fee(amount, 60);
    settlement.push(settle(time, amount, feeFen, s.trace, s.rrn));
  }
  if (anomaly === 'duplicate_charge') {
    const again = stamp(s.ms + 60_000);
    terminal.push(term(again, '消费', s.amount, s.trace, rrn2, '', '成功'));
    settlement.push(settle(again, s.amount, s.fee, s.trace, rrn2));
  }
  if (anomaly === 'void_not_reflected')
    terminal.push(term(stamp(s.ms + 300_000), '消费撤销', s.amount, s.trace, rrn2, s.rrn, '成功'));
  return { terminal, settlement, anomaly: anomaly ? { kind: anomaly, rrn: s.rrn } : null };
}

async function writeLines(path, header, rows, encode) {
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  let buf = `${header.join(',')}\r\n`;
  for (const cells of rows) {
    buf += `${cells.join(',')}\r\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(encode(buf))) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(encode(buf));
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
  renameSync(tmp, path);
}

export async function generate(dir, { rows = 1_000_000, xlsxRows = 100_000 } = {}) {
  mkdirSync(dir, { recursive: true });
  const files = {
    terminal: join(dir, `terminal-${rows}.csv`),
    settlement: join(dir, `settlement-${rows}-gbk.csv`),
    answers: join(dir, `anomalies-${rows}.json`),
    xlsx: join(dir, `terminal-${xlsxRows}.xlsx`),
  };
  if (!existsSync(files.answers)) {
    const anomalies = [];
    const each = function* (side) {
      for (const s of sales(rows, 1)) {
        const lines = linesOf(s);
        if (side === 'terminal' && lines.anomaly) anomalies.push(lines.anomaly);
        yield* lines[side];
      }
    };
    await writeLines(files.terminal, TERMINAL_HEADER, each('terminal'), (s) => Buffer.from(s, 'utf8'));
    await writeLines(files.settlement, SETTLEMENT_HEADER, each('settlement'), (s) => iconv.encode(s, 'gbk'));
    writeFileSync(files.answers, JSON.stringify(anomalies));
  }
  if (!existsSync(files.xlsx)) {
    const aoa = [TERMINAL_HEADER];
    for (const s of sales(xlsxRows, 2)) {
      // As portals export them: amounts and identifiers as numbers, times as text.
      const c = linesOf({ ...s, i: 999 }).terminal[0];
      aoa.push([
        c[0],
        Number(s.merchant),
        c[2],
        Number(s.terminal),
        c[4],
        c[5],
        c[6],
        c[7],
        s.amount / 100,
        s.fee / 100,
        (s.amount - s.fee) / 100,
        Number(s.trace),
        Number(s.batch),
        Number(s.rrn),
        '',
        c[15],
        c[16],
      ]);
    }
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '交易明细');
    writeFileSync(
      `${files.xlsx}.tmp`,
      XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }),
    );
    renameSync(`${files.xlsx}.tmp`, files.xlsx);
  }
  return files;
}
