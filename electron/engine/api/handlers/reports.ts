import { writeXlsxBytes } from '../../export/table';
import { bankReconciliation, bankRecTables } from '../../reports/bank-rec';
import { closeDay, closeReport, closeReportTables, DayNotReadyError } from '../../reports/close-report';
import { ApiRefusal } from '../errors';
import type { EngineContext, Handlers } from './context';

// The day's close (日结) and the reports a finance clerk hands on: 日结报表 and 余额调节表.

export function reportHandlers(
  ctx: EngineContext,
): Pick<Handlers, 'reports.closeDay' | 'reports.close' | 'reports.bankRec'> {
  const { db } = ctx;
  return {
    'reports.closeDay': (req) => {
      try {
        return closeDay(db, req.day, ctx.user);
      } catch (err) {
        if (!(err instanceof DayNotReadyError)) throw err;
        throw new ApiRefusal(
          'refused',
          `${req.day} 还不能日结：${err.undecided.length} 项差异尚待处理（${err.undecided.join('，')}）。`,
          `${req.day} cannot be closed yet: ${err.undecided.length} mismatches await a decision (${err.undecided.join(', ')}).`,
        );
      }
    },
    'reports.close': (req) => {
      const tables = closeReportTables(closeReport(db, req), req.lang, ctx.user);
      const range = req.from === req.to ? req.from : `${req.from}_${req.to}`;
      return ctx.deliver(
        `${req.lang === 'zh' ? '日结报表' : 'close-report'}_${range}.xlsx`,
        writeXlsxBytes(tables),
      );
    },
    'reports.bankRec': (req) => {
      const tables = bankRecTables(bankReconciliation(db, req), req.lang, ctx.user);
      return ctx.deliver(
        `${req.lang === 'zh' ? '余额调节表' : 'bank-reconciliation'}_${req.from}_${req.to}.xlsx`,
        writeXlsxBytes(tables),
      );
    },
  };
}
