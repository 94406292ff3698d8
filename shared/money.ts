// Money is integer fen everywhere; this is how people read it.

/** ¥1,234.56 from fen, exactly. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.trunc(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** A decimal a user typed, in hundredths of its unit (元 → 分, % → basis points), rounded half
 *  away from zero from its digits as the command line's parseAmountFen does (never through a
 *  floating-point product: 1.005 × 100 is 100.49999…); NaN when it is not a decimal number (blank
 *  included), which the API then refuses by name. */
export function hundredthsOf(text: string): number {
  const m = DECIMAL.exec(text);
  if (!m) return Number.NaN;
  const fraction = m[3] ?? m[4] ?? '';
  const hundredths =
    Number(m[2] ?? '0') * 100 +
    Number(fraction.slice(0, 2).padEnd(2, '0')) +
    ((fraction[2] ?? '0') >= '5' ? 1 : 0);
  return m[1] === '-' ? -hundredths : hundredths;
}

/** Sign, whole digits and fraction digits (or fraction digits alone, as in .5). */
const DECIMAL = /^\s*([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))\s*$/;
