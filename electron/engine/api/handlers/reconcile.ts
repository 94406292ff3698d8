import { ensureReconciled } from '../../reconcile/cases';
import { reviewPage, toApiRecord } from '../../reconcile/review';
import { answerSearch } from '../../reconcile/search';
import { overview } from '../overview';
import type { EngineContext, Handlers } from './context';

// Reconciliation as the screens read it (brought up to date first): overview, the review table,
// the counter search.

export function reconcileHandlers(
  ctx: EngineContext,
): Pick<Handlers, 'overview.get' | 'review.page' | 'search.run'> {
  const { db } = ctx;
  return {
    'overview.get': (req) => {
      ensureReconciled(db);
      return overview(db, req.from, req.to);
    },
    'review.page': (req) => {
      ensureReconciled(db);
      return reviewPage(db, req);
    },
    'search.run': (req) => {
      ensureReconciled(db);
      const answers = answerSearch(db, {
        ...(req.cardLast4 ? { cardLast4: req.cardLast4 } : {}),
        ...(req.amountFen !== undefined ? { minFen: req.amountFen, maxFen: req.amountFen } : {}),
        ...(req.from ? { from: req.from } : {}),
        ...(req.to ? { to: req.to } : {}),
        ...(req.rrn ? { rrn: req.rrn } : {}),
        ...(req.terminalNo ? { terminalNo: req.terminalNo } : {}),
      });
      return answers.map((a) => ({
        record: toApiRecord(a.record),
        matchedWith: a.matchedWith && toApiRecord(a.matchedWith),
        mismatches: a.mismatches.map((m) => ({ id: m.id, kind: m.kind, explanation: m.explanation })),
      }));
    },
  };
}
