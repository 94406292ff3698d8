// PosRecon stores local wall-clock times (Asia/Shanghai for its users) as text. The clock of the
// machine is taken as that local time; nothing is converted to or from UTC.

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The machine's current local time as 'YYYY-MM-DD HH:MM:SS'. */
export function localNow(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
