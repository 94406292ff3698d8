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

/** The parts of the settings a user edits, each stored as JSON under its own key. */

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
  };
}

/** Keys a user edits, and the engine's own record of what the last reconcile saw. */
type Stored = Pick<ReconcileSettings, 'feeSchedules' | 'calendar' | 'acquirerKeywords' | 'd0Merchants'> & {
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
