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

/** A decimal a user typed, in hundredths of its unit (元 → 分, % → basis points), rounded to the
 *  nearest; NaN when it is not a decimal number (blank included: Number('') is 0), which the API
 *  then refuses by name. */
export function hundredthsOf(text: string): number {
  return DECIMAL.test(text) ? Math.round(Number(text) * 100) : Number.NaN;
}

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/;
