import { pick } from '../../../../shared/records';
import { writeXlsxBytes } from '../../export/table';
import { bankReconciliation, bankRecTables } from '../../reports/bank-rec';
import { closeDay, closeReport, closeReportTables } from '../../reports/close-report';
import type { EngineContext, Handlers } from './context';

// The day's close (日结) and the reports a finance clerk hands on: 日结报表 and 余额调节表.

export function reportHandlers(
  ctx: EngineContext,
): Pick<Handlers, 'reports.closeDay' | 'reports.close' | 'reports.bankRec'> {
  const { db } = ctx;
  return {
    // A day not ready is a workflow refusal, which dispatch answers with its texts.
    'reports.closeDay': (req) => closeDay(db, req.day, ctx.user),
    'reports.close': (req) => {
      const tables = closeReportTables(closeReport(db, req), req.lang, ctx.user);
      const range = req.from === req.to ? req.from : `${req.from}_${req.to}`;
      return ctx.deliver(
        `${pick(req.lang, '日结报表', 'close-report')}_${range}.xlsx`,
        writeXlsxBytes(tables),
      );
    },
    'reports.bankRec': (req) => {
      const tables = bankRecTables(bankReconciliation(db, req), req.lang, ctx.user);
      return ctx.deliver(
        `${pick(req.lang, '余额调节表', 'bank-reconciliation')}_${req.from}_${req.to}.xlsx`,
        writeXlsxBytes(tables),
      );
    },
  };
}
