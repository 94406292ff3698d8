import { MISMATCH_LABELS } from '../../shared/mismatches';
import { STATUS_LABELS, USER_STATUSES, type UserStatus } from '../../shared/statuses';
import { historyText } from '../engine/export/history-text';
import { listMismatches } from '../engine/reconcile/cases';
import {
  addAttachment,
  addNote,
  createCase,
  historyOf,
  listCases,
  setMismatchStatus,
  WorkflowError,
} from '../engine/reconcile/workflow';
import type { Db } from '../engine/store/database';
import { accountName, fileStoreDir } from '../engine/store/paths';
import type { Values } from './args';
import { EXIT, type Lang } from './output';
import { amountArg, dateArg, UsageError } from './usage';

/** Who is doing the work: --user, else the account signed in to the computer. */
export function userName(values: Values): string {
  return values.user?.trim() || accountName();
}

/** Runs a case command, turning a refused step into its bilingual message and exit code 2. */
function refusedAsUsage(lang: Lang, run: () => number): number {
  try {
    return run();
  } catch (err) {
    if (err instanceof WorkflowError) {
      process.stderr.write(`${err[lang]}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

export function runStatus(db: Db, positionals: string[], values: Values, lang: Lang): number {
  const [id, status] = positionals;
  if (!id || !status || !(USER_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(
      'status: give a mismatch id and one of open, investigating, disputed, resolved, dismissed',
    );
  }
  return refusedAsUsage(lang, () => {
    setMismatchStatus(db, id, {
      status: status as UserStatus,
      user: userName(values),
      note: values.note,
      ticketNo: values.ticket,
      ticketDate:
        values['ticket-date'] === undefined ? undefined : dateArg('ticket-date', values['ticket-date']),
      recoveredFen: values.recovered === undefined ? undefined : amountArg('recovered', values.recovered),
      reason: values.reason,
    });
    const label = STATUS_LABELS[status as UserStatus][lang];
    process.stdout.write(
      lang === 'zh' ? `差异 ${id} 的状态已设为${label}。\n` : `Mismatch ${id} is now ${label}.\n`,
    );
    return EXIT.ok;
  });
}

export function runNote(db: Db, positionals: string[], values: Values, lang: Lang): number {
  const [id, ...words] = positionals;
  if (!id || words.length === 0) throw new UsageError('note: give a mismatch id and the text');
  return refusedAsUsage(lang, () => {
    addNote(db, id, words.join(' '), userName(values));
    process.stdout.write(lang === 'zh' ? `已为差异 ${id} 添加备注。\n` : `Note added to mismatch ${id}.\n`);
    return EXIT.ok;
  });
}

export function runAttach(db: Db, dbPath: string, positionals: string[], values: Values, lang: Lang): number {
  const [id, ...paths] = positionals;
  if (!id || paths.length === 0) throw new UsageError('attach: give a mismatch id and one or more files');
  return refusedAsUsage(lang, () => {
    for (const path of paths) {
      const a = addAttachment(db, fileStoreDir(dbPath), id, path, userName(values));
      process.stdout.write(
        lang === 'zh'
          ? `已附加 ${a.fileName}（${a.size} 字节，SHA-256 ${a.sha256.slice(0, 12)}…）\n`
          : `Attached ${a.fileName} (${a.size} bytes, SHA-256 ${a.sha256.slice(0, 12)}…)\n`,
      );
    }
    return EXIT.ok;
  });
}

export function runHistory(db: Db, positionals: string[], values: Values, lang: Lang): number {
  const [id] = positionals;
  if (!id) throw new UsageError('history: give a mismatch id');
  const [m] = listMismatches(db, { ids: [id] });
  if (!m) {
    process.stderr.write(lang === 'zh' ? `没有编号为 ${id} 的差异。\n` : `There is no mismatch ${id}.\n`);
    return EXIT.usage;
  }
  const history = historyOf(db, id);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(history, null, 2)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(
    `${id}  ${MISMATCH_LABELS[m.kind][lang]}  [${STATUS_LABELS[m.status][lang]}]\n` +
      `  ${m.firstSeen}  ${lang === 'zh' ? '对账发现' : 'found by reconcile'}\n`,
  );
  for (const e of history) process.stdout.write(`  ${e.at}  ${e.user}  ${historyText(e, lang)}\n`);
  return EXIT.ok;
}

export function runCase(db: Db, positionals: string[], values: Values, lang: Lang): number {
  const [action, ...ids] = positionals;
  if (action === 'create') {
    if (ids.length === 0) throw new UsageError('case create: give the mismatch ids [--title TEXT]');
    return refusedAsUsage(lang, () => {
      const c = createCase(db, values.title ?? '', ids, userName(values));
      process.stdout.write(
        values.json
          ? `${JSON.stringify(c)}\n`
          : lang === 'zh'
            ? `已建立案件 #${c.id}，含 ${c.mismatchIds.length} 项差异。\n`
            : `Case #${c.id} created with ${c.mismatchIds.length} mismatches.\n`,
      );
      return EXIT.ok;
    });
  }
  if (action === 'list') {
    const cases = listCases(db);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(cases, null, 2)}\n`);
      return EXIT.ok;
    }
    if (cases.length === 0) process.stdout.write(lang === 'zh' ? '还没有案件。\n' : 'No cases yet.\n');
    for (const c of cases) {
      process.stdout.write(
        `#${c.id}  ${c.title}  ${c.createdAt}  ${c.createdBy}\n  ${c.mismatchIds.join(', ')}\n`,
      );
    }
    return EXIT.ok;
  }
  throw new UsageError('case: use "case create MISMATCH_ID... [--title TEXT]" or "case list"');
}
