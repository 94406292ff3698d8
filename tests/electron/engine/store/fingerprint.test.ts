import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallSeconds } from '../../../../electron/engine/store/fingerprint';

/** The plain definition: the calendar's own arithmetic through Date.UTC. */
function reference(time: string): number {
  if (time.length < 10) return 0;
  const days = Date.UTC(+time.slice(0, 4), +time.slice(5, 7) - 1, +time.slice(8, 10)) / 86_400_000 - 10_957;
  const secs =
    time.length >= 19 ? +time.slice(11, 13) * 3600 + +time.slice(14, 16) * 60 + +time.slice(17, 19) : 0;
  const total = days * 86_400 + secs;
  return total > 0 && total < 2 ** 31 ? total : 0;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('wallSeconds', () => {
  it('property: agrees with Date.UTC for every date and time, leap days and month ends included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2070 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.boolean(),
        (y, m, d, h, mi, s, withTime) => {
          const date = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          const time = withTime ? `${date} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}` : date;
          expect(wallSeconds(time)).toBe(reference(time));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives the known values, and 0 for what is not a time or comes before 2000', () => {
    expect(wallSeconds('2000-01-01 00:00:01')).toBe(1);
    expect(wallSeconds('2026-11-05 23:40:01')).toBe(847_237_201);
    expect(wallSeconds('2024-02-29')).toBe(762_480_000);
    for (const bad of [null, '', '2026-11', '1999-12-31 23:59:59', 'abcd-ef-gh'])
      expect(wallSeconds(bad)).toBe(0);
    // A month past December runs on into the next year, as with Date.UTC: 2027-01-01.
    expect(wallSeconds('2026-13-01')).toBe(852_076_800);
  });
});
