// Generates the benchmark's input files: a terminal export and an acquirer settlement file of the
// same sales (UTF-8 CSV and GBK CSV, as the portals give them) and an .xlsx terminal export.
// Deterministic (seeded), so runs compare.
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
  '授权码',
  '交易状态',
  '备注',
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

/** The i-th sale of the synthetic store chain: 50 terminals, sales spread over 30 days. */
function* sales(count, seed) {
  const rand = rng(seed);
  const start = Date.UTC(2026, 9, 1);
  const span = 30 * 86400;
  for (let i = 0; i < count; i++) {
    const t = new Date(start + Math.floor((i / count) * span) * 1000);
    const debit = rand() < 0.6;
    const amount = 100 + Math.floor(rand() * 500000);
    const fee = debit ? Math.min(Math.round(amount * 0.005), 2000) : Math.round(amount * 0.006);
    const term = 10000000 + (i % 50);
    yield {
      time: `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`,
      date: `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`,
      merchant: '898310058120001',
      terminal: String(term),
      card: `62${pad(Math.floor(rand() * 10000), 4)}******${pad(Math.floor(rand() * 10000), 4)}`,
      cardType: debit ? '借记卡' : '贷记卡',
      amount,
      fee,
      trace: pad(i % 1000000, 6),
      batch: pad(Math.floor(i / 20000) + 1, 6),
      rrn: pad(100000000000 + i, 12),
      auth: pad(Math.floor(rand() * 1000000), 6),
    };
  }
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

function terminalCells(s) {
  return [
    s.time,
    s.merchant,
    '示例便利店',
    s.terminal,
    s.card,
    s.cardType,
    '工商银行',
    '消费',
    yuan(s.amount),
    yuan(s.fee),
    yuan(s.amount - s.fee),
    s.trace,
    s.batch,
    s.rrn,
    s.auth,
    '成功',
    '',
  ];
}

export async function generate(dir, { rows = 1_000_000, xlsxRows = 100_000 } = {}) {
  mkdirSync(dir, { recursive: true });
  const files = {
    terminal: join(dir, `terminal-${rows}.csv`),
    settlement: join(dir, `settlement-${rows}-gbk.csv`),
    xlsx: join(dir, `terminal-${xlsxRows}.xlsx`),
  };
  if (!existsSync(files.terminal)) {
    const gen = sales(rows, 1);
    await writeLines(
      files.terminal,
      TERMINAL_HEADER,
      (function* () {
        for (const s of gen) yield terminalCells(s);
      })(),
      (s) => Buffer.from(s, 'utf8'),
    );
  }
  if (!existsSync(files.settlement)) {
    const gen = sales(rows, 1);
    await writeLines(
      files.settlement,
      SETTLEMENT_HEADER,
      (function* () {
        for (const s of gen) {
          yield [
            s.date,
            s.time,
            s.merchant,
            s.terminal,
            s.rrn,
            s.trace,
            s.batch,
            s.card,
            s.cardType,
            '消费',
            yuan(s.amount),
            yuan(s.fee),
            yuan(s.amount - s.fee),
          ];
        }
      })(),
      (s) => iconv.encode(s, 'gbk'),
    );
  }
  if (!existsSync(files.xlsx)) {
    const aoa = [TERMINAL_HEADER];
    for (const s of sales(xlsxRows, 2)) {
      // As portals export them: amounts and identifiers as numbers, times as text.
      const c = terminalCells(s);
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
        c[14],
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
