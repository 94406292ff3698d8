import type { MismatchDetail } from '../../../../shared/api';
import { MISMATCH_RULES } from '../../../../shared/mismatches';
import { historyText } from '../../export/history-text';
import { addDays } from '../../reconcile/calendar';
import {
  counterpartOf,
  ensureReconciled,
  listMismatches,
  runReconcile,
  setManualLink,
} from '../../reconcile/cases';
import { loadRecords } from '../../reconcile/load';
import { toApiRecord } from '../../reconcile/review';
import { searchRecords } from '../../reconcile/search';
import {
  addAttachment,
  addNote,
  attachmentsOf,
  historyOf,
  setMismatchStatus,
} from '../../reconcile/workflow';
import { cellsOfRow } from '../../store/record-columns';
import { ApiRefusal, notFound } from '../errors';
import { type EngineContext, fileOf, type Handlers } from './context';

// A mismatch and the work on it: details, status workflow, notes, attachments, manual links.

function detail(ctx: EngineContext, id: string): MismatchDetail {
  ensureReconciled(ctx.db);
  const [m] = listMismatches(ctx.db, { ids: [id] });
  if (!m) throw notFound({ zh: `没有编号为 ${id} 的差异。`, en: `There is no mismatch ${id}.` });
  const originals: MismatchDetail['originals'] = {};
  const stmt = ctx.db.prepare(
    'SELECT r.raw, i.file_sha256 AS sha256 FROM records r JOIN imports i ON i.id = r.import_id WHERE r.id = ?',
  );
  for (const r of m.records) {
    const row = stmt.get(r.id) as { raw: Uint8Array; sha256: string };
    originals[r.id] = {
      cells: cellsOfRow(row),
      file: r.file,
      sheet: r.sheet,
      row: r.row,
      sha256: row.sha256,
    };
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
      const { mismatch } = detail(ctx, req.id);
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
      const records = loadRecords(db, {
        sql: 'r.id IN (:t, :s)',
        params: { t: req.terminalId, s: req.settlementId },
      });
      const terminal = records.find((r) => r.id === req.terminalId && r.source === 'terminal');
      const settlement = records.find((r) => r.id === req.settlementId && r.source === 'settlement');
      if (!terminal || !settlement) {
        throw new ApiRefusal(
          'refused',
          '需要一条终端记录和一条清算记录。',
          'Give one terminal record and one settlement record.',
        );
      }
      setManualLink(db, terminal, settlement, req.action);
      runReconcile(db);
      return { ok: true };
    },
  };
}
