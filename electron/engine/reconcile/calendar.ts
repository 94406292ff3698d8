// When settled money reaches the merchant's bank: T+1 working day by default, so Friday–Sunday
// arrive together on Monday and public holidays roll to the next working day. Mainland China also
// has make-up working days on weekends. The tables are data the user can edit.

export interface HolidayCalendar {
  /** Days off that would otherwise be working days ('YYYY-MM-DD'). */
  holidays: string[];
  /** Weekend days that are working days (调休上班). */
  workdays: string[];
  /** Years whose table is provisional (not yet announced by the State Council). */
  provisional: number[];
}

const range = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

/** The State Council's holiday arrangements (国务院办公厅 部分节假日安排). 2027 is not announced yet:
 *  only its statutory days are listed, without bridging days or make-up working days. */
export const MAINLAND_CALENDAR: HolidayCalendar = {
  holidays: [
    // 2025
    '2025-01-01',
    ...range('2025-01-28', '2025-02-04'),
    ...range('2025-04-04', '2025-04-06'),
    ...range('2025-05-01', '2025-05-05'),
    ...range('2025-05-31', '2025-06-02'),
    ...range('2025-10-01', '2025-10-08'),
    // 2026
    ...range('2026-01-01', '2026-01-03'),
    ...range('2026-02-15', '2026-02-23'),
    ...range('2026-04-04', '2026-04-06'),
    ...range('2026-05-01', '2026-05-05'),
    ...range('2026-06-19', '2026-06-21'),
    ...range('2026-09-25', '2026-09-27'),
    ...range('2026-10-01', '2026-10-07'),
    // 2027, statutory days only (provisional)
    '2027-01-01',
    ...range('2027-02-05', '2027-02-08'),
    '2027-04-05',
    ...range('2027-05-01', '2027-05-02'),
    '2027-06-09',
    '2027-09-15',
    ...range('2027-10-01', '2027-10-03'),
  ],
  workdays: [
    '2025-01-26',
    '2025-02-08',
    '2025-04-27',
    '2025-09-28',
    '2025-10-11',
    '2026-01-04',
    '2026-02-14',
    '2026-02-28',
    '2026-05-09',
    '2026-09-20',
    '2026-10-10',
  ],
  provisional: [2027],
};

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, cal: HolidayCalendar): boolean {
  if (cal.workdays.includes(date)) return true;
  if (cal.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The day a clearing day's money reaches the bank: the next working day (T+1), or the same day
 *  when that is a working day under a D0 contract. */
export function creditDate(clearing: string, cal: HolidayCalendar, mode: 'T1' | 'D0' = 'T1'): string {
  return mode === 'D0' && isWorkingDay(clearing, cal) ? clearing : addWorkingDays(clearing, 1, cal);
}

/** The n-th working day after `date`. */
export function addWorkingDays(date: string, n: number, cal: HolidayCalendar): string {
  let day = date;
  for (let k = 0; k < n; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day, cal)) k++;
  }
  return day;
}
