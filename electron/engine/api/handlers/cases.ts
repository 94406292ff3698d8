import type { MismatchDetail } from '../../../../shared/api';
import { MISMATCH_RULES } from '../../../../shared/mismatches';
import { historyText } from '../../export/history-text';
import { addDays } from '../../reconcile/calendar';
import {
  counterpartOf,
  ensureReconciled,
  linkablePair,
  listMismatches,
  runReconcile,
  type StoredMismatch,
  setManualLink,
} from '../../reconcile/cases';
import { toApiRecord } from '../../reconcile/review';
import { searchRecords } from '../../reconcile/search';
import {
  addAttachment,
  addNote,
  attachmentsOf,
  historyOf,
  setMismatchStatus,
} from '../../reconcile/workflow';
import { originalsOf } from '../../store/originals';
import { ApiRefusal, notFound } from '../errors';
import { type EngineContext, fileOf, type Handlers } from './context';

// A mismatch and the work on it: details, status workflow, notes, attachments, manual links.

/** One stored mismatch, current with every import; not_found when there is none. */
function findMismatch(ctx: EngineContext, id: string): StoredMismatch {
  ensureReconciled(ctx.db);
  const [m] = listMismatches(ctx.db, { ids: [id] });
  if (!m) throw notFound({ zh: `没有编号为 ${id} 的差异。`, en: `There is no mismatch ${id}.` });
  return m;
}

function detail(ctx: EngineContext, id: string): MismatchDetail {
  const m = findMismatch(ctx, id);
  const originals: MismatchDetail['originals'] = {};
  for (const o of originalsOf(ctx.db, m.records)) {
    const { id, file, sheet, row } = o.record;
    originals[id] = { cells: o.cells, file, sheet, row, sha256: o.sha256 };
  }
  return {
    mismatch: { ...m, records: m.records.map(toApiRecord) },
    originals,
    history: historyOf(ctx.db, id).map((h) => ({
      at: h.at,
      user: h.user,
      action: h.action,
      status: h.status,
      text: { zh: historyText(h, 'zh'), en: historyText(h, 'en') },
    })),
    attachments: attachmentsOf(ctx.db, [id]).map(({ id: aid, fileName, sha256, size, addedAt, addedBy }) => ({
      id: aid,
      fileName,
      sha256,
      size,
      addedAt,
      addedBy,
    })),
    rule: MISMATCH_RULES[m.kind],
  };
}

export function caseHandlers(
  ctx: EngineContext,
): Pick<
  Handlers,
  'mismatches.get' | 'cases.setStatus' | 'cases.addNote' | 'cases.attach' | 'cases.candidates' | 'cases.link'
> {
  const { db } = ctx;
  return {
    'mismatches.get': (req) => detail(ctx, req.id),
    'cases.setStatus': ({ id, ...change }) => {
      setMismatchStatus(db, id, { ...change, user: ctx.user });
      return detail(ctx, id);
    },
    'cases.addNote': (req) => {
      addNote(db, req.id, req.note, ctx.user);
      return detail(ctx, req.id);
    },
    'cases.attach': (req) => {
      const file = fileOf(ctx, req.fileId);
      addAttachment(db, ctx.fileStore, req.id, file.path, ctx.user, file.name);
      return detail(ctx, req.id);
    },
    'cases.candidates': (req) => {
      const mismatch = findMismatch(ctx, req.id);
      // Only a record missing its other side can be matched by hand.
      const lone = mismatch.records.filter(
        (r) => r.source !== 'statement' && counterpartOf(db, r.id) === undefined,
      );
      return lone.map((r) => {
        const day = (r.txnTime ?? r.clearDate ?? '').slice(0, 10);
        const other = r.source === 'terminal' ? 'settlement' : 'terminal';
        const candidates = searchRecords(db, {
          ...(r.terminalNo ? { terminalNo: r.terminalNo } : {}),
          ...(r.amountFen !== null ? { minFen: r.amountFen, maxFen: r.amountFen } : {}),
          ...(day ? { from: addDays(day, -1), to: addDays(day, 1) } : {}),
        }).filter((c) => c.source === other);
        return { for: r, candidates: candidates.slice(0, 20).map(toApiRecord) };
      });
    },
    'cases.link': (req) => {
      const pair = linkablePair(db, req.terminalId, req.settlementId);
      if (!pair) {
        throw new ApiRefusal(
          'refused',
          '需要一条终端记录和一条清算记录。',
          'Give one terminal record and one settlement record.',
        );
      }
      setManualLink(db, pair.terminal, pair.settlement, req.action);
      runReconcile(db);
      return { ok: true };
    },
  };
}
