import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CaseStatus, UserStatus } from '../../../shared/statuses';
import type { Db } from '../store/database';
import { keepOriginal, sha256 } from '../store/file-store';
import { localNow, localToday } from '../time';

// A user's work on a mismatch: the status workflow with what each step needs, notes,
// attachments, and a history of every change with its time and user. Cases group mismatches that
// go to the acquirer as one dispute.

export interface StatusChange {
  status: UserStatus;
  user: string;
  note?: string;
  /** disputed: the acquirer's or bank's ticket (工单号) and the day it was filed. */
  ticketNo?: string;
  ticketDate?: string;
  /** resolved: the money recovered or refunded, in fen (0 when nothing was owed after all). */
  recoveredFen?: number;
  /** dismissed: why it needs no action. */
  reason?: string;
}

export class WorkflowError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

export interface HistoryEntry {
  at: string;
  user: string;
  action: 'status' | 'note' | 'attachment' | 'case';
  status: CaseStatus | null;
  detail: {
    note?: string;
    ticketNo?: string;
    ticketDate?: string;
    recoveredFen?: number;
    reason?: string;
    fileName?: string;
    sha256?: string;
    caseId?: number;
    closedBy?: 'data';
  };
}

export interface Attachment {
  id: number;
  mismatchId: string;
  fileName: string;
  sha256: string;
  size: number;
  storedName: string;
  addedAt: string;
  addedBy: string;
}

/** Attachments larger than this are refused: a photo or a PDF statement is far smaller. */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

function requireMismatch(db: Db, id: string): void {
  if (!db.prepare('SELECT 1 FROM mismatches WHERE id = ?').get(id)) {
    throw new WorkflowError(`没有编号为 ${id} 的差异。`, `There is no mismatch ${id}.`);
  }
}

const INSERT_EVENT =
  'INSERT INTO mismatch_events (mismatch_id, at, user, action, status, detail_json) VALUES (?, ?, ?, ?, ?, ?)';

function addEvent(
  db: Db,
  id: string,
  user: string,
  action: HistoryEntry['action'],
  status: CaseStatus | null,
  detail: HistoryEntry['detail'],
  at = localNow(),
): void {
  db.prepare(INSERT_EVENT).run(id, at, user, action, status, JSON.stringify(detail));
}

/** The record of the reconcile run closing mismatches that new data explains. */
export function recordClosedByData(db: Db, ids: readonly string[], at: string): void {
  const insert = db.prepare(INSERT_EVENT);
  const detail = JSON.stringify({ closedBy: 'data' } satisfies HistoryEntry['detail']);
  for (const id of ids) insert.run(id, at, 'PosRecon', 'status', 'closed', detail);
}

function checkChange(change: StatusChange): void {
  const { status } = change;
  if (status === 'disputed' && !change.ticketNo?.trim()) {
    throw new WorkflowError(
      '标记为“已申诉”需要收单机构或银行的工单号。',
      'Marking a mismatch disputed needs the acquirer’s or bank’s ticket number.',
    );
  }
  if (change.ticketDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(change.ticketDate)) {
    throw new WorkflowError(
      `申诉日期应为 YYYY-MM-DD：${change.ticketDate}`,
      `The ticket date must be YYYY-MM-DD: ${change.ticketDate}`,
    );
  }
  if (
    status === 'resolved' &&
    (change.recoveredFen === undefined || !Number.isInteger(change.recoveredFen) || change.recoveredFen < 0)
  ) {
    throw new WorkflowError(
      '标记为“已解决”需要追回或退还的金额（没有则填 0）。',
      'Marking a mismatch resolved needs the amount recovered or refunded (0 if none).',
    );
  }
  if (status === 'dismissed' && !change.reason?.trim()) {
    throw new WorkflowError('标记为“已忽略”需要说明原因。', 'Dismissing a mismatch needs a reason.');
  }
}

/** Moves a mismatch to a new status, keeping what the step needs, and records who did it. */
export function setMismatchStatus(db: Db, id: string, given: StatusChange): void {
  checkChange(given);
  // A dispute filed without a date was filed today; the history says so too.
  const change =
    given.status === 'disputed' && !given.ticketDate ? { ...given, ticketDate: localToday() } : given;
  db.transaction(() => {
    requireMismatch(db, id);
    db.prepare(
      `UPDATE mismatches SET status = @status, note = COALESCE(@note, note),
         ticket_no = CASE WHEN @status = 'disputed' THEN @ticketNo ELSE ticket_no END,
         ticket_date = CASE WHEN @status = 'disputed' THEN @ticketDate ELSE ticket_date END,
         recovered_fen = CASE WHEN @status = 'resolved' THEN @recovered ELSE recovered_fen END,
         dismiss_reason = CASE WHEN @status = 'dismissed' THEN @reason ELSE dismiss_reason END
       WHERE id = @id`,
    ).run({
      id,
      status: change.status,
      note: change.note ?? null,
      ticketNo: change.ticketNo?.trim() ?? null,
      ticketDate: change.ticketDate ?? null,
      recovered: change.recoveredFen ?? null,
      reason: change.reason?.trim() ?? null,
    });
    const { status, user, ...detail } = change;
    addEvent(db, id, user, 'status', status, detail);
  })();
}

/** Adds a note to a mismatch's history; the latest note also shows in lists and exports. */
export function addNote(db: Db, id: string, note: string, user: string): void {
  const text = note.trim();
  if (!text) throw new WorkflowError('备注不能为空。', 'A note cannot be empty.');
  db.transaction(() => {
    requireMismatch(db, id);
    db.prepare('UPDATE mismatches SET note = ? WHERE id = ?').run(text, id);
    addEvent(db, id, user, 'note', null, { note: text });
  })();
}

/** Keeps a copy of the file (by its hash, beside the database) and attaches it to the mismatch. */
export function addAttachment(
  db: Db,
  fileStore: string,
  id: string,
  path: string,
  user: string,
  fileName = basename(path),
): Attachment {
  requireMismatch(db, id);
  const size = statSync(path).size;
  if (size > MAX_ATTACHMENT_BYTES) {
    throw new WorkflowError(
      `附件 ${fileName} 超过 50 MB，请压缩后再添加。`,
      `Attachment ${fileName} is over 50 MB; compress it first.`,
    );
  }
  const bytes = readFileSync(path);
  const hash = sha256(bytes);
  const storedName = join('attachments', keepOriginal(join(fileStore, 'attachments'), hash, bytes));
  const addedAt = localNow();
  const attachmentId = db.transaction(() => {
    const row = db
      .prepare(
        `INSERT INTO attachments (mismatch_id, file_name, sha256, size, stored_name, added_at, added_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, fileName, hash, bytes.byteLength, storedName, addedAt, user);
    addEvent(db, id, user, 'attachment', null, { fileName, sha256: hash }, addedAt);
    return Number(row.lastInsertRowid);
  })();
  return {
    id: attachmentId,
    mismatchId: id,
    fileName,
    sha256: hash,
    size: bytes.byteLength,
    storedName,
    addedAt,
    addedBy: user,
  };
}

export function attachmentsOf(db: Db, ids: readonly string[]): Attachment[] {
  return db
    .prepare(
      `SELECT id, mismatch_id AS mismatchId, file_name AS fileName, sha256, size, stored_name AS storedName,
         added_at AS addedAt, added_by AS addedBy
       FROM attachments WHERE mismatch_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    )
    .all(JSON.stringify(ids)) as Attachment[];
}

export function historyOf(db: Db, id: string): HistoryEntry[] {
  return (
    db
      .prepare(
        'SELECT at, user, action, status, detail_json FROM mismatch_events WHERE mismatch_id = ? ORDER BY id',
      )
      .all(id) as Array<{
      at: string;
      user: string;
      action: HistoryEntry['action'];
      status: CaseStatus | null;
      detail_json: string;
    }>
  ).map(({ detail_json, ...rest }) => ({ ...rest, detail: JSON.parse(detail_json) }));
}

export interface Case {
  id: number;
  title: string;
  createdAt: string;
  createdBy: string;
  mismatchIds: string[];
}

/** Groups mismatches into one case (one dispute letter, one bundle). */
export function createCase(db: Db, title: string, mismatchIds: readonly string[], user: string): Case {
  if (mismatchIds.length === 0) {
    throw new WorkflowError('案件至少需要一项差异。', 'A case needs at least one mismatch.');
  }
  const createdAt = localNow();
  const id = db.transaction(() => {
    for (const m of mismatchIds) requireMismatch(db, m);
    const caseId = Number(
      db
        .prepare('INSERT INTO cases (title, created_at, created_by) VALUES (?, ?, ?)')
        .run(title.trim() || '案件', createdAt, user).lastInsertRowid,
    );
    const link = db.prepare('INSERT OR IGNORE INTO case_mismatches (case_id, mismatch_id) VALUES (?, ?)');
    for (const m of mismatchIds) {
      link.run(caseId, m);
      addEvent(db, m, user, 'case', null, { caseId }, createdAt);
    }
    return caseId;
  })();
  return { id, title, createdAt, createdBy: user, mismatchIds: [...new Set(mismatchIds)] };
}

export function listCases(db: Db): Case[] {
  const rows = db
    .prepare(
      `SELECT c.id, c.title, c.created_at AS createdAt, c.created_by AS createdBy,
         json_group_array(m.mismatch_id) AS ids
       FROM cases c JOIN case_mismatches m ON m.case_id = c.id GROUP BY c.id ORDER BY c.id`,
    )
    .all() as Array<Omit<Case, 'mismatchIds'> & { ids: string }>;
  return rows.map(({ ids, ...c }) => ({ ...c, mismatchIds: JSON.parse(ids) as string[] }));
}

export function caseById(db: Db, id: number): Case | undefined {
  return listCases(db).find((c) => c.id === id);
}
