// The one API contract between the UI and the engine: channel → request → response. The desktop
// app carries it over IPC (main registers a handler per channel, preload exposes exactly these
// functions); `posrecon serve` carries it over HTTP on loopback. Requests are validated on the
// engine side before anything is touched.

import type { Field } from './fields';
import type { MismatchKind } from './mismatches';
import type { Bilingual, FeeCardType, Lang, NormalizedRecord, Source } from './records';
import type { CaseStatus, UserStatus } from './statuses';

/** A stored record as the UI sees it: normalised fields plus where it came from. */
export interface ApiRecord extends NormalizedRecord {
  id: number;
  file: string;
  sheet: string | null;
  row: number;
}

export interface ApiMismatch {
  id: string;
  kind: MismatchKind;
  subkind: string | null;
  status: CaseStatus;
  expectedFen: number | null;
  actualFen: number | null;
  differenceFen: number | null;
  explanation: Bilingual;
  note: string | null;
  firstSeen: string;
  closedReason: Bilingual | null;
  ticketNo: string | null;
  ticketDate: string | null;
  recoveredFen: number | null;
  dismissReason: string | null;
  records: ApiRecord[];
}

/** A column mapping for a layout no preset knows: 1-based column numbers of the header row. */
export interface ApiMapping {
  source: Source;
  headerRow: number;
  columns: Partial<Record<Field, number>>;
}

/** A file the user picked or dropped, known to the engine by an opaque id (never a typed path). */
export interface PickedFile {
  fileId: string;
  name: string;
  size: number;
}

export interface ImportLayout {
  fileName: string;
  format: 'xlsx' | 'xls' | 'csv';
  encoding: string | null;
  sheet: string | null;
  headerRow: number;
  source: Source;
  preset: { id: string; name: Bilingual } | null;
  columns: Record<string, string>;
}

export interface Rejected {
  row: number;
  column: string | null;
  value: string;
  reasonZh: string;
  reasonEn: string;
}

export type Preview =
  | {
      ok: true;
      layout: ImportLayout;
      rows: Array<{ row: number; cells: string[]; record: NormalizedRecord }>;
      rejects: Rejected[];
    }
  | { ok: false; error: Bilingual & { code: string } };

export interface ImportHistoryEntry {
  id: number;
  fileName: string;
  source: Source;
  presetName: string | null;
  encoding: string | null;
  sheet: string | null;
  headerRow: number;
  rowsRead: number;
  stored: number;
  overlap: number;
  footer: number;
  rejected: number;
  importedAt: string;
  records: number;
}

export type ImportFileOutcome =
  | {
      ok: true;
      fileName: string;
      importId: number;
      layout: ImportLayout;
      stored: number;
      rejected: number;
      overlap: number;
    }
  | { ok: false; fileName: string; error: Bilingual & { code: string } };

export interface Job {
  id: string;
  kind: 'import';
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** The file being read, how far, and how fast. */
  progress: {
    /** Reading the files, then matching everything against them. */
    stage: 'import' | 'reconcile';
    fileName: string;
    fileIndex: number;
    files: number;
    rows: number;
    rowsPerSecond: number;
  } | null;
  outcomes: ImportFileOutcome[];
  error: Bilingual | null;
}

export interface Tally {
  count: number;
  fen: number;
}

export interface OverviewLine {
  merchantNo: string;
  terminalNo: string;
  terminal: Tally;
  settlement: Tally;
  matched: number;
  pending: number;
  mismatches: Partial<Record<MismatchKind, Tally>>;
}

export interface Overview {
  from: string;
  to: string;
  lines: OverviewLine[];
  byKind: Record<MismatchKind, Tally>;
  days: Array<{
    day: string;
    salesFen: number;
    settledFen: number;
    creditedFen: number;
    closed: { by: string; at: string } | null;
    open: number;
  }>;
  records: number;
}

export interface ReviewQuery {
  kind?: MismatchKind;
  status?: CaseStatus;
  merchantNo?: string;
  terminalNo?: string;
  from?: string;
  to?: string;
  cardLast4?: string;
  amountFen?: number;
  /** Only groups with a mismatch. */
  problemsOnly?: boolean;
  sort?: 'time' | 'amount';
  descending?: boolean;
  offset: number;
  limit: number;
}

/** One line of the review table: a matched group, with empty sides where a record is missing. */
export interface ReviewRow {
  key: string;
  terminal: ApiRecord | null;
  settlement: ApiRecord | null;
  statement: ApiRecord | null;
  mismatches: Array<{ id: string; kind: MismatchKind; status: CaseStatus; differenceFen: number | null }>;
  /** Fields that differ between the terminal and the settlement side. */
  differs: Array<'amountFen' | 'txnTime' | 'cardLast4' | 'rrn' | 'trace' | 'batch'>;
}

export interface HistoryItem {
  at: string;
  user: string;
  action: 'status' | 'note' | 'attachment' | 'case';
  status: CaseStatus | null;
  text: Bilingual;
}

export interface AttachmentInfo {
  id: number;
  fileName: string;
  sha256: string;
  size: number;
  addedAt: string;
  addedBy: string;
}

export interface MismatchDetail {
  mismatch: ApiMismatch;
  /** The original cells of each record, by record id, with the file's header names. */
  originals: Record<
    number,
    { cells: string[]; file: string; sheet: string | null; row: number; sha256: string }
  >;
  history: HistoryItem[];
  attachments: AttachmentInfo[];
  rule: Bilingual;
}

export interface SearchRequest {
  cardLast4?: string;
  amountFen?: number;
  from?: string;
  to?: string;
  rrn?: string;
  terminalNo?: string;
}

export interface SearchHit {
  record: ApiRecord;
  matchedWith: ApiRecord | null;
  mismatches: Array<{ id: string; kind: MismatchKind; explanation: Bilingual }>;
}

export interface FeeTermView {
  rateBp: number;
  capFen: number | null;
  fixedFen: number;
}

export interface SettingsView {
  fees: Record<FeeCardType, FeeTermView>;
  feeSchedules: Array<{ merchantNo: string | null; from: string; card: FeeCardType; term: FeeTermView }>;
  holidays: string[];
  workdays: string[];
  d0Merchants: string[];
  acquirerKeywords: string[];
  matching: { rrnDays: number; matchWindowSec: number; duplicateWindowSec: number; cutoff: string };
  /** Merchants and their terminals as the imported records name them. */
  merchants: Array<{ merchantNo: string; name: string | null; terminals: string[] }>;
}

export interface Delivered {
  name: string;
  /** Where the desktop app saved it, or the link a browser downloads it from. */
  savedTo: string | null;
  downloadUrl: string | null;
}

/** channel → [request, response] */
export interface ApiContract {
  'app.info': [Record<string, never>, { version: string; dbPath: string; user: string }];
  'files.pick': [Record<string, never>, PickedFile[]];
  'imports.sample': [
    { fileId: string },
    { sheet: string | null; rows: Array<{ row: number; cells: string[] }> },
  ];
  'imports.preview': [{ fileId: string; source?: Source; presetId?: string; mapping?: ApiMapping }, Preview];
  'imports.start': [
    {
      /** Each file with the layout a user chose for it (else detected), or its own column mapping
       *  when no preset knows its layout (saved under a name on request). */
      files: Array<{ fileId: string; presetId?: string; mapping?: ApiMapping; savePresetAs?: string }>;
      source?: Source;
    },
    { jobId: string },
  ];
  'imports.history': [Record<string, never>, ImportHistoryEntry[]];
  'imports.rejects': [{ importId: number }, Rejected[]];
  'imports.undo': [{ importId: number }, { removed: number }];
  'imports.presets': [
    Record<string, never>,
    Array<{ id: string; name: Bilingual; source: Source; saved: boolean }>,
  ];
  'jobs.get': [{ jobId: string }, Job];
  'jobs.cancel': [{ jobId: string }, { cancelled: boolean }];
  'overview.get': [{ from?: string; to?: string }, Overview];
  'review.page': [ReviewQuery, { total: number; rows: ReviewRow[] }];
  'mismatches.get': [{ id: string }, MismatchDetail];
  'cases.setStatus': [
    {
      id: string;
      status: UserStatus;
      note?: string;
      ticketNo?: string;
      ticketDate?: string;
      recoveredFen?: number;
      reason?: string;
    },
    MismatchDetail,
  ];
  'cases.addNote': [{ id: string; note: string }, MismatchDetail];
  'cases.attach': [{ id: string; fileId: string }, MismatchDetail];
  /** Records on the other side that could be this mismatch's counterpart (same terminal and
   *  amount, within a day), for a manual match. */
  'cases.candidates': [{ id: string }, Array<{ for: ApiRecord; candidates: ApiRecord[] }>];
  'cases.link': [{ terminalId: number; settlementId: number; action: 'match' | 'unmatch' }, { ok: true }];
  'search.run': [SearchRequest, SearchHit[]];
  'settings.get': [Record<string, never>, SettingsView];
  'settings.setFee': [
    {
      card: FeeCardType;
      rateBp: number;
      capFen: number | null;
      fixedFen: number;
      /** One merchant's contract (all merchants when absent), from a date on (always when absent). */
      merchantNo?: string;
      from?: string;
    },
    SettingsView,
  ];
  'settings.setCalendar': [
    { holidays?: string[]; workdays?: string[]; remove?: string[]; d0?: string[]; t1?: string[] },
    SettingsView,
  ];
  'settings.setKeywords': [{ keywords: string[] }, SettingsView];
  'settings.setMatching': [SettingsView['matching'], SettingsView];
  'backups.list': [Record<string, never>, Array<{ file: string; size: number }>];
  'backups.create': [Record<string, never>, { file: string }];
  /** 日结: refused, naming them, while a mismatch of the day awaits a decision. */
  'reports.closeDay': [{ day: string }, { day: string; closedBy: string; closedAt: string }];
  'reports.close': [{ from: string; to: string; lang: Lang }, Delivered];
  'reports.bankRec': [{ from: string; to: string; lang: Lang }, Delivered];
  'exports.bundle': [{ mismatchIds: string[]; lang: Lang }, Delivered];
  'exports.mismatches': [
    { kind?: MismatchKind; status?: CaseStatus; format: 'xlsx' | 'csv'; lang: Lang },
    Delivered,
  ];
}

export type Channel = keyof ApiContract;
export type Req<C extends Channel> = ApiContract[C][0];
export type Res<C extends Channel> = ApiContract[C][1];

/** The functions the UI calls: one per channel, nothing else. */
export type Api = { [C in Channel]: (req: Req<C>) => Promise<Res<C>> };

// Every channel once: a Record over the contract's keys fails to compile if one is missing.
const LISTED: Record<Channel, true> = {
  'app.info': true,
  'files.pick': true,
  'imports.sample': true,
  'imports.preview': true,
  'imports.start': true,
  'imports.history': true,
  'imports.rejects': true,
  'imports.undo': true,
  'imports.presets': true,
  'jobs.get': true,
  'jobs.cancel': true,
  'overview.get': true,
  'review.page': true,
  'mismatches.get': true,
  'cases.setStatus': true,
  'cases.addNote': true,
  'cases.attach': true,
  'cases.candidates': true,
  'cases.link': true,
  'search.run': true,
  'settings.get': true,
  'settings.setFee': true,
  'settings.setCalendar': true,
  'settings.setKeywords': true,
  'settings.setMatching': true,
  'backups.list': true,
  'backups.create': true,
  'reports.closeDay': true,
  'reports.close': true,
  'reports.bankRec': true,
  'exports.bundle': true,
  'exports.mismatches': true,
};
export const CHANNELS = Object.keys(LISTED) as Channel[];

/** The desktop shell's own messages beside the contract: the paths of dropped files (page →
 *  main), and a native menu command (main → page). */
export const DROPPED_FILES = 'files.dropped';
export const MENU = 'menu';

/** An error the engine refused a request with, in both languages (bad input, unknown id…). */
export interface ApiError {
  code: 'invalid' | 'refused' | 'not_found' | 'internal';
  zh: string;
  en: string;
}
