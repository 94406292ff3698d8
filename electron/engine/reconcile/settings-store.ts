import type { Db } from '../store/database';
import { localNow } from '../time';
import type { HolidayCalendar } from './calendar';
import {
  type DatedFeeSchedule,
  DEFAULT_SETTINGS,
  type FeeSchedule,
  type FeeTerm,
  feesFor,
  type ReconcileSettings,
} from './settings';

/** The settings in force: the defaults, overridden by what users saved. */
export function loadSettings(db: Db): ReconcileSettings {
  const rows = db.prepare('SELECT key, value_json FROM settings').all() as Array<{
    key: string;
    value_json: string;
  }>;
  const saved = new Map(rows.map((r) => [r.key, JSON.parse(r.value_json) as unknown]));
  return {
    ...DEFAULT_SETTINGS,
    feeSchedules:
      (saved.get('feeSchedules') as DatedFeeSchedule[] | undefined) ?? DEFAULT_SETTINGS.feeSchedules,
    calendar: (saved.get('calendar') as HolidayCalendar | undefined) ?? DEFAULT_SETTINGS.calendar,
    acquirerKeywords:
      (saved.get('acquirerKeywords') as string[] | undefined) ?? DEFAULT_SETTINGS.acquirerKeywords,
    d0Merchants: (saved.get('d0Merchants') as string[] | undefined) ?? DEFAULT_SETTINGS.d0Merchants,
    ...((saved.get('matching') as Partial<MatchingWindows> | undefined) ?? {}),
  };
}

/** How far apart two records may be and still be one transaction, or a duplicate; the day's cut-off. */
type MatchingWindows = Pick<
  ReconcileSettings,
  'rrnDays' | 'matchWindowSec' | 'duplicateWindowSec' | 'cutoff'
>;

/** The keys of the settings table, each stored as JSON: the parts of the settings a user edits,
 *  and the engine's own record of what the last reconcile saw. */
type Stored = Pick<ReconcileSettings, 'feeSchedules' | 'calendar' | 'acquirerKeywords' | 'd0Merchants'> & {
  matching: MatchingWindows;
  reconciledState: string;
};

export function saveSetting<K extends keyof Stored>(db: Db, key: K, value: Stored[K]): void {
  db.prepare(
    `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), localNow());
}

/** Sets one card type's fee in the schedule for a merchant (or all) from a date on. */
export function setFeeTerm(
  db: Db,
  card: keyof FeeSchedule,
  term: FeeTerm,
  merchantNo: string | null = null,
  from = '2000-01-01',
): void {
  const settings = loadSettings(db);
  const current = feesFor(settings, merchantNo, from);
  const others = settings.feeSchedules.filter((s) => !(s.merchantNo === merchantNo && s.from === from));
  saveSetting(db, 'feeSchedules', [...others, { merchantNo, from, fees: { ...current, [card]: term } }]);
}

export interface CalendarEdit {
  /** Days off to add, make-up working days to add, and days to return to the ordinary rule. */
  holidays?: string[];
  workdays?: string[];
  remove?: string[];
  /** Merchants to move to same-day (D0) settlement, and back to T+1. */
  d0?: string[];
  t1?: string[];
}

/** Edits the settlement calendar and the D0 merchant list. */
export function editSettlementCalendar(db: Db, edit: CalendarEdit): void {
  const settings = loadSettings(db);
  const cal = settings.calendar;
  if (edit.d0?.length || edit.t1?.length) {
    const d0 = new Set(settings.d0Merchants);
    for (const m of edit.d0 ?? []) d0.add(m);
    for (const m of edit.t1 ?? []) d0.delete(m);
    saveSetting(db, 'd0Merchants', [...d0].sort());
  }
  const remove = new Set(edit.remove ?? []);
  const holidays = new Set([...cal.holidays.filter((d) => !remove.has(d)), ...(edit.holidays ?? [])]);
  const workdays = new Set([...cal.workdays.filter((d) => !remove.has(d)), ...(edit.workdays ?? [])]);
  for (const d of workdays) holidays.delete(d);
  saveSetting(db, 'calendar', { ...cal, holidays: [...holidays].sort(), workdays: [...workdays].sort() });
}
