// PosRecon stores local wall-clock times (Asia/Shanghai for its users) as text. The clock of the
// machine is taken as that local time; nothing is converted to or from UTC.

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Digits at s[i..i+n) as a number, or -1 if any of them is not an ASCII digit. */
export function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** Days since 1970-01-01 of a date of the proleptic Gregorian calendar (H. Hinnant's
 *  days_from_civil): pure integer maths, never the time-zone-bound Date object. Days past the end
 *  of a month run on into the next, as with Date.UTC. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The local date, 'YYYY-MM-DD', of the machine's clock. */
export function localToday(): string {
  return localNow().slice(0, 10);
}

/** The machine's current local time as 'YYYY-MM-DD HH:MM:SS'. */
export function localNow(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
