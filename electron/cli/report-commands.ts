import { writeFileSync } from 'node:fs';
import { yuan } from '../../shared/money';
import { writeXlsxBytes } from '../engine/export/table';
import { agreement, bankReconciliation, bankRecTables } from '../engine/reports/bank-rec';
import { closeDay, closeReport, closeReportTables, DayNotReadyError } from '../engine/reports/close-report';
import type { Period } from '../engine/reports/period';
import type { Db } from '../engine/store/database';
import type { Values } from './args';
import { userName } from './case-commands';
import { EXIT, type Lang } from './output';
import { dateArg, UsageError } from './usage';

function periodArg(values: Values, command: string): Period {
  if (!values.from) throw new UsageError(`${command}: give --from DATE (and --to DATE for a range)`);
  const from = dateArg('from', values.from);
  const to = values.to === undefined ? from : dateArg('to', values.to);
  if (to < from) throw new UsageError(`${command}: --to is before --from`);
  return { from, to };
}

function outArg(values: Values, command: string): string {
  if (!values.out?.toLowerCase().endsWith('.xlsx')) throw new UsageError(`${command}: give --out FILE.xlsx`);
  return values.out;
}

export function runCloseReport(db: Db, values: Values, lang: Lang): number {
  const period = periodArg(values, 'close-report');
  const out = outArg(values, 'close-report');
  const report = closeReport(db, period);
  writeFileSync(out, writeXlsxBytes(closeReportTables(report, lang, userName(values))));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT.ok;
  }
  const money = report.outstanding.reduce((s, m) => s + Math.abs(m.differenceFen ?? 0), 0);
  process.stdout.write(
    lang === 'zh'
      ? `日结报表已生成：${out}\n  ${report.lines.length} 行（商户/终端/卡种），未结差异 ${report.outstanding.length} 项 ${yuan(money)}，未日结 ${report.openDays.length} 天\n`
      : `Close report written: ${out}\n  ${report.lines.length} lines (merchant/terminal/card type), ${report.outstanding.length} open mismatches ${yuan(money)}, ${report.openDays.length} days not closed\n`,
  );
  return EXIT.ok;
}

export function runCloseDay(db: Db, positionals: string[], values: Values, lang: Lang): number {
  const [dayText] = positionals;
  if (!dayText) throw new UsageError('close-day: give the day, e.g. close-day 2026-11-05');
  const day = dateArg('day', dayText);
  try {
    const c = closeDay(db, day, userName(values));
    process.stdout.write(
      lang === 'zh'
        ? `${day} 已日结（${c.closedBy}，${c.closedAt}）。\n`
        : `${day} closed by ${c.closedBy} at ${c.closedAt}.\n`,
    );
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof DayNotReadyError)) throw err;
    process.stderr.write(
      lang === 'zh'
        ? `${day} 还不能日结：以下 ${err.undecided.length} 项差异尚待处理（标记为已申诉、已解决或已忽略后再日结）：\n`
        : `${day} cannot be closed yet: ${err.undecided.length} mismatches await a decision (dispute, resolve or dismiss them first):\n`,
    );
    for (const id of err.undecided) process.stderr.write(`  ${id}\n`);
    return EXIT.fileFailed;
  }
}

export function runBankRec(db: Db, values: Values, lang: Lang): number {
  const period = periodArg(values, 'bank-rec');
  const out = outArg(values, 'bank-rec');
  const rec = bankReconciliation(db, period);
  writeFileSync(out, writeXlsxBytes(bankRecTables(rec, lang, userName(values))));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rec, null, 2)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(
    lang === 'zh'
      ? `余额调节表已生成：${out}\n  账面 ${yuan(rec.bookFen)}，银行入账 ${yuan(rec.bankFen)}，调节后 ${yuan(rec.adjustedBookFen)}（${agreement(rec, 'zh')}）\n`
      : `Bank reconciliation written: ${out}\n  books ${yuan(rec.bookFen)}, bank ${yuan(rec.bankFen)}, adjusted ${yuan(rec.adjustedBookFen)} (${agreement(rec, 'en')})\n`,
  );
  return EXIT.ok;
}
